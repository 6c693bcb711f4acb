import { describe, expect, it } from 'vitest';
import type { Finding } from '../../server/src/engine/index.js';
import { escapeData, escapeProperty, formatGithub } from '../../server/src/cli/formats/github.js';
import { formatGitlab } from '../../server/src/cli/formats/gitlab.js';
import { locate, type Report } from '../../server/src/host/located.js';
import { COMMENT_MARKER, formatMarkdown } from '../../server/src/cli/formats/markdown.js';
import { sarifLog } from '../../server/src/cli/formats/sarif.js';
import { formatText, wantsColor } from '../../server/src/cli/formats/text.js';
import { parseOutputs } from '../../server/src/cli/outputs.js';
import { testPack } from '../helpers.js';

const SQL = 'CREATE TABLE analyses (\n  id INT,\n  diagnostic TEXT\n);\nSELECT * FROM analyses;\n';
const TS = "const nir = '185057800608491';\napp.get('/api/results/:id', handler);\n";

function at(text: string, token: string, from = 0): { start: number; end: number } {
  const start = text.indexOf(token, from);
  if (start < 0) throw new Error(`no ${token}`);
  return { start, end: start + token.length };
}

function sampleReport(extra: Partial<Report> = {}): Report {
  const texts = new Map([
    ['db/schema.sql', SQL],
    ['src/app.ts', TS],
  ]);
  const findings: Finding[] = [
    {
      ruleId: 'plaintext-health-data',
      severity: 'error',
      message: 'Column `diagnostic` holds health data in plaintext, 50%: fix it',
      file: 'db/schema.sql',
      range: at(SQL, 'diagnostic'),
    },
    {
      ruleId: 'select-star-export',
      severity: 'warning',
      message: 'SELECT * over analyses',
      file: 'db/schema.sql',
      range: at(SQL, '*'),
      fixes: [
        { title: 'List the columns', isPreferred: true, edits: [{ ...at(SQL, '*'), newText: 'id, diagnostic' }] },
      ],
    },
    {
      ruleId: 'unauthenticated-route',
      severity: 'warning',
      message: 'Route without auth',
      file: 'src/app.ts',
      range: at(TS, "'/api/results/:id'"),
      suppressed: { kind: 'inline', justification: 'public status page' },
    },
  ];
  return {
    findings: locate(findings, texts),
    notes: [],
    stats: { files: 2, durationMs: 5 },
    rules: testPack().rules,
    texts,
    toolVersion: '1.2.3',
    pathPrefix: 'app/',
    rootUri: 'file:///work/repo/',
    ...extra,
  };
}

describe('github workflow commands', () => {
  it('escapes data and properties as the runner expects', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('prints one annotation per unsuppressed finding, paths from the repository root', () => {
    expect(formatGithub(sampleReport()).split('\n').filter(Boolean)).toEqual([
      '::error file=app/db/schema.sql,line=3,col=3,endLine=3,endColumn=13,title=gdpr-lint plaintext-health-data::Column `diagnostic` holds health data in plaintext, 50%25: fix it',
      '::warning file=app/db/schema.sql,line=5,col=8,endLine=5,endColumn=9,title=gdpr-lint select-star-export::SELECT * over analyses',
    ]);
  });
});

describe('gitlab code quality', () => {
  it('maps findings to issues with fingerprint, severity and location', () => {
    const issues = JSON.parse(formatGitlab(sampleReport())) as Record<string, unknown>[];
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatchObject({
      check_name: 'plaintext-health-data',
      description: 'Column `diagnostic` holds health data in plaintext, 50%: fix it',
      severity: 'critical',
      location: { path: 'app/db/schema.sql', lines: { begin: 3 } },
    });
    expect(issues[1]).toMatchObject({ check_name: 'select-star-export', severity: 'minor' });
    expect(issues[0]!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(issues[0]!.fingerprint).not.toBe(issues[1]!.fingerprint);
  });
});

describe('sarif', () => {
  const log = sarifLog(
    sampleReport({ ruleDocs: { 'plaintext-health-data': '# Plaintext health data\n\nEncrypt it.' } }),
  ) as any;
  const run = log.runs[0];

  it('describes the tool and every rule with help, tags and security-severity', () => {
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver).toMatchObject({ name: 'gdpr-lint', semanticVersion: '1.2.3' });
    const rule = run.tool.driver.rules.find((r: any) => r.id === 'plaintext-health-data');
    expect(rule.help.markdown).toBe('# Plaintext health data\n\nEncrypt it.');
    expect(rule.helpUri).toMatch(/^https:\/\//);
    expect(rule.shortDescription.text.length).toBeGreaterThan(5);
    expect(rule.properties.tags).toContain('security');
    expect(rule.properties.tags.some((t: string) => /^GDPR Art\. 9\b/.test(t))).toBe(true);
    expect(rule.properties['security-severity']).toBe('9.0');
  });

  it('gives results ruleIndex, relative locations, fingerprints, fixes and suppressions', () => {
    const [plain, star, route] = run.results;
    expect(run.tool.driver.rules[plain.ruleIndex].id).toBe('plaintext-health-data');
    expect(plain.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'app/db/schema.sql', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 3, endLine: 3, endColumn: 13 },
    });
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/repo/' } });
    expect(plain.partialFingerprints['gdprLint/v1']).toMatch(/^[0-9a-f]{32}$/);
    expect(plain.fixes).toBeUndefined();
    expect(star.fixes).toEqual([
      {
        description: { text: 'List the columns' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'app/db/schema.sql', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 5, startColumn: 8, endLine: 5, endColumn: 9 },
                insertedContent: { text: 'id, diagnostic' },
              },
            ],
          },
        ],
      },
    ]);
    expect(route.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'public status page' }]);
  });

  it('never embeds source text', () => {
    const report = sampleReport();
    const nir: Finding = {
      ruleId: 'hardcoded-health-identifier',
      severity: 'error',
      message: 'Hard-coded NIR 18505••••••••••',
      file: 'src/app.ts',
      range: at(TS, '185057800608491'),
    };
    const text = JSON.stringify(
      sarifLog({ ...report, findings: [...report.findings, ...locate([nir], report.texts)] }),
    );
    expect(text).toContain('18505••••••••••');
    expect(text).not.toContain('185057800608491');
    expect(text).not.toContain('snippet');
  });
});

