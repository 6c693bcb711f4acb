import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
import { drizzle } from 'drizzle-orm/node-postgres';
import { eq } from 'drizzle-orm';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { clinicVisits } from '../db/drizzle/pg-schema';
import { Encounter } from '../entities/Encounter.entity';

const prisma = new PrismaClient();
const db = drizzle(process.env.EHR_DATABASE_URL ?? '');
const ds = new DataSource({ type: 'postgres', url: process.env.EHR_DATABASE_URL, entities: [Encounter] });

export const reports = Router();

reports.get('/reports/patients.csv', async (_req, res) => {
  // ruleid: select-star-export
  const patients = await prisma.patient.findMany({ where: { createdAt: { gte: new Date('2024-01-01') } } });
  res.attachment('patients.csv');
  res.send(stringify(patients, { header: true }));
});

reports.get('/reports/patients-minimal.csv', async (_req, res) => {
  // ok: select-star-export
  const patients = await prisma.patient.findMany({ select: { id: true, givenName: true, familyName: true } });
  res.attachment('patients.csv').send(stringify(patients, { header: true }));
});

reports.get('/reports/visits/:clinicianId.csv', async (req, res) => {
  // ruleid: select-star-export
  const visits = await db.select().from(clinicVisits).where(eq(clinicVisits.clinicianId, Number(req.params.clinicianId)));
  res.attachment('visits.csv').send(stringify(visits, { header: true }));
});

reports.get('/reports/visit-volumes.csv', async (_req, res) => {
  // ok: select-star-export
  const rows = await db.select({ status: clinicVisits.visitStatus, startedAt: clinicVisits.startedAt }).from(clinicVisits);
  res.attachment('volumes.csv').send(stringify(rows, { header: true }));
});

reports.get('/reports/encounters.json', async (_req, res) => {
  // ruleid: select-star-export
  const encounters = await ds.manager.find(Encounter, { order: { admittedAt: 'DESC' }, take: 5000 });
  res.attachment('encounters.json').json(encounters);
});

reports.get('/reports/encounters-by-status.csv', async (_req, res) => {
  // ruleid: select-star-export
  const encounters = await ds.getRepository(Encounter).createQueryBuilder('e').where('e.status = :s', { s: 'discharged' }).getMany();
  res.attachment('discharged.csv').send(stringify(encounters, { header: true }));
});

reports.get('/encounters/:id', async (req, res) => {
  // ok: select-star-export
  const encounter = await ds.getRepository(Encounter).findOneBy({ id: req.params.id });
  res.json({ id: encounter?.id, status: encounter?.status });
});

reports.get('/lab-results/:patientId', async (req, res) => {
  // ok: select-star-export
  const results = await prisma.labResult.findMany({ where: { patientId: req.params.patientId } });
  res.render('results', { results });
});
