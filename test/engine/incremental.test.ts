import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { Project, type Finding, type SourceInput } from '../../server/src/engine/index.js';
import { mayDeclareRoutes, routesOf } from '../../server/src/engine/routes/index.js';
import { discoverFiles } from '../../server/src/host/discover.js';
import { SMOKE_CORPUS, testConfig } from '../helpers.js';

// Edits go through the incremental paths (re-parse of the changed nodes, program rebuilt from the
// previous one, route index resynced only when files change, route resolution skipped for files
// that declare no route): after each edit the project must agree with one built from scratch.
const FILES: Record<string, string> = {
  'src/middleware/auth.ts':
    "import jwt from 'jsonwebtoken';\nexport function requireAuth(req: any, res: any, next: any) {\n  try { req.user = jwt.verify(req.headers.authorization, process.env.JWT_SECRET!); next(); } catch { res.status(401).end(); }\n}\n",
  'src/config/logger.ts': "import pino from 'pino';\nexport const logger = pino();\n",
  'src/db/pool.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();\n",
  'src/routes/results.ts':
    "import express from 'express';\nimport { requireAuth } from '../middleware/auth';\nimport { pool } from '../db/pool';\nexport const app = express();\napp.use(requireAuth);\napp.get('/api/resultats/:id', async (req, res) => {\n  const { rows } = await pool.query('SELECT id, valeur FROM resultats WHERE id = $1', [req.params.id]);\n  res.json(rows);\n});\n",
  'src/services/export.ts':
    "import { createWriteStream } from 'node:fs';\nimport { pool } from '../db/pool';\nimport { logger } from '../config/logger';\n\nexport async function exporter(site: string) {\n  const { rows } = await pool.query(`SELECT id, code_barre FROM prelevements WHERE site = ${site}`);\n  const out = createWriteStream('/tmp/x.csv');\n  const counts = new Map<string, number>();\n  for (const row of rows) {\n    // step\n    out.write(`${row.id}\\n`);\n    counts.set(row.code_barre, (counts.get(row.code_barre) ?? 0) + 1);\n  }\n  logger.info({ total: rows.length }, 'export termine');\n}\n",
};

type Edit = [file: string, from: string, to: string];

const EDITS: [string, Edit][] = [
  [
    'logs a lab value in the loop',
    [
      'src/services/export.ts',
      '    // step\n',
      "    // step\n    logger.info({ patient: row.patient_id, valeurResultat: row.valeur }, 'lu');\n",
    ],
  ],
  [
    'removes it again',
    ['src/services/export.ts', "    logger.info({ patient: row.patient_id, valeurResultat: row.valeur }, 'lu');\n", ''],
  ],
  ['turns the export into SELECT *', ['src/services/export.ts', 'SELECT id, code_barre FROM', 'SELECT * FROM']],
  ['types one character into a string', ['src/services/export.ts', "'export termine'", "'export terminee'"]],
  [
    'declares a route in the service (no route before)',
    [
      'src/services/export.ts',
      'export async function exporter',
      "import express from 'express';\nexport const open = express();\nopen.get('/api/export', (req, res) => res.json([]));\nexport async function exporter",
    ],
  ],
  ['removes the global authentication of the router', ['src/routes/results.ts', 'app.use(requireAuth);\n', '']],
  [
    'adds it back after the route',
    ['src/routes/results.ts', '  res.json(rows);\n});\n', '  res.json(rows);\n});\napp.use(requireAuth);\n'],
  ],
  ['breaks the middleware file', ['src/middleware/auth.ts', 'next(); }', 'next(); ']],
  ['repairs it', ['src/middleware/auth.ts', 'next();  catch', 'next(); } catch']],
];

const stable = (findings: Finding[]) =>
  findings.map(({ ruleId, severity, message, range, fixes }) => ({ ruleId, severity, message, range, fixes }));

function shape(source: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    out.push(`${ts.SyntaxKind[node.kind]}@${node.pos}-${node.end}${node.parent ? '' : ' (no parent)'}`);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return out;
}

describe('incremental updates agree with a fresh analysis', () => {
  const config = testConfig();
  const live = new Project(config);
  const texts = new Map(Object.entries(FILES));
  for (const [path, text] of texts) live.setFile({ path, text });
  live.analyzeAll();

  it.each(EDITS)('%s', (_name, [file, from, to]) => {
    const before = texts.get(file)!;
    expect(before.includes(from)).toBe(true);
    texts.set(file, before.replace(from, to));
    live.setFile({ path: file, text: texts.get(file)! });
    const fresh = new Project(config);
    const inputs: SourceInput[] = [...texts].map(([path, text]) => ({ path, text }));
    for (const input of inputs) fresh.setFile(input);
    for (const { path } of inputs) {
      expect(stable(live.analyzeFile(path).findings), path).toEqual(stable(fresh.analyzeFile(path).findings));
    }
    const parsed = live.facts.ts.sourceFile(file)!;
    expect(parsed.text).toBe(texts.get(file));
    expect(shape(parsed)).toEqual(
      shape(ts.createSourceFile(parsed.fileName, texts.get(file)!, ts.ScriptTarget.Latest, true)),
    );
    expect(
      routesOf(live.facts)
        .map((r) => `${r.file}:${r.method}:${r.path}:${r.status}`)
        .sort(),
    ).toEqual(
      routesOf(fresh.facts)
        .map((r) => `${r.file}:${r.method}:${r.path}:${r.status}`)
        .sort(),
    );
  });
});

