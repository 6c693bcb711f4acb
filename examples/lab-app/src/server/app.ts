import express from 'express';
import helmet from 'helmet';
import { db } from './db';
import { requireAuth } from './middleware/auth';
import { reportsRouter } from './routes/reports.router';

export const app = express();
app.use(helmet());
app.use(express.json());

// Public by design: a health check.
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));

// "Temporary" route added for the patient portal, declared before the authentication middleware:
// anyone who guesses a patient id reads the results (unauthenticated-route, error).
app.get('/api/patients/:id/results', async (req, res) => {
  const { rows } = await db.query('SELECT loinc_code, value, unit, interpretation FROM results WHERE patient_id = $1', [req.params.id]);
  res.json(rows);
});

app.use(requireAuth);

// Fine: after app.use(requireAuth).
app.get('/api/patients/:id', async (req, res) => {
  const { rows } = await db.query('SELECT id, last_name, first_name FROM patients WHERE id = $1', [req.params.id]);
  res.json(rows[0]);
});

app.use('/api/reports', reportsRouter);
