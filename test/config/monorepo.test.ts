import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LintWorkspace } from '../../server/src/lsp/workspace.js';
import { runInProcess } from '../cli/run-cli.js';
import { testPack } from '../helpers.js';

const LOG = 'export function f(r: { diagnosis: string }) { console.log(r.diagnosis); }\n';
const DIAGNOSE = 'export function g(r: { xqzmarker: string }) { console.log(r.xqzmarker); }\n';

/** A monorepo: the root config raises logs to error; `packages/lab` turns them off and adds a word; `packages/portal` has none. */
function monorepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gdpr-monorepo-'));
  const files: Record<string, string> = {
    '.gdpr-lint.yaml': 'rules:\n  health-data-in-logs: error\n',
    'packages/lab/.gdpr-lint.yaml': 'rules:\n  health-data-in-logs: off\nignore: [legacy/]\n',
    'packages/lab/src/a.ts': LOG,
    'packages/lab/legacy/old.ts': "export const q = 'SELECT * FROM patients';\n",
    'packages/portal/src/b.ts': LOG,
    'packages/de/.gdpr-lint.yaml': 'vocabulary:\n  add:\n    lab-result: [xqzmarker]\n',
    'packages/de/src/c.ts': DIAGNOSE,
    'packages/portal/src/c.ts': DIAGNOSE,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const EXPECTED = [
  'health-data-in-logs error packages/de/src/c.ts',
  'health-data-in-logs error packages/portal/src/b.ts',
];

describe('a package’s own configuration applies to its files when scanning from the root', () => {
  it('in the CLI: severities, rules off, vocabulary and ignore globs per package', async () => {
    const dir = monorepo();
    const run = await runInProcess(['scan', '.', '--format', 'json'], dir);
    const findings = (JSON.parse(run.stdout) as { findings: { ruleId: string; severity: string; file: string }[] })
      .findings;
    expect(findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}`).sort()).toEqual(EXPECTED);
  });

  it('in the editor: the same findings', () => {
    const dir = monorepo();
    const workspace = new LintWorkspace([{ uri: pathToFileURL(dir).href, root: dir, prefix: '' }], testPack());
    expect(workspace.reloadConfig('').errors).toEqual([]);
    const paths = workspace.discover();
    expect(paths).not.toContain('packages/lab/legacy/old.ts');
    for (const path of paths) workspace.loadFromDisk(path);
    const findings = paths.flatMap((p) => workspace.project.analyzeFile(p).findings);
    expect(findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}`).sort()).toEqual(EXPECTED);
  });

  it('an invalid package configuration is a located error', async () => {
    const dir = monorepo();
    writeFileSync(join(dir, 'packages/lab/.gdpr-lint.yaml'), 'rules:\n  health-data-in-log: off\n');
    const run = await runInProcess(['scan', '.'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'packages/lab/.gdpr-lint.yaml:2:3: rules.health-data-in-log: unknown rule, did you mean "health-data-in-logs"?',
    );
  });
});
