import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'plaintext-health-data';

const TYPES = `export type Flag = 'N' | 'H' | 'L';
export interface LabResultDto { id: string; analyte: string; value: number; flag: Flag; diagnosis?: string }
export interface ReportDto { id: string; status: 'DRAFT' | 'FINAL'; results: LabResultDto[] }
export interface DisplayPrefs { lang: 'fr' | 'en'; columns: string[] }
export interface TubeTracking { barcode: string; status: string; receivedAt?: string }
export interface Diagnostic { message: string; severity: 1 | 2; line: number }`;

/** Each case: the sink file (importing ../types/dto), then the covered text of each finding. */
const cases: { name: string; code: string; found: string[] }[] = [
  // the value's type, declared in another file, says it is health data
  {
    name: 'localStorage of a typed DTO',
    code: `export function keep(r: LabResultDto) { localStorage.setItem('last', JSON.stringify(r)); }`,
    found: ['JSON.stringify(r)'],
  },
  {
    name: 'IndexedDB (idb) of a nested DTO',
    code: `const dbp = openDB('app', 1);\nexport async function cache(rep: ReportDto) { const db = await dbp; await db.put('reports', rep); }`,
    found: ['rep'],
  },
  {
    name: 'idb-keyval set',
    code: `import { set } from 'idb-keyval';\nexport async function k(r: LabResultDto) { await set('r', r); }`,
    found: ['r'],
  },
  {
    name: 'a file written with a CSV of typed rows',
    code: `import { writeFileSync } from 'node:fs';\nexport function dump(rows: LabResultDto[]) { writeFileSync('/tmp/out.csv', stringify(rows)); }`,
    found: ['stringify(rows)'],
  },
  {
    name: 'a write stream',
    code: `import fs from 'node:fs';\nexport function dump(rows: LabResultDto[]) { const out = fs.createWriteStream('x.ndjson'); for (const r of rows) out.write(JSON.stringify(r)); }`,
    found: ['JSON.stringify(r)'],
  },
  {
    name: 'document.cookie with a property in a template',
    code: "export function c(r: LabResultDto) { document.cookie = `dx=${encodeURIComponent(r.diagnosis ?? '')}; secure`; }",
    found: ["`dx=${encodeURIComponent(r.diagnosis ?? '')}; secure`"],
  },
  {
    name: 'res.cookie of a property',
    code: `export function h(req: any, res: any, r: LabResultDto) { res.cookie('v', r.value); }`,
    found: ['r.value'],
  },
  {
    name: 'sessionStorage of an inline type',
    code: `export function draft(a: { medications: string; pregnant: boolean }) { sessionStorage.setItem('d', JSON.stringify(a)); }`,
    found: ['JSON.stringify(a)'],
  },
  // flow inside the function
  {
    name: 'through assignment, spread and object literal',
    code: `export function f(r: LabResultDto) { const copy = { ...r, seen: true }; const payload = { when: Date.now(), copy }; localStorage.setItem('p', JSON.stringify(payload)); }`,
    found: ['JSON.stringify(payload)'],
  },
  {
    name: 'through destructuring',
    code: `export function f(rep: ReportDto) { const { results } = rep; localStorage.setItem('r', JSON.stringify(results)); }`,
    found: ['JSON.stringify(results)'],
  },
  {
    name: 'through a local helper return',
    code: `function pack(r: LabResultDto) { return { v: r.value, a: r.analyte }; }\nexport function f(r: LabResultDto) { localStorage.setItem('p', JSON.stringify(pack(r))); }`,
    found: ['JSON.stringify(pack(r))'],
  },
  {
    name: 'through a later assignment and push',
    code: `export function f(rs: LabResultDto[]) { const out: unknown[] = []; for (const r of rs) out.push(r.diagnosis); localStorage.setItem('o', JSON.stringify(out)); }`,
    found: ['JSON.stringify(out)'],
  },
  {
    name: 'by name when nothing is typed',
    code: `export function f(data: any) { const diagnosis = data.dx; localStorage.setItem('dx', diagnosis); }`,
    found: ['diagnosis'],
  },
  {
    name: 'base64 is not encryption',
    code: `export function f(r: LabResultDto) { localStorage.setItem('r', btoa(JSON.stringify(r))); }`,
    found: ['btoa(JSON.stringify(r))'],
  },
  {
    name: 'an unkeyed hash helper is not encryption',
    code: `function encrypt(s: string) { return Buffer.from(s).toString('base64'); }\nexport function f(r: LabResultDto) { localStorage.setItem('r', encrypt(JSON.stringify(r))); }`,
    found: ['encrypt(JSON.stringify(r))'],
  },
  // not findings
  {
    name: 'preferences are not health data',
    code: `export function f(p: DisplayPrefs) { localStorage.setItem('prefs', JSON.stringify(p)); }`,
    found: [],
  },
  {
    name: 'tube tracking is not health data',
    code: `const dbp = openDB('app', 1);\nexport async function f(t: TubeTracking) { const db = await dbp; await db.put('tubes', t); }`,
    found: [],
  },
  {
    name: 'a list of flag codes (a filter) is not a patient datum',
    code: `export function f(interpretations: Flag[]) { sessionStorage.setItem('filter', JSON.stringify(interpretations)); }`,
    found: [],
  },
  {
    name: 'an id of a health record',
    code: `export function f(r: LabResultDto) { sessionStorage.setItem('id', r.id); res.cookie('rid', r.id); }`,
    found: [],
  },
  {
    name: 'compiler-style Diagnostic objects',
    code: `import { writeFileSync } from 'node:fs';\nexport function f(diagnostics: Diagnostic[]) { writeFileSync('lint.json', JSON.stringify(diagnostics)); }`,
    found: [],
  },
  {
    name: 'WebCrypto before storing',
    code: `async function seal(s: string, k: CryptoKey) { return crypto.subtle.encrypt({ name: 'AES-GCM', iv }, k, new TextEncoder().encode(s)); }\nexport async function f(r: LabResultDto, k: CryptoKey) { sessionStorage.setItem('r', String(await seal(JSON.stringify(r), k))); }`,
    found: [],
  },
  {
    name: 'an imported project helper that encrypts',
    code: `import { encryptField } from '../crypto/field';\nexport function f(r: LabResultDto) { writeFileSync('r.enc', encryptField(JSON.stringify(r))); }`,
    found: [],
  },
  {
    name: 'a count of results',
    code: `export function f(rs: LabResultDto[]) { localStorage.setItem('n', String(rs.length)); }`,
    found: [],
  },
  {
    name: 'an interface declaration is not persistence',
    code: `export interface Stored { diagnosis: string; hivStatus: string }`,
    found: [],
  },
  {
    name: 'writing to axios is not storage',
    code: `export async function f(r: LabResultDto) { await axios.put('/x', r); }`,
    found: [],
  },
];

