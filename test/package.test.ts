/**
 * The .vsix holds only what runs: the bundles, grammars, rule pack, schemas, README, LICENSE, icon.
 * Packaged in a staging copy with its own bundles, so it never races with the project build.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

const VSCE = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/i,
  /^LICENSE(\.txt)?$/,
  /^images\/icon\.png$/,
  /^dist\/client\.js$/,
  /^server\/dist\/lsp\.js$/,
  /^rules\/[\w./-]+\.(yaml|md)$/,
  /^rules\/\.pack-cache\.json$/,
  /^schemas\/[\w./-]+\.json$/,
  /^syntaxes\/[\w.-]+\.json$/,
];
const MAX_BYTES = 3 * 1024 * 1024;

function vsce(cwd: string, args: string[]): string {
  return execFileSync(process.execPath, [VSCE, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Entry names of a zip file, from its central directory. */
function zipEntries(file: string): string[] {
  const zip = readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(offset + 28);
    const extra = zip.readUInt16LE(offset + 30);
    const comment = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extra + comment;
  }
  return names;
}

describe('the VS Code package', () => {
  it('lists only whitelisted files (vsce ls against the real .vscodeignore)', () => {
    const files = vsce(REPO_ROOT, ['ls', '--no-dependencies'])
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
    expect(unexpected).toEqual([]);
    for (const needed of [
      'package.json',
      'README.md',
      'LICENSE',
      'images/icon.png',
      'dist/client.js',
      'server/dist/lsp.js',
      'rules/vocabulary/health-condition.yaml',
      'schemas/config.schema.json',
    ]) {
      expect(files).toContain(needed);
    }
  });

  describe('vsce package from fresh bundles', () => {
    let vsix: string;
    let entries: string[];
    let stage: string;

    afterAll(() => rmSync(stage, { recursive: true, force: true }));

    beforeAll(async () => {
      stage = mkdtempSync(join(tmpdir(), 'gdpr-lint-package-'));
      for (const path of [
        'package.json',
        'README.md',
        'LICENSE',
        '.vscodeignore',
        'rules',
        'schemas',
        'syntaxes',
        'images/icon.png',
      ]) {
        cpSync(join(REPO_ROOT, path), join(stage, path), { recursive: true });
      }
      mkdirSync(join(stage, 'node_modules'));
      const common = {
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        minify: true,
        legalComments: 'none',
        logLevel: 'error',
      } as const;
      await Promise.all([
        build({
          ...common,
          entryPoints: [join(REPO_ROOT, 'server/src/lsp/main.ts')],
          outfile: join(stage, 'server/dist/lsp.js'),
        }),
        build({
          ...common,
          entryPoints: [join(REPO_ROOT, 'client/src/extension.ts')],
          outfile: join(stage, 'dist/client.js'),
          external: ['vscode'],
        }),
      ]);
      vsix = join(stage, 'gdpr-lint.vsix');
      vsce(stage, [
        'package',
        '--no-dependencies',
        '--allow-missing-repository',
        '--out',
        vsix,
        '--baseContentUrl',
        'https://github.com/gdpr-lint/gdpr-lint/blob/main',
        '--baseImagesUrl',
        'https://github.com/gdpr-lint/gdpr-lint/raw/main',
      ]);
      entries = zipEntries(vsix);
    });

    it('is smaller than 3 MB', () => {
      expect(statSync(vsix).size).toBeLessThan(MAX_BYTES);
    });

    it('holds the bundles and the data, and nothing else', () => {
      const files = entries.filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
      expect(files.filter((f) => !ALLOWED.some((re) => re.test(f)))).toEqual([]);
      // vsce stores README.md as readme.md and LICENSE as LICENSE.txt.
      expect(files).toEqual(
        expect.arrayContaining([
          'package.json',
          'dist/client.js',
          'server/dist/lsp.js',
          'images/icon.png',
          'LICENSE.txt',
          'readme.md',
        ]),
      );
      expect(entries.filter((e) => !e.startsWith('extension/'))).toEqual([
        'extension.vsixmanifest',
        '[Content_Types].xml',
      ]);
    });
  });

  it('declares what the Marketplace and VS Code need', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(manifest.engines.vscode).toBe('^1.91.0');
    expect(manifest.main).toBe('./dist/client.js');
    expect(manifest.capabilities.untrustedWorkspaces.supported).toBe(true);
    expect(manifest.activationEvents).toEqual(
      expect.arrayContaining(['onLanguage:typescript', 'onLanguage:sql', 'workspaceContains:.gdpr-lint.yaml']),
    );
    expect(manifest.contributes.commands.map((c: { command: string }) => c.command)).toEqual(
      expect.arrayContaining([
        'gdprLint.openRuleDocumentation',
        'gdprLint.restartServer',
        'gdprLint.scanWorkspace',
        'gdprLint.showOutput',
      ]),
    );
    expect(Object.keys(manifest.contributes.configuration.properties)).toEqual(
      expect.arrayContaining([
        'gdprLint.codeLens',
        'gdprLint.configFile',
        'gdprLint.debounceMs',
        'gdprLint.enable',
        'gdprLint.run',
        'gdprLint.trace.server',
      ]),
    );
    for (const property of Object.values(manifest.contributes.configuration.properties) as { description?: string }[]) {
      expect(property.description).toBeTruthy();
    }
  });
});
