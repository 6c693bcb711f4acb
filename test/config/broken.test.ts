import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfigFor } from '../../server/src/host/config.js';
import { testPack } from '../helpers.js';
import { BROKEN } from './broken-configs.js';
import { workspace } from './workspace.js';

describe('broken configurations', () => {
  it.each(BROKEN)('%s', (_name, files, expected) => {
    const root = workspace(files);
    const loaded = loadConfigFor(root, { pack: testPack() });
    const messages = loaded.errors.map((e) => formatConfigError(e, root));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(expected);
    // The editor keeps working on defaults.
    expect(loaded.config.rules).toBeUndefined();
  });
});
