'use strict';

const express = require('express');
const db = require('../db');
const { requireRole } = require('../auth/passport');

const router = express.Router();
router.use(requireRole('requester'));

// ok: unauthenticated-route
router.post('/', async (req, res) => {
  const order = await db.orders.create({ requesterId: req.user.id, ...req.body });
  res.status(201).json({ id: order.id, accessionNumber: order.accessionNumber });
});

// ok: unauthenticated-route
router.get('/:accessionNumber', async (req, res) => {
  res.json(await db.orders.findByAccession(req.params.accessionNumber));
});

module.exports = router;
