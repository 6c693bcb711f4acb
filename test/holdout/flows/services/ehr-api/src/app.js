'use strict';

const express = require('express');
const helmet = require('helmet');
const cors = require('cors');
const rateLimit = require('express-rate-limit');
const cookieParser = require('cookie-parser');
const passport = require('passport');
const { authenticate, issueToken, forgotPassword } = require('./auth/passport');
const apiRouter = require('./routes');
const publicRouter = require('./routes/public');
const db = require('./db');
const logger = require('./lib/logger');

const app = express();

app.use(helmet());
app.use(cors({ origin: process.env.WEB_ORIGIN }));
app.use(express.json({ limit: '1mb' }));
app.use(cookieParser());
app.use(rateLimit({ windowMs: 60_000, max: 300 }));
app.use(passport.initialize());

// ok: unauthenticated-route
app.get('/healthz', (req, res) => res.send('ok'));

// ok: unauthenticated-route
app.get('/readyz', async (req, res) => {
  await db.ping();
  res.json({ ready: true });
});

// ok: unauthenticated-route
app.post('/auth/token', passport.authenticate('local', { session: false }), issueToken);

// ok: unauthenticated-route
app.post('/auth/forgot-password', forgotPassword);

// ok: unauthenticated-route
app.use('/static', express.static('public', { maxAge: '1d' }));

// Every API router sits behind the JWT strategy (see ./routes/index.js for the list)
// ok: unauthenticated-route
app.use('/api', authenticate, apiRouter);

// Patient-facing share links sent by SMS
// any: unauthenticated-route
app.use('/share', publicRouter);

// Ward census board on the nurses' station screens
// ruleid: unauthenticated-route
app.route('/wards/:wardId/census')
  .get(async (req, res) => {
    const rows = await db.query(
      'SELECT bed, given_name, family_name, admitting_diagnosis FROM admissions WHERE ward_id = $1 AND discharged_at IS NULL',
      [req.params.wardId],
    );
    res.json(rows);
  })
  .put(async (req, res) => {
    await db.query('UPDATE admissions SET bed = $2 WHERE id = $1', [req.body.admissionId, req.body.bed]);
    res.sendStatus(204);
  });

// ok: unauthenticated-route
app.route('/wards/:wardId/handover')
  .get(authenticate, async (req, res) => {
    res.json(await db.query('SELECT * FROM handover_notes WHERE ward_id = $1', [req.params.wardId]));
  })
  .post(authenticate, async (req, res) => {
    await db.query('INSERT INTO handover_notes (ward_id, author_id, note_ref) VALUES ($1, $2, $3)', [req.params.wardId, req.user.id, req.body.noteRef]);
    res.sendStatus(201);
  });

app.use(authenticate);

// ok: unauthenticated-route
app.get('/me/results', async (req, res) => {
  res.json(await db.query('SELECT analyte_name, value, units, abnormal_flag FROM lab_results WHERE patient_id = $1', [req.user.patientId]));
});

// ok: unauthenticated-route
app.delete('/me/sessions', async (req, res) => {
  await db.query('DELETE FROM sessions WHERE user_id = $1', [req.user.id]);
  res.sendStatus(204);
});

app.use((err, req, res, next) => {
  // ok: health-data-in-logs
  logger.error({ err: err.message, path: req.path }, 'unhandled error');
  res.status(500).json({ error: 'internal error' });
});

// Second listener for the metrics scraper and on-call debugging (no middleware at all)
const ops = express();

// Prometheus scrape endpoint: arguable (counts only)
// any: unauthenticated-route
ops.get('/metrics', async (req, res) => res.type('text/plain').send(await db.metrics()));

// ruleid: unauthenticated-route
ops.get('/debug/patients/:id', async (req, res) => {
  res.json(await db.query('SELECT * FROM patients WHERE id = $1', [req.params.id]));
});

module.exports = { app, ops };

if (require.main === module) {
  app.listen(3000);
  ops.listen(9464);
}
