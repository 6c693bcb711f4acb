import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { applyEdits, applyFixes, parseSuppressions, syntaxErrorCount } from '../../server/src/engine/index.js';
import { planFixes, writeFixes } from '../../server/src/host/apply-fixes.js';
import { writeFileAtomically } from '../../server/src/host/atomic-write.js';
import { decodeSource } from '../../server/src/host/read.js';
import { CLI, findingsOf, REPO_ROOT } from '../helpers.js';
import { FIXED_SELECT_STAR_LINE } from '../e2e/expected.mjs';
import { runInProcess } from './run-cli.js';

const SCHEMA = 'CREATE TABLE patients (\n  id SERIAL PRIMARY KEY,\n  nom TEXT,\n  diagnostic TEXT\n);\n';
const EXPORT = "COPY (SELECT * FROM patients) TO '/srv/exports/patients.csv' WITH (FORMAT csv);\n";
const FIXED = "COPY (SELECT id, nom, diagnostic FROM patients) TO '/srv/exports/patients.csv' WITH (FORMAT csv);\n";

function tree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gdpr-fix-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const fix = (dir: string, ...args: string[]) =>
  runInProcess(['scan', '.', '--fix', '--rule', 'select-star-export', ...args], dir);

describe('--fix changes the intended bytes and nothing else', () => {
  it('a Windows-1252 (Latin-1) file is edited in its own encoding', async () => {
    const latin = iconv.encode(`-- Export complet : données des patients, résultats\n${EXPORT}`, 'windows-1252');
    const dir = tree({ 'schema.sql': SCHEMA, 'export.sql': latin });
    const run = await fix(dir);
    expect(run.stderr).toContain('fixed export.sql (1 fix)');
    const after = readFileSync(join(dir, 'export.sql'));
    expect(after).toEqual(
      iconv.encode(`-- Export complet : données des patients, résultats\n${FIXED}`, 'windows-1252'),
    );
    expect(after.includes(Buffer.from('\uFFFD', 'utf8'))).toBe(false);
  });

  it('CRLF line endings, a BOM, the trailing newline and the mode are kept', async () => {
    const text = `\uFEFF-- nightly export\r\n${EXPORT.replace('\n', '\r\n')}\r\n`;
    const dir = tree({ 'schema.sql': SCHEMA, 'export.sql': text });
    chmodSync(join(dir, 'export.sql'), 0o640);
    await fix(dir);
    expect(readFileSync(join(dir, 'export.sql'), 'utf8')).toBe(
      `\uFEFF-- nightly export\r\n${FIXED.replace('\n', '\r\n')}\r\n`,
    );
    expect(statSync(join(dir, 'export.sql')).mode & 0o777).toBe(0o640);
  });

  it('inserted line breaks follow the file (CRLF stays CRLF), identical edits apply once', () => {
    const text = 'a\r\nb\r\n';
    const out = applyEdits(text, [
      { start: 3, end: 3, newText: 'import x;\n' },
      { start: 3, end: 3, newText: 'import x;\n' },
    ]);
    expect(out.text).toBe('a\r\nimport x;\r\nb\r\n');
  });

  it('the SELECT * of the demo app becomes the exact line the editor e2e expects, nothing else changes', () => {
    const app = join(REPO_ROOT, 'examples', 'lab-app');
    const walk = (dir: string): string[] =>
      readdirSync(join(app, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
      );
    const files = Object.fromEntries(
      walk('')
        .filter((f) => /\.(ts|sql|prisma)$/.test(f))
        .map((f) => [f, readFileSync(join(app, f), 'utf8')]),
    );
    const text = files['scripts/export-patients.ts']!;
    const before = text.split('\n');
    const at = before.findIndex((l) => l.includes("pool.query('SELECT * FROM patients')"));
    // The quick fix the editor applies: the preferred fix of that finding.
    const finding = findingsOf('select-star-export', files).find(
      (f) => f.file === 'scripts/export-patients.ts' && text.slice(0, f.range.start).split('\n').length - 1 === at,
    )!;
    const fix = finding.fixes!.find((x) => x.isPreferred)!;
    expect(fix.title).toMatch(/^Replace \* with the \d+ columns of patients$/);
    const after = applyEdits(text, fix.edits).text.split('\n');
    expect(after[at]).toBe(FIXED_SELECT_STAR_LINE);
    expect(after.filter((_l, i) => i !== at)).toEqual(before.filter((_l, i) => i !== at));
  });

  it('a fix goes in whole or waits for the next pass: never a call without its import', () => {
    const text = "import a from 'a';\nlog(x.dx);\n";
    const imp = { start: 19, end: 19, newText: "import { redact } from './redact';\n" };
    const wrap = { start: 23, end: 27, newText: 'redact(x.dx)' };
    const other = { start: 23, end: 27, newText: 'x.id' };
    // The id fix comes first and takes the range: the redact fix (wrap + import) is left whole.
    const out = applyFixes(text, [[other], [wrap, imp]]);
    expect(out).toEqual({ text: "import a from 'a';\nlog(x.id);\n", applied: [0], left: [1] });
    // Two fixes sharing one import: written once.
    const two = applyFixes('f(a);\ng(b);\n', [
      [
        { start: 2, end: 3, newText: 'r(a)' },
        { start: 0, end: 0, newText: 'import r;\n' },
      ],
      [
        { start: 8, end: 9, newText: 'r(b)' },
        { start: 0, end: 0, newText: 'import r;\n' },
      ],
    ]);
    expect(two.text).toBe('import r;\nf(r(a));\ng(r(b));\n');
  });

  it('a second --fix run changes nothing', async () => {
    const dir = tree({ 'schema.sql': SCHEMA, 'export.sql': EXPORT });
    await fix(dir);
    const second = await fix(dir);
    expect(second.stderr).toContain('nothing to fix');
    expect(readFileSync(join(dir, 'export.sql'), 'utf8')).toBe(FIXED);
  });
});

/** A stand-in for express (in the temporary project's node_modules): routers record what they are given. */
const EXPRESS_STUB = {
  'node_modules/express/package.json': '{ "name": "express", "main": "index.js" }\n',
  'node_modules/express/index.js':
    "function make() { const routes = []; const app = { routes }; for (const m of ['get', 'post', 'use']) app[m] = (...args) => { routes.push([m, ...args]); return app; }; return app; }\nmodule.exports = make;\nmodule.exports.Router = make;\n",
};

const TWO_ROUTES = {
  esm: {
    'package.json': '{ "name": "two-routes", "type": "module", "dependencies": { "express": "4" } }\n',
    'middleware/auth.js':
      'export function requireAuth(req, res, next) {\n  if (!req.headers.authorization) return res.status(401).end();\n  next();\n}\n',
    'server.js':
      "import express from 'express';\nimport { requireAuth } from './middleware/auth.js';\nimport patients from './routes/patients.js';\n\nexport const app = express();\napp.get('/api/me', requireAuth, (req, res) => res.json({ diagnosis: req.user.diagnosis }));\napp.use('/api', patients);\n",
    'routes/patients.js':
      "import { Router } from 'express';\n\nconst router = Router();\nrouter.get('/patients/:id/diagnosis', (req, res) => res.json({ diagnosis: req.params.id }));\nrouter.get('/patients/:id/results', (req, res) => res.json({ labResult: req.params.id }));\nexport default router;\n",
    load: "import('./routes/patients.js').then((m) => console.log(JSON.stringify(m.default.routes.map((r) => r.map((x) => (typeof x === 'function' ? `fn:${x.name}` : x))))))",
    imported: "import { requireAuth } from '../middleware/auth.js';",
  },
  commonjs: {
    'package.json': '{ "name": "two-routes", "dependencies": { "express": "4" } }\n',
    'middleware/auth.js':
      'function requireAuth(req, res, next) {\n  if (!req.headers.authorization) return res.status(401).end();\n  next();\n}\nmodule.exports = { requireAuth };\n',
    'server.js':
      "const express = require('express');\nconst { requireAuth } = require('./middleware/auth');\nconst patients = require('./routes/patients');\n\nconst app = express();\napp.get('/api/me', requireAuth, (req, res) => res.json({ diagnosis: req.user.diagnosis }));\napp.use('/api', patients);\nmodule.exports = app;\n",
    'routes/patients.js':
      "const { Router } = require('express');\n\nconst router = Router();\nrouter.get('/patients/:id/diagnosis', (req, res) => res.json({ diagnosis: req.params.id }));\nrouter.get('/patients/:id/results', (req, res) => res.json({ labResult: req.params.id }));\nmodule.exports = router;\n",
    load: "console.log(JSON.stringify(require('./routes/patients.js').routes.map((r) => r.map((x) => (typeof x === 'function' ? `fn:${x.name}` : x)))))",
    imported: "const { requireAuth } = require('../middleware/auth');",
  },
};

describe('--fix inserts a call with its import, once per file', () => {
  it.each(Object.entries(TWO_ROUTES))('two routes fixed in one file load in Node (%s)', async (_kind, project) => {
    const { load, imported, ...files } = project;
    const dir = tree({ ...files, ...EXPRESS_STUB });
    const run = await runInProcess(['scan', '.', '--fix', '--rule', 'unauthenticated-route'], dir);
    expect(run.stderr).toContain('fixed routes/patients.js (2 fixes)');
    const fixed = readFileSync(join(dir, 'routes/patients.js'), 'utf8');
    // One import, merged where the file keeps its imports; both routes guarded; nothing else changed.
    expect(fixed.split(imported)).toHaveLength(2);
    expect(fixed.replace(`${imported}\n`, '').replace(/requireAuth, /g, '')).toBe(files['routes/patients.js']);
    const node = spawnSync(process.execPath, ['-e', load], { cwd: dir, encoding: 'utf8' });
    expect(node.stderr).toBe('');
    expect(JSON.parse(node.stdout)).toEqual([
      ['get', '/patients/:id/diagnosis', 'fn:requireAuth', 'fn:'],
      ['get', '/patients/:id/results', 'fn:requireAuth', 'fn:'],
    ]);
    // A second run has nothing left to do.
    expect((await runInProcess(['scan', '.', '--fix', '--rule', 'unauthenticated-route'], dir)).stderr).toContain(
      'nothing to fix',
    );
  });

  it('a middleware the project cannot import is not inserted', async () => {
    const { load: _load, imported: _imported, ...files } = TWO_ROUTES.esm;
    // The project authenticates with a name it neither imports nor exports anywhere: no source to import it from.
    const dir = tree({
      ...files,
      'middleware/auth.js': 'function requireAuth(req, res, next) { next(); }\n',
      'server.js': files['server.js'].replace("import { requireAuth } from './middleware/auth.js';\n", ''),
    });
    const run = await runInProcess(['scan', '.', '--fix', '--rule', 'unauthenticated-route', '-f', 'json'], dir);
    expect(readFileSync(join(dir, 'routes/patients.js'), 'utf8')).toBe(files['routes/patients.js']);
    const titles = (JSON.parse(run.stdout) as { findings: { file: string; fixes?: { title: string }[] }[] }).findings
      .filter((f) => f.file === 'routes/patients.js')
      .map((f) => (f.fixes ?? []).map((x) => x.title));
    expect(titles.length).toBeGreaterThan(0);
    for (const list of titles) expect(list.filter((t) => t.startsWith('Require'))).toEqual([]);
  });
});

describe('--fix never races, escapes or overwrites', () => {
  const planned = (dir: string) => {
    const texts = new Map<string, string>();
    const sources = new Map<string, ReturnType<typeof decodeSource>['source']>();
    for (const file of ['export.sql']) {
      const { text, source } = decodeSource(readFileSync(join(dir, file)));
      texts.set(file, text);
      sources.set(file, source);
    }
    const finding = {
      ruleId: 'select-star-export',
      severity: 'error' as const,
      message: 'm',
      file: 'export.sql',
      range: { start: 13, end: 14 },
      fixes: [{ title: 't', edits: [{ start: 13, end: 14, newText: 'id, nom, diagnostic' }], isPreferred: true }],
    };
    return { plans: planFixes([finding], texts, ['safe']), sources };
  };

  it('a file changed on disk since it was read is not overwritten', () => {
    const dir = tree({ 'export.sql': EXPORT });
    const { plans, sources } = planned(dir);
    writeFileSync(join(dir, 'export.sql'), `-- edited meanwhile\n${EXPORT}`);
    const run = writeFixes(plans, sources, dir);
    expect(run.problems).toEqual([
      { file: 'export.sql', reason: 'changed on disk since it was read: not overwritten' },
    ]);
    expect(readFileSync(join(dir, 'export.sql'), 'utf8')).toBe(`-- edited meanwhile\n${EXPORT}`);
  });

  it('a deleted file is not re-created', () => {
    const dir = tree({ 'export.sql': EXPORT });
    const { plans, sources } = planned(dir);
    unlinkSync(join(dir, 'export.sql'));
    expect(writeFixes(plans, sources, dir).problems[0]!.reason).toMatch(/deleted/);
    expect(existsSync(join(dir, 'export.sql'))).toBe(false);
  });

  it('a symbolic link to a file outside the scanned folder is left alone', async () => {
    const outside = tree({ 'export.sql': EXPORT });
    const dir = tree({ 'schema.sql': SCHEMA });
    symlinkSync(join(outside, 'export.sql'), join(dir, 'export.sql'));
    const run = await fix(dir);
    expect(run.stderr).toContain('not fixed export.sql: a link to a file outside the scanned folder');
    expect(readFileSync(join(outside, 'export.sql'), 'utf8')).toBe(EXPORT);
  });

  it('a read-only file is reported and skipped, and the run goes on', () => {
    const dir = tree({ 'export.sql': EXPORT });
    const { plans, sources } = planned(dir);
    const readOnly = () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    const run = writeFixes([...plans, { ...plans[0]!, file: 'missing.sql' }], sources, dir, readOnly);
    expect(run.problems).toEqual([
      { file: 'export.sql', reason: 'read-only: left alone' },
      { file: 'missing.sql', reason: 'not read by this scan' },
    ]);
    expect(readFileSync(join(dir, 'export.sql'), 'utf8')).toBe(EXPORT);
  });

  it('unsafe fixes (encryption that needs a migration) only with --fix-type unsafe', async () => {
    const dir = tree({ 'insert.sql': `${SCHEMA}INSERT INTO patients (nom, diagnostic) VALUES ($1, $2);\n` });
    const plain = await runInProcess(['scan', '.', '--fix', '--rule', 'plaintext-health-data'], dir);
    expect(plain.stderr).toContain('nothing to fix');
    const unsafe = await runInProcess(
      ['scan', '.', '--fix', '--fix-type', 'safe,unsafe', '--rule', 'plaintext-health-data'],
      dir,
    );
    expect(unsafe.stderr).toMatch(/fixed insert\.sql/);
    expect(readFileSync(join(dir, 'insert.sql'), 'utf8')).toContain('pgp_sym_encrypt($2');
  });

  it('--fix-dry-run prints the diff and writes nothing', async () => {
    const dir = tree({ 'schema.sql': SCHEMA, 'export.sql': EXPORT });
    const run = await runInProcess(['scan', '.', '--fix-dry-run', '--rule', 'select-star-export'], dir);
    expect(run.stdout).toContain('-COPY (SELECT * FROM patients)');
    expect(run.stdout).toContain('+COPY (SELECT id, nom, diagnostic FROM patients)');
    expect(readFileSync(join(dir, 'export.sql'), 'utf8')).toBe(EXPORT);
  });

  it('with --baseline, only the findings the scan reports are fixed', async () => {
    const dir = tree({ 'schema.sql': SCHEMA, 'old.sql': EXPORT });
    expect((await runInProcess(['baseline', 'base.json', '.', '--rule', 'select-star-export'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'new.sql'), EXPORT);
    await runInProcess(['scan', '.', '--fix', '--baseline', 'base.json', '--rule', 'select-star-export'], dir);
    expect(readFileSync(join(dir, 'old.sql'), 'utf8')).toBe(EXPORT);
    expect(readFileSync(join(dir, 'new.sql'), 'utf8')).toBe(FIXED);
  });

  it('with --changed-since, only the findings the change introduced are fixed', async () => {
    const dir = tree({ 'schema.sql': SCHEMA, 'old.sql': EXPORT });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=a', ...args], { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'before');
    writeFileSync(join(dir, 'new.sql'), EXPORT);
    const run = await runInProcess(
      ['scan', '.', '--fix', '--changed-since', 'HEAD', '--rule', 'select-star-export'],
      dir,
    );
    expect(run.stderr).toContain('fixed new.sql (1 fix)');
    expect(readFileSync(join(dir, 'old.sql'), 'utf8')).toBe(EXPORT);
    expect(readFileSync(join(dir, 'new.sql'), 'utf8')).toBe(FIXED);
  });

  it('fixes that overlap are applied over several passes, until nothing changes', async () => {
    // The finally block of export-without-erasure covers the `r.*` that select-star-export expands:
    // the first pass applies one, the next pass the other, on the text the first one left.
    const app = join(mkdtempSync(join(tmpdir(), 'gdpr-fix-')), 'lab-app');
    cpSync(join(REPO_ROOT, 'examples', 'lab-app'), app, { recursive: true });
    const rules = ['--rule', 'select-star-export', '--rule', 'export-without-erasure'];
    const run = await runInProcess(['scan', '.', '--fix', ...rules], app);
    expect(run.stderr).toContain('fixed scripts/export-patients.ts (3 fixes)');
    const fixed = readFileSync(join(app, 'scripts', 'export-patients.ts'), 'utf8');
    expect(fixed).toContain('  } finally {\n    await rm(`${PUBLIC_DIR}/patients.csv`, { force: true });\n  }');
    expect(fixed).not.toMatch(/SELECT \*|r\.\*/);
    expect(syntaxErrorCount('export-patients.ts', fixed)).toBe(0);
    expect((await runInProcess(['scan', '.', '--fix', ...rules], app)).stderr).toContain('nothing to fix');
  });

  it('a run killed while writing leaves every file either old or new, never empty or half-written', async () => {
    const files: Record<string, string> = { 'schema.sql': SCHEMA };
    const before = (i: number) => `-- export ${i}\n${EXPORT}`.repeat(20);
    const after = (i: number) => `-- export ${i}\n${FIXED}`.repeat(20);
    for (let i = 0; i < 400; i++) files[`exports/e${i}.sql`] = before(i);
    const dir = tree(files);
    const folder = join(dir, 'exports');
    const child = spawn(
      process.execPath,
      [CLI, 'scan', '.', '--fix', '--rule', 'select-star-export', '--format', 'json'],
      { cwd: dir, stdio: 'ignore' },
    );
    const exited = new Promise((r) => child.on('exit', r));
    // Files are fixed in path order: killed as soon as the first one is new, in the middle of the write phase.
    while (readFileSync(join(folder, 'e0.sql'), 'utf8') === before(0) && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 1));
    child.kill('SIGKILL');
    await exited;
    const names = readdirSync(folder);
    // The one file being written when the process died may leave its temporary file, hidden and named after it.
    const temporaries = names.filter((n) => n.startsWith('.'));
    expect(temporaries.every((n) => /^\.e\d+\.sql\.gdpr-lint-\d+\.tmp$/.test(n))).toBe(true);
    expect(temporaries.length).toBeLessThanOrEqual(1);
    const states = names
      .filter((n) => !n.startsWith('.'))
      .map((name) => {
        const i = Number(/^e(\d+)\.sql$/.exec(name)?.[1]);
        expect(Number.isInteger(i), `leftover ${name}`).toBe(true);
        const text = readFileSync(join(folder, name), 'utf8');
        return text === before(i) ? 'old' : text === after(i) ? 'new' : 'broken';
      });
    expect(states).not.toContain('broken');
    expect(states).toContain('new');
    expect(states).toContain('old');
    // The next run finishes the job and clears what the killed one left.
    await fix(dir);
    expect(readdirSync(folder).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readFileSync(join(folder, 'e0.sql'), 'utf8')).toBe(after(0));
  });
});

describe('atomic writes', () => {
  it('a temporary file left under this process id by an earlier process is replaced, not an error', () => {
    const dir = tree({ 'export.sql': EXPORT });
    writeFileSync(join(dir, `.export.sql.gdpr-lint-${process.pid}.tmp`), 'half-written');
    writeFileAtomically(join(dir, 'export.sql'), Buffer.from(FIXED));
    expect(readFileSync(join(dir, 'export.sql'), 'utf8')).toBe(FIXED);
    expect(readdirSync(dir)).toEqual(['export.sql']);
  });
});

describe('suppression comments written by the tool', () => {
  it('parse as directives', () => {
    expect(parseSuppressions('-- gdpr-lint-disable-next-line select-star-export -- reason\nSELECT 1;')).toHaveLength(1);
  });
});