describe(`${RULE}: files, browser storage, cookies (type-aware)`, () => {
  it.each(cases)('$name', ({ code, found }) => {
    const sink = `import type { LabResultDto, ReportDto, DisplayPrefs, TubeTracking, Diagnostic, Flag } from '../types/dto';\n${code}`;
    const files = {
      'src/client/store.ts': sink,
      'src/types/dto.ts': TYPES,
      'src/crypto/field.ts': `import { createCipheriv } from 'node:crypto';\nexport function encryptField(s: string) { return createCipheriv('aes-256-gcm', k, iv).update(s, 'utf8', 'base64'); }`,
    };
    const findings = findingsOf(RULE, files).filter((f) => f.file === 'src/client/store.ts');
    expect(findings.map((f) => covered(sink, f))).toEqual(found);
  });

  it('points at the field declared in the other file', () => {
    const sink = `import type { LabResultDto } from '../types/dto';\nexport function keep(r: LabResultDto) { localStorage.setItem('last', JSON.stringify(r)); }`;
    const [f] = findingsOf(RULE, { 'src/client/store.ts': sink, 'src/types/dto.ts': TYPES });
    expect(f!.message).toBe(
      'Lab result data (lab-result) written to localStorage without encryption. Why: matched "value" -> lab-result (en) in "LabResultDto" (lab-result) via LabResultDto.value. Expected: encrypt it first (WebCrypto AES-GCM, createCipheriv, a project helper such as encryptField) or do not store it.',
    );
    expect(f!.related).toEqual([
      {
        file: 'src/types/dto.ts',
        range: { start: TYPES.indexOf('value: number'), end: TYPES.indexOf('value: number') + 5 },
        message: 'LabResultDto.value is declared here',
      },
    ]);
  });

  it('ORM reads carry the model: prisma findMany with include, written to a file', () => {
    const files = {
      'prisma/schema.prisma':
        'model Patient {\n  id String @id\n  ssn String /// @encrypted\n  name String\n}\nmodel Visit {\n  id String @id\n  reason String\n}',
      'src/export.ts': `export async function run() {
  const all = await prisma.patient.findMany();
  const names = await prisma.patient.findMany({ select: { id: true, name: true } });
  const visits = await prisma.visit.findMany();
  await writeFile('a.json', JSON.stringify(all.filter((p) => p.id)));
  await writeFile('b.json', JSON.stringify(names));
  await writeFile('c.json', JSON.stringify(visits));
}`,
    };
    const findings = findingsOf(RULE, files).filter((f) => f.file === 'src/export.ts');
    expect(findings.map((f) => covered(files['src/export.ts'], f))).toEqual([
      'JSON.stringify(all.filter((p) => p.id))',
    ]);
    expect(findings[0]!.message).toContain('via Patient.ssn (read from the prisma model)');
  });

  it('the syntactic pass alone (typeAware: false) still sees names and flow, not types', () => {
    const sink = `import type { LabResultDto } from '../types/dto';\nexport function a(r: LabResultDto) { localStorage.setItem('x', JSON.stringify(r)); }\nexport function b(x: any) { localStorage.setItem('y', JSON.stringify({ diagnosis: x })); }`;
    const files = { 'src/client/store.ts': sink, 'src/types/dto.ts': TYPES };
    const off = findingsOf(RULE, files, { rules: { [RULE]: { options: { typeAware: false } } } });
    expect(off.map((f) => covered(sink, f))).toEqual(['JSON.stringify({ diagnosis: x })']);
    expect(findingsOf(RULE, files).map((f) => covered(sink, f))).toEqual([
      'JSON.stringify(r)',
      'JSON.stringify({ diagnosis: x })',
    ]);
  });
});
