'use strict';

const express = require('express');
const db = require('../db');
const logger = require('../lib/logger');
const { notifyCriticalResult } = require('../integrations/alerts');

const log = logger.child({ module: 'results' });
const router = express.Router();

// ok: unauthenticated-route
router.get('/', async (req, res) => {
  const results = await db.results.search({ patientId: req.query.patientId, since: req.query.since });
  // ok: health-data-in-logs
  log.info({ count: results.length, patientId: req.query.patientId }, 'results searched');
  res.json(results);
});

// ok: unauthenticated-route
router.put('/:id', async (req, res) => {
  const before = await db.results.findById(req.params.id);
  const result = await db.results.amend(req.params.id, req.body);
  // ruleid: health-data-in-logs
  log.warn({ before, after: result, by: req.user.id }, 'result amended after authorisation');
  // ok: health-data-in-logs
  log.warn({ resultId: result.id, accessionNumber: result.accessionNumber, by: req.user.id }, 'result amended');
  if (result.abnormalFlag === 'HH' || result.abnormalFlag === 'LL') {
    await notifyCriticalResult(result, req.user);
  }
  res.json(result);
});

// ok: unauthenticated-route
router.post('/:id/comments', async (req, res) => {
  const { comment } = req.body;
  if (comment.length > 2000) {
    // ruleid: health-data-in-logs
    throw new Error(`Comment too long on result ${req.params.id}: "${comment.slice(0, 80)}..."`);
  }
  await db.results.addComment(req.params.id, comment, req.user.id);
  res.sendStatus(201);
});

module.exports = router;
