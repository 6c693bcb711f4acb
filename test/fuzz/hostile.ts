import { describe, expect, it } from 'vitest';
import { ANALYSIS_TIMEOUT, type EngineConfig } from '../../server/src/engine/index.js';
import { checkedAnalysis } from './property.js';

/**
 * Valid files an attacker can put in a pull request, each the same line `lines` times: shapes
 * that once made the analysis quadratic or worse (every use of a parameter walking its whole
 * function, every finding scanning every suppression comment, every column every other column)
 * or that nest deeper than a recursive walk survives. Each must finish and say what it did not
 * analyse.
 */
export function hostileFiles(lines: number): Record<string, string> {
  const rep = (line: (i: number) => string, separator = '\n') =>
    Array.from({ length: lines }, (_, i) => line(i)).join(separator);
  return {
    'star-constants.ts': rep((i) => `export const q${i} = 'SELECT * FROM patients';`),
    'star-in-one-function.ts': `export async function f(db, res) {\n${rep((i) => `  const r${i} = await db.query('SELECT * FROM patients WHERE id = ${i}');`)}\n  res.json(r1);\n}\n`,
    'routes.ts': `import express from 'express';\nconst app = express();\n${rep((i) => `app.get('/api/p${i}/:id', (req, res) => res.json({ diagnosis: req.body.d${i} }));`)}\n`,
    'regex-routes.ts': `import express from 'express';\nconst app = express();\n${rep((i) => `app.get(/^\\/(a+)+${i}$/, (req, res) => res.json(req.body));`)}\n`,
    'logs-in-one-function.ts': `export function f(patient: { diagnosis: string }) {\n${rep((i) => `  console.log('x${i}', patient.diagnosis);`)}\n}\n`,
    'one-parameter-sent-everywhere.ts': `import axios from 'axios';\nexport async function f(patient) {\n${rep((i) => `  await axios.post('http://x${i}.example.com', patient);`)}\n}\n`,
    'fetch.ts': `export async function f(patient: { diagnosis: string }) {\n${rep((i) => `  await fetch('http://h${i}.example.com/x', { method: 'POST', body: JSON.stringify(patient) });`)}\n}\n`,
    'storage.ts': `export function f(patient) {\n${rep((i) => `  localStorage.setItem('k${i}', JSON.stringify(patient));`)}\n}\n`,
    'branches.ts': `export function f(p: { diagnosis: string }) {\n${rep((i) => `  if (p.diagnosis === 'x${i}') { console.log(p); }`)}\n}\n`,
    'suppressions.ts': rep(
      (i) => `// gdpr-lint-disable-next-line health-data-in-logs -- reviewed ${i}\nconsole.log(patient.diagnosis);`,
    ),
    'identifiers.ts': rep((i) => `export const n${i} = '${nir(i)}';`),
    'entity.ts': `@Entity() export class P {\n${rep((i) => `  @Column() diagnosis${i}: string;`)}\n}\n`,
    'exports.ts': `import fs from 'fs';\nexport async function f(db) {\n${rep((i) => `  const r${i} = await db.query('SELECT * FROM patients'); fs.writeFileSync('/srv/www/public/x${i}.csv', JSON.stringify(r${i}));`)}\n}\n`,
    'chain.ts': `export function f(p) {\n  let v0 = p.diagnosis;\n${rep((i) => `  const v${i + 1} = v${i};`)}\n  console.log(v${lines});\n}\n`,
    'suppression-blocks.ts': `export function f(patient: { diagnosis: string }) {\n${rep((i) => `  /* gdpr-lint-disable health-data-in-logs -- ok ${i} */\n  console.log(patient.diagnosis);\n  /* gdpr-lint-enable health-data-in-logs */`)}\n}\n`,
    'identifiers-in-one-template.ts': `export const dump = \`\n${rep((i) => `patient ${i}: ${nir(i)}`)}\n\`;\n`,
    'entity-chain.ts': rep(
      (i) =>
        `@Entity() export class E${i} { @PrimaryColumn() id: number; @ManyToOne(() => ${i === 0 ? 'Patient' : `E${i - 1}`}) parent: unknown; @Column() diagnosis: string; }`,
    ),
    'imports.ts': `${rep((i) => `import { x${i} } from './m${i}';`)}\nexport const y = 1;\n`,
    'queries.sql': rep((i) => `SELECT * FROM patients WHERE id = ${i};`),
    'foreign-key-chain.sql': `CREATE TABLE patients (id INT PRIMARY KEY, nom TEXT);\n${rep((i) => `CREATE TABLE t${i} (id INT PRIMARY KEY, parent_id INT REFERENCES ${i === 0 ? 'patients' : `t${i - 1}`}(id), diagnosis TEXT);`)}`,
    'in-list.sql': `SELECT * FROM patients WHERE id IN (\n${rep((i) => `${i}`, ',\n')}\n);`,
    'tables.sql': rep((i) => `CREATE TABLE t${i} (id INT, diagnosis TEXT, nir TEXT);`),
    'schema.prisma': rep((i) => `model M${i} {\n  id Int @id\n  diagnosis String\n}`),
    'relation-chain.prisma': `model Patient {\n  id Int @id\n  nom String\n}\n${rep((i) => `model M${i} {\n  id Int @id\n  parentId Int\n  parent ${i === 0 ? 'Patient' : `M${i - 1}`} @relation(fields: [parentId], references: [id])\n  diagnosis String\n}`)}`,
    // Deep: a concatenation of `lines` terms, a method chain, nested blocks and calls.
    'concatenation.ts': `export function f(patient: { diagnosis: string }) {\n  const s = ${rep((i) => `'p${i}'`, ' +\n    ')} + patient.diagnosis;\n  console.log(s);\n}\n`,
    'method-chain.ts': `export const r = app\n${rep((i) => `  .use(m${i})`)}\n  .get('/api/patients/:id', (req, res) => res.json(req.body));\n`,
    'nested-blocks.ts': `export function f(p: { diagnosis: string }) {\n${rep(() => 'if (p) {')}\nconsole.log(p.diagnosis);\n${rep(() => '}')}\n}\n`,
    'nested-calls.ts': `export const x = ${rep(() => 'f(')}patient.diagnosis${rep(() => ')')};\n`,
  };
}

