import type { NextApiRequest, NextApiResponse } from 'next';
import { db } from '../../../lib/db';

// CSV for the practice's old spreadsheet import
// ruleid: unauthenticated-route
export default async function exportCsv(req: NextApiRequest, res: NextApiResponse) {
  const rows = await db.labResult.findMany({ where: { patient: { practiceCode: String(req.query.practice) } }, include: { patient: true } });
  res.setHeader('Content-Type', 'text/csv');
  res.send(rows.map((r) => [r.patient.nhsNumber, r.analyteName, r.value, r.units].join(',')).join('\n'));
}
