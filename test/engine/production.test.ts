import { describe, expect, it } from 'vitest';
import { Project } from '../../server/src/engine/index.js';
import { notRunInProduction } from '../../server/src/engine/production.js';
import { findingsOf, testConfig } from '../helpers.js';
import { routeRows } from './routes-helpers.js';
import { routesOf } from '../../server/src/engine/routes/index.js';

/** The files of the project production does not run, each with the start of its reason. */
function notRun(files: Record<string, string>): Record<string, string> {
  const project = new Project(testConfig());
  for (const [path, text] of Object.entries(files)) project.setFile({ path, text });
  project.refreshFacts();
  const out: Record<string, string> = {};
  for (const path of Object.keys(files).sort()) {
    const reason = notRunInProduction(project.facts, path);
    if (reason) out[path] = reason.replace(/,.*$/, '');
  }
  return out;
}

const pkg = (scripts: Record<string, string>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'ward', private: true, scripts, ...extra });

/** A small clinic server: the real entry, its app and router, next to the strays real repositories keep. */
const CLINIC = {
  'src/server.js': "const app = require('./app');\napp.listen(process.env.PORT || 3000);\n",
  'src/app.js':
    "const express = require('express');\nconst app = express();\napp.use('/api/visits', require('./routes/visits'));\nmodule.exports = app;\n",
  'src/routes/visits.js':
    "const router = require('express').Router();\nrouter.get('/', (req, res) => res.json([]));\nmodule.exports = router;\n",
  // An alternative app: it builds its own express app and listens; nothing starts it.
  'src/app-simple.js':
    "const express = require('express');\nconst app = express();\napp.get('/visits', (req, res) => res.json([]));\napp.listen(3001);\n",
  // A test server at the package root, the only one that mounts the lab router.
  'try-lab-server.js':
    "const express = require('express');\nconst app = express();\napp.use('/labs', require('./src/routes/labs'));\napp.listen(4000);\n",
  'src/routes/labs.js':
    "const router = require('express').Router();\nrouter.get('/:id', (req, res) => res.json({}));\nmodule.exports = router;\n",
  // A backup copy next to the real router: nothing requires it.
  'src/routes/visits_old.js':
    "const router = require('express').Router();\nrouter.get('/', (req, res) => res.json([]));\nmodule.exports = router;\n",
};

