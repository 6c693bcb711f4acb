import { int, mysqlTable, text, varchar, datetime, varbinary } from 'drizzle-orm/mysql-core';

// Tables shared with the partner clinics in Munich, Valencia and Bologna (MySQL 8).
// Column names follow each clinic's own LIS export.

export const befunde = mysqlTable('befunde', {
  id: int('id').primaryKey().autoincrement(),
  // ok: plaintext-health-data
  nachname: varchar('nachname', { length: 80 }),
  // ok: plaintext-health-data
  geburtsdatum: datetime('geburtsdatum'),
  // ruleid: plaintext-health-data
  krankenversichertennummer: varchar('krankenversichertennummer', { length: 10 }),
  // ruleid: plaintext-health-data
  diagnose: text('diagnose'),
  // ruleid: plaintext-health-data
  blutgruppe: varchar('blutgruppe', { length: 3 }),
  // ok: plaintext-health-data
  befundChiffrat: varbinary('befund_chiffrat', { length: 2048 }),
});

export const historias = mysqlTable('historias_clinicas', {
  id: int('id').primaryKey().autoincrement(),
  // ok: plaintext-health-data
  apellido: varchar('apellido', { length: 80 }),
  // ruleid: plaintext-health-data
  diagnosticoPrincipal: varchar('diagnostico_principal', { length: 255 }),
  // ruleid: plaintext-health-data
  embarazo: int('embarazo'),
  // ruleid: plaintext-health-data
  grupoSanguineo: varchar('grupo_sanguineo', { length: 3 }),
});

export const referti = mysqlTable('referti', {
  id: int('id').primaryKey().autoincrement(),
  // ruleid: plaintext-health-data
  codiceFiscale: varchar('codice_fiscale', { length: 16 }),
  // ruleid: plaintext-health-data
  diagnosi: text('diagnosi'),
  // ruleid: plaintext-health-data
  statoGravidanza: varchar('stato_gravidanza', { length: 12 }),
  // ok: plaintext-health-data
  cognome: varchar('cognome', { length: 80 }),
});
