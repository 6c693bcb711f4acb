import { getAuth } from '@clerk/nextjs/server';
import type { NextApiRequest, NextApiResponse } from 'next';
import { db } from '../../../lib/db';

// ok: unauthenticated-route
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { userId } = getAuth(req);
  if (!userId) return res.status(401).json({ error: 'unauthorised' });
  const report = await db.report.findFirst({ where: { id: String(req.query.id), patient: { clerkId: userId } } });
  return res.json(report);
}
