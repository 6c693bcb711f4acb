import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

/** Lints a real file of a layer with one import added in front: the layer rules must refuse the back edges. */
async function importErrors(file: string, specifier: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const text = `import '${specifier}';\n${readFileSync(join(REPO_ROOT, file), 'utf8')}`;
  const [result] = await eslint.lintText(text, { filePath: join(REPO_ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the architecture layers, as lint rules', () => {
  it('refuse an engine file importing the host, the file system or the language server', async () => {
    expect(await importErrors('server/src/engine/project.ts', '../host/read.js')).toEqual([
      expect.stringContaining('the engine is pure'),
    ]);
    expect(await importErrors('server/src/engine/project.ts', 'node:fs')).toEqual([
      expect.stringContaining('the engine is pure'),
    ]);
    expect(await importErrors('server/src/engine/project.ts', 'vscode-languageserver')).toEqual([
      expect.stringContaining('the engine is pure'),
    ]);
  });

  it('refuse host importing an adapter, and each adapter importing the other', async () => {
    expect(await importErrors('server/src/host/read.ts', '../cli/run.js')).toEqual([
      expect.stringContaining('host serves both adapters'),
    ]);
    expect(await importErrors('server/src/lsp/server.ts', '../cli/run.js')).toEqual([
      expect.stringContaining('does not import the CLI'),
    ]);
    expect(await importErrors('server/src/cli/run.ts', '../lsp/server.js')).toEqual([
      expect.stringContaining('does not import the language server'),
    ]);
  });

  it('refuse an adapter reaching past the engine entry point, and accept the entry point', async () => {
    expect(await importErrors('server/src/cli/run.ts', '../engine/routes/index.js')).toEqual([
      expect.stringContaining('engine/index.ts'),
    ]);
    expect(await importErrors('server/src/cli/run.ts', '../engine/index.js')).toEqual([]);
  });
});

describe('the lint step', () => {
  it('covers every layer of the server and runs in CI, where a failure fails the run', async () => {
    const eslint = new ESLint({ cwd: REPO_ROOT });
    for (const file of [
      'server/src/engine/project.ts',
      'server/src/host/read.ts',
      'server/src/lsp/server.ts',
      'server/src/cli/run.ts',
    ]) {
      expect(await eslint.isPathIgnored(join(REPO_ROOT, file))).toBe(false);
    }
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['lint']).toBe('npm run format:check && eslint .');
    expect(pkg.scripts['format:check']).toMatch(/^prettier --check .*server\/src/);
    const ci = readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/if npm run lint; then lint_failed=0; else lint_failed=1; fi/);
    expect(ci.indexOf('npm run lint')).toBeLessThan(ci.lastIndexOf('echo "tests: $passed passed'));
    expect(ci).toMatch(/lint_failed" -eq 0 \]; then passed=\$\(\(passed \+ 1\)\); else failed=\$\(\(failed \+ 1\)\)/);
  });
});