describe('does production run this file? (a package that declares its entry)', () => {
  it('`start: node src/server.js`: the entry and what it imports run; an alternative app, a test server, the router only it mounts and a backup copy do not', () => {
    expect(notRun({ 'package.json': pkg({ start: 'node src/server.js', test: 'jest' }), ...CLINIC })).toEqual({
      'src/app-simple.js': 'it starts its own server',
      'src/routes/labs.js': 'it is only imported by try-lab-server.js',
      'src/routes/visits_old.js': 'no production file imports it',
      'try-lab-server.js': 'it starts its own server',
    });
  });

  it('the entry is found through `cd dir && nodemon x`, a runner without extension, `main` of a private package, and a root script naming a nested package', () => {
    // Without the test server, the lab router is mounted by nothing at all.
    const expected = {
      'backend/src/app-simple.js': 'it starts its own server',
      'backend/src/routes/labs.js': 'no production file imports it',
      'backend/src/routes/visits_old.js': 'no production file imports it',
    };
    const backend = Object.fromEntries(
      Object.entries(CLINIC)
        .filter(([p]) => p.startsWith('src/'))
        .map(([p, t]) => [`backend/${p}`, t]),
    );
    expect(notRun({ 'package.json': pkg({ start: 'cd backend && nodemon src/server' }), ...backend })).toEqual(
      expected,
    );
    expect(notRun({ 'package.json': pkg({}, { main: 'backend/src/server.js' }), ...backend })).toEqual(expected);
    expect(
      notRun({
        'package.json': pkg({ start: 'node backend/src/server.js' }),
        'backend/package.json': pkg({ dev: 'nodemon src/server.js' }),
        ...backend,
      }),
    ).toEqual(expected);
  });

  it('a build output entry (`node dist/index.js`) is mapped back to its source', () => {
    expect(
      notRun({
        'package.json': pkg({ build: 'tsc', start: 'node dist/index.js' }),
        'src/index.ts': "import { app } from './app';\napp.listen(3000);\n",
        'src/app.ts': "import express from 'express';\nexport const app = express();\n",
        'src/server-copy.ts': "import express from 'express';\nconst app = express();\napp.listen(3001);\n",
      }),
    ).toEqual({ 'src/server-copy.ts': 'it starts its own server' });
  });

  it('a file named by any script, a Dockerfile, a Procfile, a compose command or a string of a run file runs', () => {
    expect(
      notRun({
        'package.json': pkg({ start: 'node src/server.js', 'try:simple': 'node src/app-simple.js' }),
        Dockerfile:
          'FROM node:20\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD curl -f http://localhost/health || exit 1\nCMD ["node", "/app/try-lab-server.js"]\n',
        Procfile: 'web: npm start\nworker: node jobs/reminders.js\n',
        'docker-compose.yml':
          'services:\n  db:\n    image: postgres\n    command: postgres -c log_statement=none\n  cleaner:\n    build: .\n    command: ["node", "jobs/cleanup.js"]\n',
        'jobs/reminders.js': "setInterval(() => require('./send')(), 60000);\n",
        'jobs/send.js': 'module.exports = () => {};\n',
        'jobs/cleanup.js': "require('child_process').fork('jobs/purge.js');\n",
        'jobs/purge.js': 'process.exit(0);\n',
        ...CLINIC,
      }),
    ).toEqual({ 'src/routes/visits_old.js': 'no production file imports it' });
  });

  it("a module loaded by a computed name (a folder of routes read at start) keeps every file under the loader's folder", () => {
    expect(
      notRun({
        'package.json': pkg({ start: 'node src/server.js' }),
        'src/server.js':
          "const fs = require('fs');\nconst app = require('express')();\nfor (const f of fs.readdirSync(__dirname + '/routes')) app.use(require('./routes/' + f));\napp.listen(3000);\n",
        'src/routes/visits.js': CLINIC['src/routes/visits.js'],
        'src/routes/visits_old.js': CLINIC['src/routes/visits_old.js'],
      }),
    ).toEqual({});
  });

  it("migrations and code for the user's side are never decided here", () => {
    expect(
      notRun({
        'package.json': pkg({ start: 'node src/server.js' }),
        'src/server.js': CLINIC['src/server.js'],
        'src/app.js': "module.exports = require('express')();\n",
        'migrations/20240101-visits.js':
          'exports.up = (knex) => knex.schema.createTable("visits", (t) => { t.text("diagnosis"); });\n',
        'src/client/index.jsx':
          "import { createRoot } from 'react-dom/client';\ncreateRoot(document.body).render(null);\n",
      }),
    ).toEqual({});
  });
});

describe('does production run this file? (as files change)', () => {
  it('a Procfile added later, naming the alternative app, takes it back; removing it gives it up again', () => {
    const project = new Project(testConfig());
    for (const [path, text] of Object.entries({ 'package.json': pkg({ start: 'node src/server.js' }), ...CLINIC }))
      project.setFile({ path, text });
    expect(notRunInProduction(project.facts, 'src/app-simple.js')).toMatch(/^it starts its own server/);
    project.setFile({ path: 'Procfile', text: 'web: node src/app-simple.js\n' });
    expect(notRunInProduction(project.facts, 'src/app-simple.js')).toBeUndefined();
    project.removeFile('Procfile');
    expect(notRunInProduction(project.facts, 'src/app-simple.js')).toMatch(/^it starts its own server/);
  });
});

