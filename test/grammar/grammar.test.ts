// Runs the TextMate grammar tests of test/grammar/cases/ with vscode-tmgrammar-test, the way VS Code
// applies them: base grammars from tm-grammars, our injection grammars from package.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CASES = join(ROOT, 'test', 'grammar', 'cases');
const TOOL = join(ROOT, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const BASE_GRAMMARS = ['typescript', 'tsx', 'javascript', 'jsx', 'sql', 'prisma'].map((name) =>
  join(ROOT, 'node_modules', 'tm-grammars', 'grammars', `${name}.json`),
);

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
  embeddedLanguages?: Record<string, string>;
}
interface Manifest {
  scripts: Record<string, string>;
  contributes: { grammars: GrammarContribution[] };
}

const manifest = (): Manifest => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gdpr-lint-grammar-'));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Runs vscode-tmgrammar-test on `files` with the grammars of the manifest at `config`. */
function grammarTest(files: string[], config = join(ROOT, 'package.json')) {
  const args = [TOOL, '--config', config, ...BASE_GRAMMARS.flatMap((g) => ['-g', g]), ...files];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 50_000 });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

const caseFiles = readdirSync(CASES).map((name) => join(CASES, name));

describe('syntax highlighting grammars', () => {
  it('pass every scope assertion of test/grammar/cases/', () => {
    const run = grammarTest(caseFiles);
    expect(run.output).not.toContain('failed');
    expect(run.code).toBe(0);
    for (const file of caseFiles) expect(run.output).toContain(`✓ ${file} run successfuly`);
    expect(caseFiles.length).toBeGreaterThanOrEqual(8);
  });

  it('fail without injectTo: VS Code only injects grammars declared with it', () => {
    const dir = tempDir();
    const pkg = manifest();
    for (const grammar of pkg.contributes.grammars) {
      delete grammar.injectTo;
      grammar.path = relative(dir, join(ROOT, grammar.path));
    }
    const config = join(dir, 'package.json');
    writeFileSync(config, JSON.stringify(pkg));
    const run = grammarTest(caseFiles, config);
    expect(run.code).not.toBe(0);
    // not-sql.ts asserts mostly what must be absent, so it passes either way; every other file needs the injections.
    for (const file of caseFiles.filter((f) => !f.endsWith('not-sql.ts'))) expect(run.output).toContain(`✖ ${file} failed`);
    expect(run.output).toContain('missing required scopes: meta.embedded.block.sql keyword.other.DML.sql');
    expect(run.output).toContain('keyword.control.directive.gdpr-lint');
  });

  it('highlight every tag, call name, marker comment and keyword of rules/vocabulary/sql-embedding.yaml', () => {
    const list = parse(readFileSync(join(ROOT, 'rules', 'vocabulary', 'sql-embedding.yaml'), 'utf8')) as Record<string, string[]>;
    const lines = ['// SYNTAX TEST "source.ts" "generated from sql-embedding.yaml"'];
    /** `code`, then an assertion that `token` (its first occurrence after `from`) is in `scopes`. */
    const assert = (code: string, token: string, scopes: string, from = 0) => {
      const column = code.indexOf(token, from);
      expect(column).toBeGreaterThan(2);
      lines.push(code, `//${' '.repeat(column - 2)}${'^'.repeat(token.length)} ${scopes}`);
    };
    const sql = 'string.template.ts meta.embedded.block.sql keyword.other.DML.sql';
    for (const tag of list.tags ?? []) assert(`q = ${tag}\`SELECT 1\`;`, 'SELECT', sql);
    for (const call of list.calls ?? []) {
      assert(`q = db.${call}('select 1');`, 'select', 'string.quoted.single.ts meta.embedded.block.sql keyword.other.DML.sql');
      assert(`q = db.${call}\`select 1\`;`, 'select', sql);
    }
    for (const marker of list.comments ?? []) assert(`q = ${marker} \`SELECT 1\`;`, 'SELECT', sql);
    for (const keyword of list.keywords ?? []) assert(`q = '${keyword} x';`, keyword, 'string.quoted.single.ts meta.embedded.block.sql');
    expect(lines.length).toBeGreaterThan(40);
    const file = join(tempDir(), 'vocabulary.ts');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const run = grammarTest([file]);
    expect(run.output).toContain(`✓ ${file} run successfuly`);
    expect(run.code).toBe(0);
  });

  it('are committed as the generator writes them from the shared list', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-grammars.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('are declared in package.json with injectTo, and the build regenerates them before bundling', () => {
    const pkg = manifest();
    const declared = new Map(pkg.contributes.grammars.map((g) => [g.path.replace(/^\.\//, ''), g]));
    const files = readdirSync(join(ROOT, 'syntaxes')).filter((f) => f.endsWith('.tmLanguage.json') && f !== 'prisma.tmLanguage.json');
    expect(files.length).toBe(5);
    for (const name of files) {
      const grammar = declared.get(`syntaxes/${name}`);
      const raw = JSON.parse(readFileSync(join(ROOT, 'syntaxes', name), 'utf8')) as { scopeName: string; injectionSelector: string };
      expect(grammar?.scopeName, name).toBe(raw.scopeName);
      expect(grammar?.injectTo?.length, name).toBeGreaterThan(0);
      if (name.startsWith('sql-in-')) expect(grammar?.embeddedLanguages).toEqual({ 'meta.embedded.block.sql': 'sql' });
    }
    const sqlHosts = pkg.contributes.grammars.filter((g) => g.path.includes('sql-in-')).flatMap((g) => g.injectTo ?? []);
    expect(sqlHosts.sort()).toEqual(['source.js', 'source.js.jsx', 'source.ts', 'source.tsx']);
    expect(pkg.scripts.build).toMatch(/build-grammars\.mjs && node scripts\/bundle\.mjs/);
  });

  it('ship the grammar of the Prisma language the extension declares', () => {
    const pkg = manifest() as Manifest & { contributes: { languages: { id: string }[]; grammars: (GrammarContribution & { language?: string })[] } };
    expect(pkg.contributes.languages.map((l) => l.id)).toContain('prisma');
    const prisma = pkg.contributes.grammars.find((g) => g.language === 'prisma');
    expect(prisma).toMatchObject({ scopeName: 'source.prisma', path: './syntaxes/prisma.tmLanguage.json' });
    const grammar = JSON.parse(readFileSync(join(ROOT, 'syntaxes', 'prisma.tmLanguage.json'), 'utf8')) as { scopeName: string; patterns: unknown[]; $comment: string };
    expect(grammar.scopeName).toBe('source.prisma');
    expect(grammar.patterns.length).toBeGreaterThan(3);
    expect(grammar.$comment).toContain('Apache-2.0');
  });
});
