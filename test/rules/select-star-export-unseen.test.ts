import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'select-star-export';
const SCHEMA = [
  'CREATE TABLE patients (id UUID PRIMARY KEY, given_name TEXT, nhs_number CHAR(10), hiv_status TEXT);',
  'CREATE TABLE app_settings (key VARCHAR(64) PRIMARY KEY, value TEXT);',
].join('\n');

/** The tokens the rule underlines in `path`, in order. */
function flagged(files: Record<string, string>, path: string): string[] {
  return findingsOf(RULE, { 'db/schema.sql': SCHEMA, ...files })
    .filter((f) => f.file === path)
    .sort((a, b) => a.range.start - b.range.start)
    .map((f) => covered(files[path]!, f));
}

/**
 * Shapes found missing by the holdout corpus (test/holdout/data), in other variants than the
 * holdout's own lines: Kysely, Objection.js, PascalCase settings tables of SQL Server.
 */
describe(`${RULE} on shapes of other frameworks`, () => {
  it('Kysely selectAll() compiles to SELECT *: flagged on a personal table, not on a settings table', () => {
    const path = 'src/repo.ts';
    const files = {
      [path]: `import { writeFile } from 'node:fs/promises';
import { db } from './db';
export async function everyone(path: string) {
  const rows = await db.selectFrom('patients as p').selectAll('p').where('p.given_name', 'like', 'A%').execute();
  await writeFile(path, JSON.stringify(rows));
}
export async function settings(path: string) {
  const rows = await db.selectFrom('app_settings').selectAll().execute();
  await writeFile(path, JSON.stringify(rows));
}
export async function names() {
  return db.selectFrom('patients').select(['id', 'given_name']).execute();
}
`,
    };
    expect(flagged(files, path)).toEqual(['selectAll']);
  });

  it('Objection Model.query() with no select that feeds a file; narrowed or shown on a page it is not', () => {
    const path = 'src/jobs/dump.ts';
    const files = {
      [path]: `import { writeFile } from 'node:fs/promises';
import { Patient } from '../models/Patient';
export async function dumpAll() {
  const all = await Patient.query().withGraphFetched('results').orderBy('id');
  await writeFile('/srv/dump/patients.json', JSON.stringify(all));
}
export async function dumpIds() {
  const ids = await Patient.query().select('id');
  await writeFile('/srv/dump/ids.json', JSON.stringify(ids));
}
export async function show(id: string) {
  return Patient.query().findById(id);
}
`,
    };
    expect(flagged(files, path)).toEqual(['query']);
  });

  it("a PascalCase settings table of SQL Server is technical: its SettingName is not a person's name", () => {
    const path = 'db/portal.sql';
    const files = {
      [path]: `CREATE TABLE dbo.PortalSettings (SettingName NVARCHAR(100) PRIMARY KEY, [Value] NVARCHAR(400));
CREATE TABLE dbo.PatientNotes (Id INT PRIMARY KEY, PatientName NVARCHAR(100), Diagnosis NVARCHAR(400));
GO
SELECT * FROM dbo.PortalSettings;
GO
SELECT * FROM dbo.PatientNotes;
GO
`,
    };
    expect(flagged(files, path)).toEqual(['*']);
    const finding = findingsOf(RULE, { 'db/schema.sql': SCHEMA, ...files }).find((f) => f.file === path)!;
    expect(finding.message).toContain('PatientNotes');
  });
});
