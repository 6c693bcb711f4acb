/**
 * The fixes of the demo lab app's PostgreSQL SQL, executed by a real PostgreSQL engine (PGlite,
 * PostgreSQL compiled to WebAssembly): the migrations run, then the fixed export SQL runs against
 * the schema they made. A column list naming ORM properties instead of columns fails here.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './cli/run-cli.js';
import { REPO_ROOT } from './helpers.js';

const POSTGRES_MIGRATIONS = /^V\d+__(?!.*sqlserver).*\.sql$/;

async function migrated(app: string): Promise<PGlite> {
  const db = await PGlite.create({ extensions: { pgcrypto } });
  const dir = join(app, 'db', 'migrations');
  for (const file of readdirSync(dir)
    .filter((f) => POSTGRES_MIGRATIONS.test(f))
    .sort())
    await db.exec(readFileSync(join(dir, file), 'utf8'));
  return db;
}

/** A COPY's server-side file becomes one PGlite's file system has: the statement is what is tested, not the folder. */
const runnable = (sql: string) => sql.replace(/TO\s+'[^']*\/([^/']+)'/g, "TO '/tmp/$1'");

describe('the fixed export SQL of examples/lab-app runs on PostgreSQL', () => {
  it('after the migrations, every fixed statement executes and lists real columns', async () => {
    const app = join(mkdtempSync(join(tmpdir(), 'gdpr-pglite-')), 'lab-app');
    cpSync(join(REPO_ROOT, 'examples', 'lab-app'), app, { recursive: true });
    const before = await migrated(app);
    // The original runs too: the test would prove nothing otherwise.
    await before.exec(runnable(readFileSync(join(app, 'db', 'exports', 'nightly.sql'), 'utf8')));
    await before.close();

    const run = await runInProcess(['scan', '.', '--fix', '--rule', 'select-star-export'], app);
    expect(run.stderr).toContain('fixed db/exports/nightly.sql');
    const fixed = readFileSync(join(app, 'db', 'exports', 'nightly.sql'), 'utf8');
    expect(fixed).not.toMatch(/SELECT \* FROM patients/);
    const db = await migrated(app);
    await db.exec(runnable(fixed));
    const columns = await db.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'patients_backup_v004' ORDER BY ordinal_position",
    );
    const original = await db.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'patients' ORDER BY ordinal_position",
    );
    expect(columns.rows.map((r) => r.column_name)).toEqual(original.rows.map((r) => r.column_name));
    await db.close();
  });

  it('the encrypting fix of a plaintext write runs, and decrypts back; a column too short is left to a migration', async () => {
    const app = join(mkdtempSync(join(tmpdir(), 'gdpr-pglite-')), 'lab-app');
    cpSync(join(REPO_ROOT, 'examples', 'lab-app'), app, { recursive: true });
    const seed = [
      "INSERT INTO patients (id, nom, prenom, date_naissance, sexe, nir) VALUES ('00000000-0000-4000-8000-000000000001', 'Martin', 'Alice', '1980-01-01', 'F', '100000000000000');",
      "INSERT INTO prelevements (code_barre, patient_id, preleve_le, renseignements_cliniques) VALUES ('TUBE0001', '00000000-0000-4000-8000-000000000001', now(), 'diabete de type 2 sous insuline');",
      '',
    ].join('\n');
    writeFileSync(join(app, 'db', 'import-patients.sql'), seed);
    const listed = await runInProcess(['scan', '.', '--rule', 'plaintext-health-data', '-f', 'json'], app);
    const titles = (
      JSON.parse(listed.stdout) as { findings: { file: string; line: number; fixes?: { title: string }[] }[] }
    ).findings
      .filter((f) => f.file === 'db/import-patients.sql')
      .map((f) => [f.line, (f.fixes ?? []).map((x) => x.title)]);
    // nir is CHAR(15): the ciphertext does not fit, the fix says so; the clinical text column is TEXT.
    expect(titles).toEqual([
      [
        1,
        [
          "Encrypt the value with pgp_sym_encrypt(..., current_setting('app.key')) (the column holds 15 characters, too few for the ciphertext: widen it in a migration)",
          expect.stringMatching(/^Suppress/),
        ],
      ],
      [
        2,
        ["Encrypt the value with pgp_sym_encrypt(..., current_setting('app.key'))", expect.stringMatching(/^Suppress/)],
      ],
    ]);
    const run = await runInProcess(
      ['scan', '.', '--fix', '--fix-type', 'safe,unsafe', '--rule', 'plaintext-health-data'],
      app,
    );
    expect(run.stderr).toContain('fixed db/import-patients.sql (1 fix)');
    const fixed = readFileSync(join(app, 'db', 'import-patients.sql'), 'utf8');
    // Only the fix that can work is applied.
    expect(fixed).toBe(
      seed.replace(
        "'diabete de type 2 sous insuline'",
        "pgp_sym_encrypt('diabete de type 2 sous insuline', current_setting('app.key'))",
      ),
    );
    const db = await migrated(app);
    await db.exec("SET app.key = 'demo-key';");
    await db.exec(fixed);
    const back = await db.query<{ clear: string }>(
      "SELECT pgp_sym_decrypt(renseignements_cliniques::bytea, 'demo-key') AS clear FROM prelevements WHERE code_barre = 'TUBE0001'",
    );
    expect(back.rows).toEqual([{ clear: 'diabete de type 2 sous insuline' }]);
    await db.close();
  });
});
