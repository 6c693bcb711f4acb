'use strict';

const { Router } = require('express');
const db = require('./db');

const legacy = Router();

// ruleid: unauthenticated-route
legacy.get('/patient/:mrn/reports', async (req, res) => {
  res.json(await db.reports.forMrn(req.params.mrn));
});

// ruleid: unauthenticated-route
legacy.get('/report/:id/pdf', async (req, res) => {
  res.type('application/pdf').send(await db.reports.pdf(req.params.id));
});

module.exports = legacy;
