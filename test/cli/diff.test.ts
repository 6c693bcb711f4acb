import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChanges } from '../../server/src/host/git.js';
import { runInProcess } from './run-cli.js';

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=Test',
      '-c',
      'user.email=test@example.invalid',
      '-c',
      'commit.gpgsign=false',
      '-c',
      'init.defaultBranch=main',
      ...args,
    ],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** A repository with `base` committed on main and `head` committed on a feature branch (checked out). */
function repository(base: Record<string, string>, head: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gdpr-diff-'));
  git(dir, 'init', '-q');
  write(dir, base);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  git(dir, 'checkout', '-qb', 'feature');
  write(dir, head);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'change');
  return dir;
}

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
}

async function findings(dir: string, ...args: string[]): Promise<{ code: number; list: string[]; stderr: string }> {
  const run = await runInProcess(['scan', '.', '--format', 'json', ...args], dir);
  const list = run.stdout
    ? (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)
    : [];
  return { code: run.code, list, stderr: run.stderr };
}

// The must-show scenario, written against the rules as specified (plaintext-health-data,
// unauthenticated-route, select-star-export): a new plaintext `diagnostic` column and a new
// public route are the two new findings; the export that moved is not new.
const BASE = {
  'db/schema.sql': 'CREATE TABLE results (\n  id SERIAL PRIMARY KEY,\n  patient_id INT NOT NULL\n);\n',
  'db/export.sql':
    "SELECT count(*) FROM results;\nCOPY (SELECT * FROM results) TO '/srv/export/results.csv' WITH CSV;\n",
  'src/server.ts': [
    "import express from 'express';",
    "import { requireAuth } from './auth';",
    '',
    'export const app = express();',
    "app.get('/api/patients', requireAuth, (req, res) => res.json([]));",
    '',
  ].join('\n'),
  'src/auth.ts':
    'export function requireAuth(req: any, res: any, next: () => void) {\n  if (!req.user) return res.status(401).end();\n  next();\n}\n',
};
const HEAD = {
  'db/schema.sql':
    'CREATE TABLE results (\n  id SERIAL PRIMARY KEY,\n  patient_id INT NOT NULL,\n  diagnostic TEXT\n);\n',
  'db/export.sql':
    "COPY (SELECT * FROM results) TO '/srv/export/results.csv' WITH CSV;\nSELECT count(*) FROM results;\n",
  'src/server.ts': [
    "import express from 'express';",
    "import { requireAuth } from './auth';",
    '',
    'export const app = express();',
    "app.get('/api/patients', requireAuth, (req, res) => res.json([]));",
    "app.get('/api/results/:id', (req, res) => res.json(db.results.find(req.params.id)));",
    '',
  ].join('\n'),
};
const NEW = ['plaintext-health-data db/schema.sql:4', 'unauthenticated-route src/server.ts:6'];

describe('PR review: --changed-since, baseline and the privacy delta', () => {
  it('--changed-since reports exactly the two new findings, not the moved export', async () => {
    const dir = repository(BASE, HEAD);
    const all = await findings(dir);
    expect(all.list).toContain('select-star-export db/export.sql:1');
    const changed = await findings(dir, '--changed-since', 'main');
    expect(changed.list.sort()).toEqual(NEW);
    expect(changed.code).toBe(1);
  });

  it('the baseline flow reports the same two', async () => {
    const dir = repository(BASE, HEAD);
    git(dir, 'checkout', '-q', 'main');
    const written = await runInProcess(['baseline', '.gdpr-lint-baseline.json', '.'], dir);
    expect(written.code).toBe(0);
    git(dir, 'checkout', '-q', 'feature');
    const fresh = await findings(dir, '--baseline', '.gdpr-lint-baseline.json');
    expect(fresh.list.sort()).toEqual(NEW);
  });

  it('the markdown delta lists the new plaintext column and the new public route', async () => {
    const dir = repository(BASE, HEAD);
    const md = (await runInProcess(['scan', '.', '--changed-since', 'main', '--format', 'markdown'], dir)).stdout;
    expect(md).toMatch(/\| `results\.diagnostic` \(new\) \| [a-z-]+ \| `TEXT` \| ⚠️ \*\*plaintext\*\* \|/);
    expect(md).toMatch(/\| `GET \/api\/results\/:id` \| ⚠️ \*\*none \(public\)\*\* \|/);
    expect(md).toContain('<summary>Findings introduced by this change (2)</summary>');
  });
});

describe('the privacy delta of the export and transit rules', () => {
  it('lists an export to a public place that is never deleted and results sent over plain HTTP', async () => {
    const dir = repository(BASE, {
      'db/nightly.sql': "COPY (SELECT patient_id, diagnostic FROM results) TO '/var/www/html/results.csv' WITH CSV;\n",
      'src/send.ts':
        "interface Result { id: string; diagnostic: string }\nexport async function send(r: Result) {\n  await fetch('http://lis.partner-lab.example.org/in', { method: 'POST', body: JSON.stringify({ dx: r.diagnostic }) });\n}\n",
      'db/schema.sql': HEAD['db/schema.sql'],
    });
    const md = (await runInProcess(['scan', '.', '--changed-since', 'main', '--format', 'markdown'], dir)).stdout;
    expect(md).toMatch(
      /^- Export to a public place: The export of "results" \(diagnostic: health-condition, patient_id: identity\) is written to \/var\/www\/html\/results\.csv/m,
    );
    expect(md).toMatch(/^- Export never deleted: The export of "results" .* is never deleted/m);
    expect(md).toMatch(
      /^- Sent without encryption: Health data goes over plain HTTP \(http:\/\/\) to lis\.partner-lab\.example\.org/m,
    );
  });
});