describe('markdown PR comment', () => {
  const delta = {
    columns: [
      {
        table: 'analyses',
        column: 'diagnostic',
        type: 'TEXT',
        category: 'health-condition',
        change: 'added' as const,
        file: 'db/schema.sql',
        line: 3,
      },
    ],
    routes: [
      {
        method: 'GET',
        path: '/api/results/:id',
        auth: 'none' as const,
        change: 'added' as const,
        file: 'src/app.ts',
        line: 2,
      },
    ],
    flows: [
      {
        kind: 'export' as const,
        ruleId: 'select-star-export',
        message: 'SELECT * over analyses',
        file: 'db/schema.sql',
        line: 5,
      },
    ],
  };

  it('has the marker, a summary table, the privacy delta and linked findings', () => {
    const md = formatMarkdown(sampleReport({ change: { ref: 'origin/main', base: 'a'.repeat(40), delta } }), {
      link: (p, l) => `https://x.test/blob/sha/${p}#L${l}`,
    });
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
    expect(md).toContain('| `plaintext-health-data` | 1 | 0 | 0 |');
    expect(md).toContain('| `select-star-export` | 0 | 1 | 0 |');
    expect(md).toContain('| **Total** | **1** | **1** | **0** |');
    expect(md).toContain(
      '| `analyses.diagnostic` (new) | health-condition | `TEXT` | ⚠️ **plaintext** | [app/db/schema.sql:3](https://x.test/blob/sha/app/db/schema.sql#L3) |',
    );
    expect(md).toContain('| `GET /api/results/:id` | ⚠️ **none (public)** |');
    expect(md).toContain('- Export: SELECT * over analyses');
    expect(md).toContain('<summary>Findings introduced by this change (2)</summary>');
    expect(md).toContain('_1 suppressed in code with a justification comment._');
  });

  it('caps the list with "and N more"', () => {
    const report = sampleReport();
    const many = Array.from({ length: 7 }, () => report.findings[0]!);
    const md = formatMarkdown({ ...report, findings: many }, { maxItems: 3 });
    expect(md.match(/^- 🔴/gm)).toHaveLength(3);
    expect(md).toContain('- … and 4 more');
  });
});

describe('text', () => {
  it('underlines the flagged range, masks identifiers, and has no colours without a TTY', () => {
    const out = formatText(sampleReport(), { color: false });
    expect(out).toContain('     3 |   diagnostic TEXT\n       |   ^~~~~~~~~~\n');
    expect(out).not.toContain('\u001b[');
  });

  it('colours only a TTY, never with NO_COLOR', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });
});

describe('--format and --output', () => {
  it('sends one format to stdout or --output and the others to their files', () => {
    expect(parseOutputs([], undefined)).toEqual([{ format: 'text' }]);
    expect(parseOutputs(['sarif=out/a.sarif', 'markdown'], 'pr.md')).toEqual([
      { format: 'sarif', file: 'out/a.sarif' },
      { format: 'markdown', file: 'pr.md' },
    ]);
    expect(parseOutputs(['json,github=gh.txt'], 'x.json')).toEqual([
      { format: 'json', file: 'x.json' },
      { format: 'github', file: 'gh.txt' },
    ]);
    expect(() => parseOutputs(['json', 'github'], 'x.json')).toThrow(/--output takes one format/);
  });

  it('refuses unknown formats and two formats on stdout', () => {
    expect(() => parseOutputs(['pdf'], undefined)).toThrow(/unknown format "pdf"/);
    expect(() => parseOutputs(['json', 'sarif'], undefined)).toThrow(/only one format can go to stdout/);
  });
});