/** A checksum-valid French NIR (synthetic): the key is 97 minus the first 13 digits modulo 97. */
export function nir(i: number): string {
  const body = `18505780${String(i % 100_000).padStart(5, '0')}`;
  const key = 97 - Number(BigInt(body) % 97n);
  return body + String(key).padStart(2, '0');
}

/** Every hostile file finishes alone in its project; what the analysis left out is said. */
export function hostileSuite(lines: number, config: EngineConfig): void {
  describe(`hostile files of ${lines.toLocaleString('en-US')} lines finish and say what they left out`, () => {
    it.each(Object.entries(hostileFiles(lines)))('%s', (path, text) => {
      const result = checkedAnalysis(config, [
        { path: `src/${path}`, text },
        { path: 'src/ok.ts', text: 'export function g(r: { diagnosis: string }) { console.log(r.diagnosis); }\n' },
      ]);
      // The other file of the project is analysed in full.
      expect(result.findings.filter((f) => f.file === 'src/ok.ts').map((f) => f.ruleId)).toContain(
        'health-data-in-logs',
      );
      const mine = result.notes.filter((n) => n.file === `src/${path}`);
      const stopped = mine.find((n) => n.kind === 'timeout');
      if (stopped) {
        expect(stopped.message).toMatch(/stopped after its budget of [\d,]+ units of work/);
        expect(result.findings).toContainEqual(
          expect.objectContaining({ file: `src/${path}`, ruleId: ANALYSIS_TIMEOUT, severity: 'note' }),
        );
      }
      const left = mine.find((n) => n.kind === 'ts-syntax');
      if (left)
        expect(left.message).toMatch(
          /^(not analysed: its code nests [\d,]+ levels deep|could not be parsed: it nests too deeply)/,
        );
    });
  });
}
