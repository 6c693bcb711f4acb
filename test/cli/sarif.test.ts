import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { locate } from '../../server/src/host/located.js';
import { formatSarif } from '../../server/src/cli/formats/sarif.js';
import { REPO_ROOT, testPack } from '../helpers.js';
import { runInProcess } from './run-cli.js';

const TOOL_DIR = join(REPO_ROOT, 'node_modules', '@microsoft', 'sarif-multitool-linux');
const VALIDATOR = join(TOOL_DIR, 'Sarif.Multitool');
const HAS_VALIDATOR =
  process.platform === 'linux' &&
  (() => {
    try {
      return statSync(VALIDATOR).isFile();
    } catch {
      return false;
    }
  })();

/**
 * Microsoft's SARIF validator. npm 11 does not run the package's postinstall (`chmod u+x`) unless
 * allowed, so the test makes the binary executable itself. With every level on, a file it could
 * read always yields at least one note; a file it could not deserialize yields nothing at all
 * (and exit code 0), so "no output" is a failure too.
 */
function validate(file: string): { errors: string[]; diagnostics: string[] } {
  const mode = statSync(VALIDATOR).mode;
  if ((mode & 0o100) === 0) chmodSync(VALIDATOR, mode | 0o100);
  const run = spawnSync(VALIDATOR, ['validate', '--level', 'Error;Warning;Note', file], {
    encoding: 'utf8',
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  expect(run.error).toBeUndefined();
  const lines = run.stdout.split('\n');
  return {
    errors: lines.filter((l) => /: error [A-Z]+\d+:/.test(l) || /^SARIF\.MULTITOOL : error/.test(l)),
    diagnostics: lines.filter((l) => /: (error|warning|note) [A-Z]+\d+:/.test(l)),
  };
}

function schemaErrors(file: string): unknown[] {
  const schema = JSON.parse(readFileSync(join(TOOL_DIR, 'sarif-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  const check = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
  return check(JSON.parse(readFileSync(file, 'utf8'))) ? [] : (check.errors ?? []);
}

describe.skipIf(!HAS_VALIDATOR)("SARIF passes Microsoft's validator", () => {
  it('for the scan of examples/lab-app', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gdpr-sarif-')), 'lab-app.sarif');
    const run = await runInProcess(['scan', 'examples/lab-app', '--format', `sarif=${file}`], REPO_ROOT);
    expect([0, 1]).toContain(run.code);
    expect(schemaErrors(file)).toEqual([]);
    const result = validate(file);
    expect(result.errors).toEqual([]);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  it('with fixes, suppressions, related locations and notes', () => {
    const text =
      'CREATE TABLE analyses (diagnostic TEXT);\n-- gdpr-lint-disable-next-line select-star-export -- archived job\nSELECT * FROM analyses;\n';
    const texts = new Map([['db/dossier patients é.sql', text]]);
    const star = text.indexOf('*');
    const findings = locate(
      [
        {
          ruleId: 'plaintext-health-data',
          severity: 'error',
          message: 'diagnostic in plaintext',
          file: 'db/dossier patients é.sql',
          range: { start: 23, end: 33 },
          related: [{ file: 'db/dossier patients é.sql', range: { start: 13, end: 21 }, message: 'table' }],
        },
        {
          ruleId: 'select-star-export',
          severity: 'warning',
          message: 'SELECT *',
          file: 'db/dossier patients é.sql',
          range: { start: star, end: star + 1 },
          fixes: [
            {
              title: 'List the columns',
              isPreferred: true,
              edits: [{ start: star, end: star + 1, newText: 'diagnostic' }],
            },
          ],
          suppressed: { kind: 'inline', justification: 'archived job' },
        },
      ],
      texts,
    );
    const sarif = formatSarif({
      findings,
      texts,
      toolVersion: '0.1.0',
      rules: testPack().rules,
      stats: { files: 1, durationMs: 1 },
      notes: [{ file: 'db/broken.sql', kind: 'sql-unparsed', message: '1 statement could not be parsed' }],
      pathPrefix: 'app/',
      rootUri: 'file:///work/repo/',
    });
    const file = join(mkdtempSync(join(tmpdir(), 'gdpr-sarif-')), 'rich.sarif');
    writeFileSync(file, sarif);
    expect(schemaErrors(file)).toEqual([]);
    const result = validate(file);
    expect(result.errors).toEqual([]);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });
});
