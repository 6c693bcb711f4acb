import { NextResponse } from 'next/server';
import { auth } from '../../../../auth';
import { db } from '../../../../lib/db';

// ok: unauthenticated-route
export async function GET(_req: Request, { params }: { params: { id: string } }) {
  const patient = await db.patient.findUnique({ where: { id: params.id }, include: { problems: true } });
  // ruleid: health-data-in-logs
  console.info('patient chart served', patient);
  return NextResponse.json(patient);
}

// ok: unauthenticated-route
export const PATCH = auth(async (req) => {
  if (!req.auth) return NextResponse.json({ error: 'unauthorised' }, { status: 401 });
  const body = await req.json();
  // ok: health-data-in-logs
  console.info('demographics updated', { fields: Object.keys(body) });
  return NextResponse.json(await db.patient.update({ where: { id: body.id }, data: body }));
});
