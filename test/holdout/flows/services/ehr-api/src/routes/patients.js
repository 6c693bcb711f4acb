'use strict';

const express = require('express');
const db = require('../db');
const log = require('../lib/logger').child({ module: 'patients' });
const { requireRole } = require('../auth/passport');

const router = express.Router();

// ok: unauthenticated-route
router.get('/:id', async (req, res) => {
  const patient = await db.patients.findById(req.params.id);
  if (!patient) return res.sendStatus(404);
  // ok: health-data-in-logs
  log.info({ patientId: patient.id, by: req.user.id }, 'chart opened');
  return res.json(patient);
});

// ok: unauthenticated-route
router.get('/:id/problems', async (req, res) => {
  const problems = await db.problems.forPatient(req.params.id);
  // ruleid: health-data-in-logs
  log.debug(`problem list for ${req.params.id}: ${problems.map((p) => p.description).join('; ')}`);
  // ok: health-data-in-logs
  log.debug(`problem list for ${req.params.id}: ${problems.length} entries`);
  res.json(problems);
});

// ok: unauthenticated-route
router.post('/:id/allergies', requireRole('clinician'), async (req, res) => {
  const allergy = await db.allergies.create({ patientId: req.params.id, ...req.body });
  // ruleid: health-data-in-logs
  log.info({ allergy }, 'allergy recorded');
  res.status(201).json({ id: allergy.id });
});

// ok: unauthenticated-route
router.patch('/:id/demographics', async (req, res) => {
  try {
    await db.patients.update(req.params.id, req.body);
    res.sendStatus(204);
  } catch (err) {
    // ok: health-data-in-logs
    log.error({ err: err.message, patientId: req.params.id }, 'demographics update failed');
    res.sendStatus(500);
  }
});

module.exports = router;
