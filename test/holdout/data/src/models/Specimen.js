'use strict';

const { Model } = require('objection');
const fs = require('node:fs');
const path = require('node:path');

class Specimen extends Model {
  static get tableName() {
    return 'specimens';
  }

  static get jsonSchema() {
    return {
      type: 'object',
      required: ['accessionNumber', 'patientId'],
      properties: {
        id: { type: 'integer' },
        // ok: plaintext-health-data
        accessionNumber: { type: 'string', maxLength: 14 },
        patientId: { type: 'string', format: 'uuid' },
        // ok: plaintext-health-data
        specimenType: { type: 'string', enum: ['blood', 'urine', 'swab', 'tissue'] },
        // ruleid: plaintext-health-data
        clinicalDetails: { type: ['string', 'null'] },
        // ruleid: plaintext-health-data
        suspectedInfection: { type: ['string', 'null'] },
        // ok: plaintext-health-data
        collectedAt: { type: 'string', format: 'date-time' },
      },
    };
  }
}

class Patient extends Model {
  static get tableName() {
    return 'ehr_patients';
  }
}

/** Whole-table dump requested by the outsourced courier company (migration to their system). */
async function dumpSpecimensForCourier(dir) {
  // ruleid: select-star-export
  const specimens = await Specimen.query().withGraphFetched('patient');
  // ruleid: plaintext-health-data
  fs.writeFileSync(path.join(dir, 'specimens.json'), JSON.stringify(specimens));
}

/** Courier manifest: only what the driver needs. */
async function courierManifest(dir) {
  // ok: select-star-export
  const rows = await Specimen.query().select('accessionNumber', 'specimenType', 'collectedAt');
  // ok: plaintext-health-data
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(rows));
}

async function findSpecimen(accessionNumber) {
  // ok: select-star-export
  return Specimen.query().findOne({ accessionNumber });
}

async function recordClinicalDetails(id, details) {
  // ruleid: plaintext-health-data
  await Specimen.query().patchAndFetchById(id, { clinicalDetails: details });
}

module.exports = { Specimen, Patient, dumpSpecimensForCourier, courierManifest, findSpecimen, recordClinicalDetails };