describe('does production run this file? (benefit of the doubt: nothing changes)', () => {
  const cases: [string, Record<string, string>][] = [
    ['no declared entry', { 'package.json': pkg({ test: 'jest' }) }],
    ['no manifest at all', {}],
    [
      'Next.js (routes by convention)',
      { 'package.json': pkg({ start: 'next start', dev: 'next dev' }, { dependencies: { next: '15.0.0' } }) },
    ],
    [
      'NestJS through nest-cli.json',
      { 'package.json': pkg({ start: 'node src/server.js' }), 'nest-cli.json': '{ "sourceRoot": "src" }' },
    ],
    [
      'NestJS as a dependency',
      { 'package.json': pkg({ start: 'node src/server.js' }, { dependencies: { '@nestjs/core': '10.0.0' } }) },
    ],
    [
      'serverless handlers',
      {
        'package.json': pkg({ start: 'node src/server.js' }),
        'serverless.yml': 'functions:\n  visits:\n    handler: src/app-simple.handler\n',
      },
    ],
    [
      'a start that runs a tool, not a file (`react-scripts start`)',
      { 'package.json': pkg({ start: 'react-scripts start' }) },
    ],
    ['a built entry whose source cannot be found', { 'package.json': pkg({ start: 'node dist/main.js' }) }],
    [
      'a library: its `main` decides nothing',
      { 'package.json': JSON.stringify({ name: 'ward-lib', main: 'src/server.js' }) },
    ],
  ];
  it.each(cases)('%s', (_, extra) => {
    expect(notRun({ ...CLINIC, ...extra })).toEqual({});
  });
});

describe('the rules follow it', () => {
  const files = { 'package.json': pkg({ start: 'node src/server.js' }), ...CLINIC };

  it('unauthenticated-route: routes registered in an alternative app or mounted only by a test server are not served', () => {
    const rows = routeRows(files).map((r) => `${r.method} ${r.path} ${r.file} ${r.status}`);
    expect(rows).toEqual(
      expect.arrayContaining([
        'GET /api/visits src/routes/visits.js unauthenticated',
        'GET /visits src/app-simple.js unmounted',
        'GET /labs/:id src/routes/labs.js unmounted',
      ]),
    );
    expect(rows.filter((r) => r.endsWith(' unauthenticated'))).toEqual([
      'GET /api/visits src/routes/visits.js unauthenticated',
    ]);
    const project = new Project(testConfig());
    for (const [path, text] of Object.entries(files)) project.setFile({ path, text });
    expect(routesOf(project.facts).find((r) => r.file === 'src/app-simple.js')?.notServed).toMatch(
      /^src\/app-simple\.js is not run in production: it starts its own server, and production starts src\/server\.js/,
    );
  });

  it('health-data-in-logs: the same log in a backup copy is not reported, in the running router it is', () => {
    const log =
      "const router = require('express').Router();\nrouter.post('/', (req, res) => { const diagnosis = req.body.diagnosis; console.log('diagnosis', diagnosis); res.sendStatus(201); });\nmodule.exports = router;\n";
    const found = findingsOf('health-data-in-logs', {
      ...files,
      'src/routes/visits.js': log,
      'src/routes/visits_old.js': log,
    }).map((f) => f.file);
    expect(found).toEqual(['src/routes/visits.js']);
  });

  it('plaintext-health-data: a write in a backup copy is not reported, the same write in the running router is', () => {
    const model =
      "const mongoose = require('mongoose');\nconst schema = new mongoose.Schema({ patientId: { type: mongoose.Schema.Types.ObjectId, ref: 'Patient' }, diagnosis: String });\nmodule.exports = mongoose.model('Visit', schema);\n";
    const write =
      "const router = require('express').Router();\nconst Visit = require('../models/Visit');\nrouter.post('/', async (req, res) => { await Visit.create({ patientId: req.body.patientId, diagnosis: req.body.diagnosis }); res.sendStatus(201); });\nmodule.exports = router;\n";
    const found = findingsOf('plaintext-health-data', {
      ...files,
      'src/models/Visit.js': model,
      'src/routes/visits.js': write,
      'src/routes/visits_old.js': write,
    }).map((f) => f.file);
    expect(found).toContain('src/routes/visits.js');
    expect(found).not.toContain('src/routes/visits_old.js');
  });
});
