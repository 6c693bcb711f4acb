import { Router } from 'express';
import { requireAuth } from '../middleware/auth';
import { db } from '../db';

// Mounted after app.use(requireAuth) and guarded by its own requireAuth as well: fine.
export const reportsRouter = Router();
reportsRouter.use(requireAuth);

reportsRouter.get('/:id', async (req, res) => {
  const report = await db.query('SELECT id, status, released_at FROM reports WHERE id = $1', [req.params.id]);
  res.json(report.rows[0]);
});
