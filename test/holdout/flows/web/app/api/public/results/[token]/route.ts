import { NextResponse } from 'next/server';
import { db } from '../../../../../lib/db';

// Link in the "your results are ready" e-mail; the token is a random id stored with the report
// ruleid: unauthenticated-route
export async function GET(_req: Request, { params }: { params: { token: string } }) {
  const report = await db.report.findFirst({ where: { shareToken: params.token }, include: { results: true } });
  if (!report) return NextResponse.json({ error: 'not found' }, { status: 404 });
  return NextResponse.json({ conclusion: report.conclusion, results: report.results });
}
