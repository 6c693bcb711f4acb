import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../server/src/cli/outputs.js';
import { COMMENT_MARKER } from '../../server/src/cli/formats/markdown.js';
import { REPO_ROOT } from '../helpers.js';
import { runInProcess } from './run-cli.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

/** Every `--option` an integration passes to `gdpr-lint scan` must exist in `scan --help`. */
async function scanOptions(): Promise<Set<string>> {
  const help = (await runInProcess(['scan', '--help'], REPO_ROOT)).stdout;
  return new Set(help.match(/--[a-z-]+/g));
}

function optionsIn(script: string): string[] {
  return [...script.matchAll(/\bscan\b[^\n]*(?:\\\n[^\n]*)*/g)].flatMap((m) => m[0].match(/--[a-z][a-z-]+/g) ?? []);
}

describe('shipped integrations', () => {
  it('action.yml: composite action that scans with --changed-since, uploads SARIF and updates its comment', async () => {
    const action = parse(read('action.yml')) as {
      runs: { using: string; steps: { uses?: string; run?: string; with?: { script?: string } }[] };
    };
    expect(action.runs.using).toBe('composite');
    const scan = action.runs.steps.find((s) => s.run?.includes(' scan '))!;
    const known = await scanOptions();
    for (const option of optionsIn(scan.run!)) expect(known, option).toContain(option);
    expect(scan.run).toContain('--changed-since');
    for (const format of scan.run!.match(/--format "?([a-z]+)/g)!.map((f) => f.replace(/--format "?/, '')))
      expect(FORMAT_NAMES).toContain(format);
    expect(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toBe(true);
    const comment = action.runs.steps.find((s) => s.uses?.startsWith('actions/github-script@'))!;
    expect(comment.with!.script).toContain(COMMENT_MARKER);
  });

  it('action.yml runs the packed CLI on a maintained Node, without building this repository', () => {
    const action = parse(read('action.yml')) as {
      runs: { steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] };
    };
    const node = action.runs.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!;
    expect(Number(node.with!['node-version'])).toBeGreaterThanOrEqual(22);
    const scripts = action.runs.steps.map((s) => s.run ?? '').join('\n');
    expect(scripts).not.toMatch(/npm (ci|run build)/);
    const version = (JSON.parse(read('package.json')) as { version: string }).version;
    expect(scripts).toContain('gdpr-lint@$version');
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('GitLab template produces the Code Quality artifact', async () => {
    const ci = parse(read('ci/gitlab/gdpr-lint.gitlab-ci.yml')) as Record<
      string,
      { script?: string[]; artifacts?: { reports?: { codequality?: string } } }
    >;
    const job = ci['gdpr-lint']!;
    expect(job.artifacts!.reports!.codequality).toBe('gl-code-quality-report.json');
    const script = job.script!.join('\n');
    expect(script).toContain('--format "gitlab=gl-code-quality-report.json"');
    const known = await scanOptions();
    for (const option of optionsIn(script)) expect(known, option).toContain(option);
    const variables = (ci as unknown as { variables: Record<string, string> }).variables;
    expect(variables.GDPR_LINT).toBe(
      `npx --yes gdpr-lint@${(JSON.parse(read('package.json')) as { version: string }).version}`,
    );
    expect((job as { image?: string }).image).toBe('node:22');
  });

  it('pre-commit hooks run gdpr-lint on what is committed', () => {
    const hooks = parse(read('.pre-commit-hooks.yaml')) as { id: string; entry: string }[];
    expect(hooks.map((h) => h.id)).toEqual(['gdpr-lint', 'gdpr-lint-files']);
    expect(hooks[0]!.entry).toContain('--changed-since HEAD');
  });
});
