import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify';

// Kysely database description (compile-time types only)
interface ReferralTable {
  id: string;
  patient_id: string;
  // ok: plaintext-health-data
  referral_reason: string;
  urgency: 'routine' | 'urgent' | 'two_week_wait';
}

interface SettingTable {
  key: string;
  value: string;
}

export interface Database {
  referrals: ReferralTable;
  settings: SettingTable;
}

export const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool: new Pool({ connectionString: process.env.EHR_DATABASE_URL }) }),
});

export async function migrateReferrals(): Promise<void> {
  await db.schema
    .createTable('referrals')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('patient_id', 'uuid', (col) => col.notNull())
    // ruleid: plaintext-health-data
    .addColumn('referral_reason', 'text')
    // ruleid: plaintext-health-data
    .addColumn('suspected_cancer_site', 'varchar(60)')
    // ok: plaintext-health-data
    .addColumn('urgency', 'varchar(16)', (col) => col.notNull())
    .execute();
}

/** Monthly file for the cancer alliance audit. */
export async function exportTwoWeekWaitReferrals(path: string): Promise<void> {
  // ruleid: select-star-export
  const rows = await db.selectFrom('referrals').selectAll().where('urgency', '=', 'two_week_wait').execute();
  const out = createWriteStream(path);
  // any: plaintext-health-data
  stringify(rows, { header: true }).pipe(out);
}

/** Same audit, reduced to what the alliance asked for. */
export async function exportTwoWeekWaitCounts(path: string): Promise<void> {
  // ok: select-star-export
  const rows = await db.selectFrom('referrals').select(['urgency', db.fn.countAll().as('total')]).groupBy('urgency').execute();
  // ok: plaintext-health-data
  stringify(rows, { header: true }).pipe(createWriteStream(path));
}

export async function loadSettings(): Promise<Record<string, string>> {
  // ok: select-star-export
  const rows = await db.selectFrom('settings').selectAll().execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}
