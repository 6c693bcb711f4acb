'use strict';

const util = require('node:util');
const winston = require('winston');
const db = require('../db');
const pinoLogger = require('../lib/logger');

const levels = { critical: 0, error: 1, warn: 2, audit: 3, info: 4, debug: 5 };

const hl7Log = winston.createLogger({
  levels,
  level: 'debug',
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.File({ filename: '/var/log/northgate/hl7.log' })],
});

const matchLog = pinoLogger.child({ module: 'pid-matching' });

/** Files one ORU^R01 message from the analyser middleware. */
async function fileObservationMessage(message) {
  const segments = message.split('\r');
  const pid = segments.find((s) => s.startsWith('PID|')).split('|');
  const patient = await db.patients.findByMrn(pid[3].split('^')[0]);
  // ok: health-data-in-logs
  matchLog.info({ patient: { nhsNumber: patient.nhsNumber, dateOfBirth: patient.dateOfBirth } }, 'PID matched');
  // ok: health-data-in-logs
  hl7Log.audit(util.format('ORU received: control id %s, %d segments', segments[0].split('|')[9], segments.length));

  for (const seg of segments.filter((s) => s.startsWith('OBX|'))) {
    const f = seg.split('|');
    const observation = { code: f[3].split('^')[0], name: f[3].split('^')[1], value: f[5], units: f[6], flag: f[8] };
    // ruleid: health-data-in-logs
    hl7Log.debug(util.format('OBX %s %s=%s %s [%s]', observation.code, observation.name, observation.value, observation.units, observation.flag));
    // ok: health-data-in-logs
    hl7Log.debug(util.format('OBX %s filed for MRN %s', observation.code, patient.mrn));
    try {
      await db.results.insert({ patientId: patient.id, ...observation });
    } catch (err) {
      // ruleid: health-data-in-logs
      hl7Log.error('could not file observation', { err, observation });
      // ok: health-data-in-logs
      hl7Log.error('could not file observation', { err: err.message, code: observation.code, mrn: patient.mrn });
    }
    if (observation.flag === 'HH' || observation.flag === 'LL') {
      // ruleid: health-data-in-logs
      hl7Log.log('critical', `critical ${observation.name} ${observation.value} ${observation.units} for ${patient.familyName}`);
    }
  }
}

/** Nightly reconciliation: how many results are still unmatched. */
async function reconcile() {
  const unmatched = await db.results.unmatched();
  // ok: health-data-in-logs
  hl7Log.info(`reconciliation: ${unmatched.length} unmatched observations`);
  if (unmatched.length > 0) {
    // ruleid: health-data-in-logs
    hl7Log.warn(`unmatched observations:\n${JSON.stringify(unmatched, null, 2)}`);
  }
}

module.exports = { fileObservationMessage, reconcile };
