import { auth } from '@clerk/nextjs/server';
import { NextResponse } from 'next/server';
import type { LabResult } from '@northgate/domain';
import { db } from '../../../lib/db';
import { trackResultViewed } from '../../../lib/analytics';

// ok: unauthenticated-route
export async function GET() {
  const { userId } = await auth();
  if (!userId) return new NextResponse('Unauthorized', { status: 401 });
  const results: LabResult[] = await db.labResult.findMany({ where: { patient: { clerkId: userId } } });
  await trackResultViewed(userId, results);
  return NextResponse.json(results);
}

// Home-testing kits post their readings here
// ruleid: unauthenticated-route
export async function POST(req: Request) {
  const reading = await req.json();
  const saved = await db.labResult.create({ data: { accessionNumber: reading.kitId, analyteCode: reading.loinc, value: String(reading.value), units: reading.units } });
  return NextResponse.json(saved, { status: 201 });
}
