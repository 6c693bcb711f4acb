import { Pool } from 'pg';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { encrypt } from '../services/crypto';
import type { LabResult } from '../types/ehr';

const pool = new Pool({ connectionString: process.env.EHR_DATABASE_URL });
const s3 = new S3Client({ region: 'eu-west-2' });
const EXPORT_DIR = process.env.EXPORT_DIR ?? '/srv/northgate/exports';

/** Nightly extract for the regional data warehouse (outsourced, SFTP pick-up). */
export async function nightlyWarehouseExtract(): Promise<void> {
  // ruleid: select-star-export
  const { rows } = await pool.query(`select * from lab_results where resulted_at >= now() - interval '1 day'`);
  const file = createWriteStream(`${EXPORT_DIR}/lab_results.csv`);
  const csv = stringify({ header: true });
  csv.pipe(file);
  // any: plaintext-health-data
  for (const row of rows) csv.write(row);
  csv.end();
}

/** Same extract after the DPIA: pseudonymised and restricted columns. */
export async function nightlyWarehouseExtractMinimal(): Promise<void> {
  const { rows } = await pool.query(
    // ok: select-star-export
    `SELECT r.loinc_code, r.units, date_trunc('day', r.resulted_at) AS day, count(*) AS n
       FROM lab_results r
      GROUP BY 1, 2, 3`,
  );
  // ok: plaintext-health-data
  stringify(rows, { header: true }).pipe(createWriteStream(`${EXPORT_DIR}/lab_volumes.csv`));
}

/** Archive to the cold-storage bucket (SSE only). */
export async function archivePatientsToBucket(): Promise<void> {
  // ruleid: select-star-export
  const { rows } = await pool.query('SELECT p.* FROM ehr_patients p JOIN lab_results r ON r.patient_id = p.id');
  await s3.send(
    new PutObjectCommand({
      Bucket: 'northgate-cold-archive',
      Key: `patients/${new Date().toISOString().slice(0, 10)}.json`,
      // any: plaintext-health-data
      Body: JSON.stringify(rows),
      ServerSideEncryption: 'aws:kms',
    }),
  );
}

export async function writeResultSnapshot(labResults: LabResult[]): Promise<void> {
  // ruleid: plaintext-health-data
  await writeFile(`${EXPORT_DIR}/snapshot.json`, JSON.stringify(labResults, null, 2));
}

export async function writeEncryptedResultSnapshot(labResults: LabResult[]): Promise<void> {
  // ok: plaintext-health-data
  await writeFile(`${EXPORT_DIR}/snapshot.json.enc`, encrypt(JSON.stringify(labResults)));
}

export async function countPendingResults(): Promise<number> {
  // ok: select-star-export
  const { rows } = await pool.query("select count(*)::int as n from lab_results where status = 'preliminary'");
  return rows[0].n;
}

export async function patientsWithoutResults(): Promise<string[]> {
  // ok: select-star-export
  const { rows } = await pool.query('SELECT p.id FROM ehr_patients p WHERE NOT EXISTS (SELECT * FROM lab_results r WHERE r.patient_id = p.id)');
  return rows.map((r: { id: string }) => r.id);
}

export async function loadFeatureToggles(): Promise<Map<string, boolean>> {
  // ok: select-star-export
  const { rows } = await pool.query('SELECT * FROM feature_toggles');
  return new Map(rows.map((r: { name: string; enabled: boolean }) => [r.name, r.enabled]));
}

// Old version kept for reference, replaced by nightlyWarehouseExtractMinimal:
// await pool.query('SELECT * FROM ehr_patients');
export const EXPORT_VERSION = 3;
