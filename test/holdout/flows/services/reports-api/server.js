'use strict';

const express = require('express');
const { expressjwt } = require('express-jwt');
const jwksRsa = require('jwks-rsa');
const morgan = require('morgan');
const db = require('./db');
const legacyRouter = require('./legacy');
const { loadUserFromToken } = require('./legacy-auth');

const app = express();
app.use(morgan('combined'));
app.use(express.json());

const requireJwt = expressjwt({
  secret: jwksRsa.expressJwtSecret({ jwksUri: 'https://sso.stbrigids.example/.well-known/jwks.json', cache: true }),
  audience: 'reports-api',
  issuer: 'https://sso.stbrigids.example/',
  algorithms: ['RS256'],
});

// The old GP desktop client still sends unsigned tokens (mount line: the positives are the routes)
// any: unauthenticated-route
app.use('/legacy', loadUserFromToken, legacyRouter);

app.use(requireJwt.unless({ path: ['/health', '/reports/verify', /^\/reports\/printable\/.*/] }));

// ok: unauthenticated-route
app.get('/health', (req, res) => res.json({ status: 'up' }));

// ok: unauthenticated-route
app.get('/reports/:id', async (req, res) => {
  res.json(await db.reports.findById(req.params.id));
});

// ok: unauthenticated-route
app.get('/reports', async (req, res) => {
  res.json(await db.reports.list({ patientId: req.auth.patientId }));
});

// Printable copy for the ward printer (excluded from JWT by the unless list)
// ruleid: unauthenticated-route
app.get('/reports/printable/:id', async (req, res) => {
  const report = await db.reports.findById(req.params.id);
  res.type('text/html').send(`<h1>${report.patientName}</h1><p>${report.conclusion}</p>`);
});

// Lets anyone check that a paper report is genuine from the code printed on it
// ruleid: unauthenticated-route
app.post('/reports/verify', async (req, res) => {
  const report = await db.reports.findByVerificationCode(req.body.code);
  res.json(report ? { patientName: report.patientName, authorisedAt: report.authorisedAt, conclusion: report.conclusion } : { valid: false });
});

app.listen(3100);
