'use strict';

const express = require('express');
const db = require('../db');

const router = express.Router();

// Patients follow the link printed on their request form: only the accession number is needed
// ruleid: unauthenticated-route
router.get('/results/:accessionNumber', async (req, res) => {
  const rows = await db.query(
    'SELECT analyte_name, value, units, reference_range, abnormal_flag FROM lab_results WHERE accession_number = $1',
    [req.params.accessionNumber],
  );
  res.json(rows);
});

// GP receptionists look a patient up by surname and date of birth
// ruleid: unauthenticated-route
router.post('/patients/lookup', async (req, res) => {
  const patient = await db.patients.findOne({ familyName: req.body.familyName, dateOfBirth: req.body.dateOfBirth });
  res.json(patient ? { nhsNumber: patient.nhsNumber, mrn: patient.mrn } : null);
});

// Phlebotomy clinic free slots (no patient data)
// any: unauthenticated-route
router.get('/slots', async (req, res) => {
  res.json(await db.query('SELECT clinic, starts_at FROM phlebotomy_slots WHERE booked = false AND starts_at > now()'));
});

module.exports = router;
