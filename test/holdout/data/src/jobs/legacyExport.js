'use strict';

// Export scripts inherited from the old LIS (run by cron on the reporting box).
const fs = require('fs');
const mysql = require('mysql2');
const mysqlPromise = require('mysql2/promise');
const Database = require('better-sqlite3');
const ExcelJS = require('exceljs');

const connection = mysql.createConnection({ host: 'lis-db', user: 'report', database: 'lis' });

/** Dump of the diagnosis table for the commissioning team. */
function exportDiagnoses(outPath) {
  // ruleid: select-star-export
  connection.query('SELECT * FROM `patient_diagnosis`', function (err, rows) {
    if (err) throw err;
    // ruleid: plaintext-health-data
    fs.writeFileSync(outPath, JSON.stringify(rows.map((r) => ({ nhs: r.nhs_number, diagnosis: r.diagnosis_text }))));
  });
}

/** Aggregated counts only. */
function exportDiagnosisCounts(outPath) {
  // ok: select-star-export
  connection.query('SELECT icd10_code, COUNT(*) AS n FROM `patient_diagnosis` GROUP BY icd10_code', (err, rows) => {
    if (err) throw err;
    // ok: plaintext-health-data
    fs.writeFileSync(outPath, JSON.stringify(rows));
  });
}

async function exportOrdersForAudit(outPath) {
  const conn = await mysqlPromise.createConnection({ host: 'lis-db', database: 'lis' });
  // ruleid: select-star-export
  const [rows] = await conn.execute('select o.*, p.surname from lab_orders o join patients p on p.id = o.patient_id where o.ordered_at > ?', [new Date(Date.now() - 864e5 * 30)]);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('orders');
  sheet.addRows(rows);
  await workbook.xlsx.writeFile(outPath);
}

/** Ward tablet cache: copy of today's results into a spreadsheet for the ward clerk. */
async function exportWardResults(dbPath, outPath) {
  const db = new Database(dbPath, { readonly: true });
  // ruleid: select-star-export
  const results = db.prepare('SELECT * FROM cached_results WHERE ward = ?').all('ward-7');
  const workbook = new ExcelJS.Workbook();
  // any: plaintext-health-data
  workbook.addWorksheet('results').addRows(results.map(Object.values));
  await workbook.xlsx.writeFile(outPath);
}

function readTabletSettings(dbPath) {
  const db = new Database(dbPath, { readonly: true });
  // ok: select-star-export
  return db.prepare('SELECT * FROM tablet_settings').all();
}

function hasPendingSync(dbPath) {
  const db = new Database(dbPath, { readonly: true });
  // ok: select-star-export
  return db.prepare('SELECT EXISTS (SELECT * FROM cached_results WHERE synced = 0) AS pending').get().pending === 1;
}

module.exports = { exportDiagnoses, exportDiagnosisCounts, exportOrdersForAudit, exportWardResults, readTabletSettings, hasPendingSync };
