/**
 * The CLI as a team installs it: the packed tarball (`npm run pack:cli`) installed into a fresh
 * project with npm, then run through npx, as the README, `init`, the pre-commit hook and the Neovim
 * snippet use it. Nothing is published; the tarball has no dependencies to fetch.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

let project: string;
let tarball: string;

const npx = (args: string[]) =>
  spawnSync('npx', ['--no-install', 'gdpr-lint', ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'gdpr-lint-tarball-'));
  tarball = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'pack-cli.mjs'), '--out', out], {
    encoding: 'utf8',
  }).trim();
  project = mkdtempSync(join(tmpdir(), 'gdpr-lint-consumer-'));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'clinic-api',
        version: '1.0.0',
        private: true,
        dependencies: { express: '^4.19.0', '@prisma/client': '^5.0.0' },
      },
      null,
      2,
    ),
  );
  mkdirSync(join(project, 'src'));
  writeFileSync(
    join(project, 'src', 'app.ts'),
    [
      "import express from 'express';",
      "import { PrismaClient } from '@prisma/client';",
      'const prisma = new PrismaClient();',
      'const app = express();',
      "app.get('/api/patients/:id', async (req, res) => res.json(await prisma.patient.findUnique({ where: { id: Number(req.params.id) } })));",
      '',
    ].join('\n'),
  );
  mkdirSync(join(project, 'prisma'));
  writeFileSync(join(project, 'prisma', 'schema.prisma'), 'model Patient {\n  id Int @id\n  diagnosis String\n}\n');
  execFileSync('npm', ['install', '--save-dev', '--no-audit', '--no-fund', '--ignore-scripts', tarball], {
    cwd: project,
    stdio: 'ignore',
  });
}, 300_000);

describe('the packed CLI', () => {
  it('holds a bin, its bundle, the rule pack and the schemas, and no dependencies', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining([
        'package/bin/gdpr-lint.js',
        'package/dist/cli.js',
        'package/rules/plaintext-health-data.yaml',
        'package/rules/vocabulary/roles.yaml',
        'package/schemas/config.schema.json',
      ]),
    );
    expect(files.some((f) => f.startsWith('package/node_modules') || f.includes('/src/'))).toBe(false);
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules', 'gdpr-lint', 'package.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.bin).toEqual({ 'gdpr-lint': 'bin/gdpr-lint.js' });
  });

  it('scans the project with npx gdpr-lint scan .', () => {
    const run = npx(['scan', '.', '--format', 'json']);
    expect(run.status).toBe(1);
    const rules = (JSON.parse(run.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId).sort();
    expect(rules).toEqual(['plaintext-health-data', 'unauthenticated-route']);
  });

  it('init writes a configuration whose schema path exists in the installed package', () => {
    expect(npx(['init']).status).toBe(0);
    const config = readFileSync(join(project, '.gdpr-lint.yaml'), 'utf8');
    const schema = /\$schema=(\S+)/.exec(config)?.[1];
    expect(schema).toBeDefined();
    expect(existsSync(join(project, schema!))).toBe(true);
    expect(npx(['scan', '.']).status).toBe(1);
  });

  it('runs the pre-commit hook command in a git repository', () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: project, stdio: 'ignore' });
    git('init', '-q');
    git('-c', 'user.email=a@b', '-c', 'user.name=a', 'add', 'package.json');
    git('-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-qm', 'init');
    const hook = readFileSync(join(project, 'node_modules', 'gdpr-lint', '.pre-commit-hooks.yaml'), 'utf8');
    const entry = /entry: npx --no-install gdpr-lint (scan \. --changed-since HEAD --fail-on error)/
      .exec(hook)![1]!
      .split(' ');
    const run = npx(entry);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('introduced since HEAD');
  });

  it('serves the language server the Neovim snippet starts (npx gdpr-lint lsp --stdio)', async () => {
    const server = spawn('npx', ['--no-install', 'gdpr-lint', 'lsp', '--stdio'], { cwd: project });
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { processId: null, rootUri: null, capabilities: {} },
    });
    server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const reply = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no answer: ${out}`)), 60_000);
      server.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('"serverInfo"')) {
          clearTimeout(timer);
          resolve(out);
        }
      });
    });
    server.kill();
    expect(reply).toContain('"name":"gdpr-lint"');
  });
});
