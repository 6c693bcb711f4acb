import { auth } from '@clerk/nextjs/server';
import { NextResponse } from 'next/server';
import { db } from '../../../../lib/db';

// ruleid: unauthenticated-route
export async function GET(_req: Request, { params }: { params: { id: string } }) {
  const appt = await db.appointment.findUnique({ where: { id: params.id }, include: { requestedTests: true, patient: true } });
  return NextResponse.json(appt);
}

// ok: unauthenticated-route
export async function DELETE(_req: Request, { params }: { params: { id: string } }) {
  const { userId } = await auth.protect();
  await db.appointment.delete({ where: { id: params.id, patient: { clerkId: userId } } });
  return new NextResponse(null, { status: 204 });
}
