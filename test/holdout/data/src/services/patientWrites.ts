import { PrismaClient } from '@prisma/client';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Encounter } from '../entities/Encounter.entity';
import { LabOrder } from '../models/LabOrder.model';

const prisma = new PrismaClient();
const pool = new Pool({ connectionString: process.env.EHR_DATABASE_URL });
const ds = new DataSource({ type: 'postgres', url: process.env.EHR_DATABASE_URL, entities: [Encounter] });

export async function recordHivResult(patientId: string, hivStatus: string): Promise<void> {
  // ruleid: plaintext-health-data
  await prisma.patient.update({ where: { id: patientId }, data: { hivStatus } });
}

export async function recordHistory(patientId: string, medicalHistory: string): Promise<void> {
  // ok: plaintext-health-data
  await prisma.patient.update({ where: { id: patientId }, data: { medicalHistory } });
}

export async function registerPatient(givenName: string, familyName: string, dateOfBirth: Date): Promise<string> {
  // ok: plaintext-health-data
  const p = await prisma.patient.create({ data: { givenName, familyName, dateOfBirth } });
  return p.id;
}

export async function storeResult(patientId: string, loincCode: string, resultValue: string): Promise<void> {
  // ruleid: plaintext-health-data
  await prisma.labResult.create({ data: { patientId, loincCode, resultValue, status: 'final' } });
}

export async function setDiagnosisSql(encounterId: string, diagnosis: string): Promise<void> {
  // ruleid: plaintext-health-data
  await pool.query('update encounters set diagnosis = $2, status = $3 where id = $1', [encounterId, diagnosis, 'coded']);
}

export async function setNotesSql(encounterId: string, notes: string): Promise<void> {
  // ok: plaintext-health-data
  await pool.query("update encounters set mental_health_notes = pgp_sym_encrypt($2, current_setting('app.field_key')) where id = $1", [encounterId, notes]);
}

export async function setStatusSql(encounterId: string): Promise<void> {
  // ok: plaintext-health-data
  await pool.query("UPDATE encounters SET status = 'discharged' WHERE id = $1", [encounterId]);
}

export async function linkSsn(patientId: string, ssn: string): Promise<void> {
  // Unkeyed digest: still guessable from a 9-digit space.
  // ruleid: plaintext-health-data
  await pool.query("INSERT INTO patient_ssn_index (patient_id, ssn) VALUES ($1, encode(digest($2, 'sha256'), 'hex'))", [patientId, ssn]);
}

export async function saveEncounter(patientId: string, bloodType: string): Promise<void> {
  const repo = ds.getRepository(Encounter);
  // ruleid: plaintext-health-data
  await repo.save({ patientId, bloodType, status: 'open' });
}

export async function orderTests(accessionNumber: string, clinicalIndication: string, testCodes: string[]): Promise<void> {
  // ruleid: plaintext-health-data
  await LabOrder.create({ accessionNumber, clinicalIndication, testCodes });
}

export async function orderTestsMinimal(accessionNumber: string, testCodes: string[]): Promise<void> {
  // ok: plaintext-health-data
  await LabOrder.create({ accessionNumber, testCodes });
}
