import { NextResponse, type NextRequest } from 'next/server';
import { auth } from '../../../auth';
import { db } from '../../../lib/db';

// ok: unauthenticated-route
export async function GET(req: NextRequest) {
  const session = await auth();
  if (!session?.user) return NextResponse.json({ error: 'unauthorised' }, { status: 401 });
  const results = await db.labResult.findMany({ where: { patientId: req.nextUrl.searchParams.get('patientId') ?? '' } });
  // ok: health-data-in-logs
  console.debug(`results served to ${session.user.email}: ${results.length}`);
  return NextResponse.json(results);
}
