import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'health-data-to-third-party';

describe(`${RULE} on code in other styles`, () => {
  it('an OpenAI-compatible client whose baseURL is a cluster host sends nothing out; the hosted one does', () => {
    const code = [
      "import OpenAI from 'openai';",
      "import type { ClinicalNote } from '@acme/domain';",
      'const hosted = new OpenAI({ apiKey: process.env.KEY });',
      "const local = new OpenAI({ baseURL: 'http://llm-gateway.ai.svc.cluster.local:8000/v1', apiKey: 'x' });",
      'export async function f(notes: ClinicalNote[]) {',
      "  await local.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: notes.map((n) => n.text).join('\\n') }] });",
      "  await hosted.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: notes.map((n) => n.text).join('\\n') }] });",
      '}',
    ].join('\n');
    const findings = findingsOf(RULE, { 'a.ts': code });
    expect(findings.map((f) => [code.slice(0, f.range.start).split('\n').length, covered(code, f)])).toEqual([
      [7, "notes.map((n) => n.text).join('\\n')"],
    ]);
  });

  it('what a presentation helper renders from health data is health data', () => {
    const code =
      "import sgMail from '@sendgrid/mail';\nimport type { PathologyReport } from '@acme/domain';\nimport { renderReportHtml } from './render';\nexport async function f(to: string, report: PathologyReport) { await sgMail.send({ to, from: 'x@y.z', html: renderReportHtml(report) }); }";
    expect(findingsOf(RULE, { 'a.ts': code }).map((f) => covered(code, f))).toEqual(['renderReportHtml(report)']);
  });

  it('a helper that computes something else from the same data is not read as presentation', () => {
    const code =
      "import sgMail from '@sendgrid/mail';\nimport type { PathologyReport } from '@acme/domain';\nimport { resultCountOf } from './stats';\nexport async function f(to: string, report: PathologyReport) { await sgMail.send({ to, from: 'x@y.z', text: String(resultCountOf(report)) }); }";
    expect(findingsOf(RULE, { 'a.ts': code })).toEqual([]);
  });

  it('starts the range of a multi-line request at the call', () => {
    const code =
      "const HOOK = 'https://example.webhook.office.com/webhookb2/x';\nexport async function f(r: { diagnosis: string }) {\n  await fetch(HOOK, {\n    method: 'POST',\n    body: JSON.stringify({ text: r.diagnosis }),\n  });\n}";
    const [f] = findingsOf(RULE, { 'a.ts': code });
    expect(covered(code, f!)).toBe(
      "fetch(HOOK, {\n    method: 'POST',\n    body: JSON.stringify({ text: r.diagnosis })",
    );
  });
});
