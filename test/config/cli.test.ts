import { describe, expect, it } from 'vitest';
import { BROKEN } from './broken-configs.js';
import { cli, workspace } from './workspace.js';

describe('gdpr-lint scan with a broken configuration', () => {
  it.each(BROKEN)('%s: exit 2, file:line:column: key', async (_name, files, expected) => {
    const root = workspace({ ...files, 'src/a.ts': 'export const a = 1;\n' });
    const { code, stdout, stderr } = await cli(['scan', '.'], root);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`gdpr-lint: invalid configuration:\n${expected}`);
  });

  it('--config FILE uses that file, relative to the working directory', async () => {
    const root = workspace({
      'configs/ci.yaml': 'rules:\n  select-star-export: fatal\n',
      'src/a.ts': 'export const a = 1;\n',
    });
    const { code, stderr } = await cli(['scan', 'src', '--config', 'configs/ci.yaml'], root);
    expect(code).toBe(2);
    expect(stderr).toContain('configs/ci.yaml:2:23: rules.select-star-export: "fatal" is not allowed');
  });

  it('--config with a missing file', async () => {
    const root = workspace({ 'src/a.ts': 'export const a = 1;\n' });
    const { code, stderr } = await cli(['scan', '.', '--config', 'nope.yaml'], root);
    expect(code).toBe(2);
    expect(stderr).toContain('nope.yaml:1:1: (file): file not found');
  });
});