describe('mayDeclareRoutes on the smoke corpus', () => {
  it('holds for every file that declares a route', () => {
    const project = new Project(testConfig());
    for (const f of discoverFiles(SMOKE_CORPUS))
      project.setFile({ path: f.relative, text: readFileSync(f.absolute, 'utf8') });
    project.refreshFacts();
    const routes = routesOf(project.facts);
    expect(routes.length).toBeGreaterThan(0);
    for (const file of new Set(routes.map((r) => r.file)))
      expect(mayDeclareRoutes(project.facts, file), file).toBe(true);
  });
});

// Route resolution keeps what a tree's syntax gives (the names each scope declares, each module's
// exports, what each middleware or handler body does) per node across resolutions: an edit of a
// body, a helper it calls in another file, or an export must still give what a fresh project gives.
const AUTH_FILES: Record<string, string> = {
  'src/auth/token.js':
    "const jwt = require('jsonwebtoken');\nfunction checkToken(req) {\n  return jwt.verify(req.headers.authorization, process.env.SECRET);\n}\nmodule.exports = { checkToken };\n",
  'src/auth/guard.js':
    "const { checkToken } = require('./token');\nexports.guard = function guard(req, res, next) {\n  const user = checkToken(req);\n  req.user = user;\n  next();\n};\n",
  'src/routes/patients.js':
    "const express = require('express');\nconst { guard } = require('../auth/guard');\nconst router = express.Router();\nrouter.get('/patients/:id', guard, async (req, res) => {\n  res.json({ id: req.params.id, diagnostic: 'x' });\n});\nrouter.get('/patients', guardAll, (req, res) => res.json([]));\nfunction guardAll(req, res, next) { return next(); }\nmodule.exports = router;\n",
  'src/app.js':
    "const express = require('express');\nconst patients = require('./routes/patients');\nconst app = express();\napp.use('/api', patients);\napp.listen(3000);\n",
};

const AUTH_EDITS: [string, Edit][] = [
  [
    'the helper no longer verifies the token',
    ['src/auth/token.js', 'return jwt.verify(req.headers.authorization, process.env.SECRET);', 'return { id: 1 };'],
  ],
  [
    'it verifies again',
    ['src/auth/token.js', 'return { id: 1 };', 'return jwt.verify(req.headers.authorization, process.env.SECRET);'],
  ],
  [
    'the guard module renames its export',
    ['src/auth/guard.js', 'exports.guard = function guard', 'exports.guarded = function guard'],
  ],
  ['and back', ['src/auth/guard.js', 'exports.guarded = function guard', 'exports.guard = function guard']],
  [
    'a local middleware starts rejecting',
    [
      'src/routes/patients.js',
      'function guardAll(req, res, next) { return next(); }',
      'function guardAll(req, res, next) { if (!req.headers.authorization) return res.sendStatus(401); return next(); }',
    ],
  ],
  ['a handler is typed into', ['src/routes/patients.js', "diagnostic: 'x'", "diagnostic: 'xy'"]],
  [
    'the guard stops calling the helper',
    ['src/auth/guard.js', 'const user = checkToken(req);', 'const user = req.query.user;'],
  ],
  ['and calls it again', ['src/auth/guard.js', 'const user = req.query.user;', 'const user = checkToken(req);']],
  ['the router is mounted without a prefix', ['src/app.js', "app.use('/api', patients);", 'app.use(patients);']],
];

const routeSignature = (routes: ReturnType<typeof routesOf>) =>
  routes
    .map(
      (r) =>
        `${r.file}:${r.method}:${r.path}:${r.status}:${r.auth.map((s) => `${s.label}=${s.verdict}${s.undecided ? '?' : ''}`).join(',')}`,
    )
    .sort();

describe('route resolution after edits agrees with a fresh analysis', () => {
  const config = testConfig();
  const live = new Project(config);
  const texts = new Map(Object.entries(AUTH_FILES));
  for (const [path, text] of texts) live.setFile({ path, text });
  live.analyzeAll();
  const seen = new Set<string>();

  it.each(AUTH_EDITS)('%s', (_name, [file, from, to]) => {
    const before = texts.get(file)!;
    expect(before.includes(from)).toBe(true);
    texts.set(file, before.replace(from, to));
    live.setFile({ path: file, text: texts.get(file)! });
    const fresh = new Project(config);
    for (const [path, text] of texts) fresh.setFile({ path, text });
    const routes = routeSignature(routesOf(live.facts));
    expect(routes).toEqual(routeSignature(routesOf(fresh.facts)));
    seen.add(routes.join('\n'));
    for (const path of texts.keys())
      expect(stable(live.analyzeFile(path).findings), path).toEqual(stable(fresh.analyzeFile(path).findings));
  });

  it('the edits changed what authenticates the routes', () => {
    // Without it the comparisons above could hold with caches that never go stale.
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });
});