describe('--changed-since: findings the change makes newly reachable', () => {
  it('reports an unchanged route that lost its authentication because an app.use moved', async () => {
    const routes =
      "import { Router } from 'express';\nexport const router = Router();\nrouter.get('/results/:id', (req, res) => res.json(db.results.find(req.params.id)));\n";
    const server = (order: string[]) =>
      [
        "import express from 'express';",
        "import { requireAuth } from './auth';",
        "import { router } from './routes';",
        'export const app = express();',
        ...order,
        '',
      ].join('\n');
    const dir = repository(
      {
        'src/routes.ts': routes,
        'src/auth.ts': BASE['src/auth.ts'],
        'src/server.ts': server(['app.use(requireAuth);', "app.use('/api', router);"]),
      },
      { 'src/server.ts': server(["app.use('/api', router);", 'app.use(requireAuth);']) },
    );
    expect((await findings(dir, '--changed-since', 'main')).list).toEqual(['unauthenticated-route src/routes.ts:3']);
    const md = (await runInProcess(['scan', '.', '--changed-since', 'main', '--format', 'markdown'], dir)).stdout;
    expect(md).toContain('| `GET /api/results/:id` (lost its authentication) | ⚠️ **none (public)** |');
    expect(md).toContain('_(unchanged line, newly reachable)_');
  });
});

// The same mechanics with the identifier rule alone (independent of the other rules' progress).
const NIR_A = '185057800608491';
const NIR_B = '284051234567832';
const ID_BASE = {
  'src/a.ts': `export const a = 1;\nexport const nir = '${NIR_A}';\nexport const b = 2;\n`,
  'src/b.ts': 'export const c = 3;\n',
};
const ID_HEAD = {
  'src/a.ts': `export const a = 1;\nexport const b = 2;\nexport const nir = '${NIR_A}';\nexport const other = '${NIR_B}';\n`,
  'src/b.ts': `export const c = 3;\nexport const d = { nir: '${NIR_B}' };\n`,
};

describe('--changed-since mechanics', () => {
  const only = ['--rule', 'hardcoded-health-identifier'];

  it('keeps new lines, drops a moved line with an old finding', async () => {
    const dir = repository(ID_BASE, ID_HEAD);
    expect((await findings(dir, ...only)).list).toHaveLength(3);
    const changed = await findings(dir, ...only, '--changed-since', 'main');
    expect(changed.list).toEqual(['hardcoded-health-identifier src/a.ts:4', 'hardcoded-health-identifier src/b.ts:2']);
  });

  it('counts uncommitted and untracked changes', async () => {
    const dir = repository(ID_BASE, {});
    write(dir, { 'src/new.ts': `export const x = '${NIR_B}';\n` });
    expect((await findings(dir, ...only, '--changed-since', 'main')).list).toEqual([
      'hardcoded-health-identifier src/new.ts:1',
    ]);
  });

  it('exits 2 with a clear message when the ref does not exist', async () => {
    const dir = repository(ID_BASE, ID_HEAD);
    const run = await findings(dir, '--changed-since', 'no-such-branch');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown git revision "no-such-branch"');
  });

  it('works in a shallow clone once the base is fetched', async () => {
    const origin = repository(ID_BASE, ID_HEAD);
    const parent = mkdtempSync(join(tmpdir(), 'gdpr-shallow-'));
    git(parent, 'clone', '-q', '--depth=1', '--branch', 'feature', `file://${origin}`, 'clone');
    const clone = join(parent, 'clone');
    expect((await findings(clone, ...only, '--changed-since', 'origin/main')).code).toBe(2);
    git(clone, 'fetch', '-q', '--depth=1', 'origin', 'main:refs/remotes/origin/main');
    const run = await findings(clone, ...only, '--changed-since', 'origin/main');
    expect(run.list).toEqual(['hardcoded-health-identifier src/a.ts:4', 'hardcoded-health-identifier src/b.ts:2']);
    expect(run.stderr).toContain('no common history');
  });
});

describe('diff parsing', () => {
  it('records added lines, new, deleted and renamed files', () => {
    const diff = [
      'diff --git a/src/a.ts b/src/a.ts',
      'index 1..2 100644',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -2,0 +3,2 @@',
      '+x',
      '+y',
      '@@ -7 +9 @@',
      '-old',
      '+new',
      'diff --git a/gone.sql b/gone.sql',
      'deleted file mode 100644',
      'index 1..0',
      '--- a/gone.sql',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-x',
      'diff --git a/old.ts b/moved.ts',
      'similarity index 90%',
      'rename from old.ts',
      'rename to moved.ts',
      'index 1..2 100644',
      '--- a/old.ts',
      '+++ b/moved.ts',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      '',
    ].join('\n');
    const changes = parseChanges(diff);
    expect([...changes.get('src/a.ts')!.lines]).toEqual([3, 4, 9]);
    expect(changes.get('gone.sql')!.status).toBe('deleted');
    expect(changes.get('moved.ts')).toMatchObject({ status: 'renamed', from: 'old.ts' });
  });
});
