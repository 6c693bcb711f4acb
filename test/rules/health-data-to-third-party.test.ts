import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../server/src/engine/index.js';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'health-data-to-third-party';

const invalid: {
  name: string;
  code: string;
  found: string[];
  data?: Record<string, unknown>;
  severity?: string;
  other?: Record<string, string>;
}[] = [
  {
    name: 'fetch to a webhook',
    code: "async function f(r) { await fetch('https://hooks.slack.com/services/T0/B0/x', { method: 'POST', body: JSON.stringify({ text: `${r.diagnosis}` }) }); }",
    found: ['JSON.stringify({ text: `${r.diagnosis}` })'],
    data: { host: 'hooks.slack.com', category: 'health-condition' },
  },
  {
    name: 'fetch with an env URL and a literal fallback',
    code: "async function f(r) { await fetch(process.env.HOOK ?? 'https://hooks.example.com/x', { body: JSON.stringify(r.conclusion) }); }",
    found: ['JSON.stringify(r.conclusion)'],
    data: { host: 'hooks.example.com' },
  },
  {
    name: 'axios.post to a constant URL',
    code: "import axios from 'axios';\nconst SMS_API = 'https://api.sms.example.com/v2';\nasync function f(p, r) { await axios.post(SMS_API, { to: p.phone, text: `Your result: ${r.interpretation}` }); }",
    found: ['r.interpretation'],
    data: { host: 'api.sms.example.com' },
  },
  {
    name: 'axios instance with a baseURL',
    code: "import axios from 'axios';\nconst partner = axios.create({ baseURL: 'https://partner-lab.example.org' });\nasync function f(r) { await partner.post('/v1/orders', { dx: r.diagnosis }); }",
    found: ['r.diagnosis'],
    data: { host: 'partner-lab.example.org' },
  },
  {
    name: 'got with json',
    code: "import got from 'got';\nasync function f(cr) { await got.post('https://api.translate.example.net/v1', { json: { text: cr.conclusion } }); }",
    found: ['cr.conclusion'],
  },
  {
    name: 'ky',
    code: "import ky from 'ky';\nasync function f(r) { await ky.post('https://api.example.io/x', { json: { dx: r.diagnosis } }); }",
    found: ['r.diagnosis'],
  },
  {
    name: 'undici request',
    code: "import { request } from 'undici';\nasync function f(r) { await request('https://api.example.io/x', { method: 'POST', body: JSON.stringify({ dx: r.diagnosis }) }); }",
    found: ['JSON.stringify({ dx: r.diagnosis })'],
  },
  {
    name: 'superagent send',
    code: "import superagent from 'superagent';\nasync function f(r) { await superagent.post('https://api.example.io/x').send({ conclusion: r.conclusion }); }",
    found: ['r.conclusion'],
  },
  {
    name: 'https.request then write',
    code: "import https from 'node:https';\nfunction f(r) { const req = https.request('https://api.example.io/x', { method: 'POST' }); req.write(JSON.stringify({ dx: r.diagnosis })); req.end(); }",
    found: ['JSON.stringify({ dx: r.diagnosis })'],
    data: { host: 'api.example.io' },
  },
  {
    name: 'http.request with a hostname option',
    code: "import http from 'http';\nfunction f(r) { http.request({ hostname: 'collector.example.com', path: '/e' }, () => {}).end(r.conclusion); }",
    found: ['r.conclusion'],
    data: { host: 'collector.example.com' },
  },
  {
    name: 'Angular HttpClient',
    code: "class S { constructor(private http: HttpClient) {}\n  send(r) { return this.http.post('https://api.example.io/x', { dx: r.diagnosis }); } }",
    found: ['r.diagnosis'],
  },
  {
    name: 'window.fetch',
    code: "async function f(r) { await window.fetch('https://api.example.io/x', { method: 'POST', body: r.diagnosis }); }",
    found: ['r.diagnosis'],
  },
  {
    name: 'PostHog browser capture',
    code: "import posthog from 'posthog-js';\nfunction f(r) { posthog.capture('viewed', { interpretation: r.interpretation }); }",
    found: ['r.interpretation'],
  },
  {
    name: 'Sentry scope in withScope',
    code: "import * as Sentry from '@sentry/node';\nfunction f(r) { Sentry.withScope((scope) => { scope.setExtra('dx', r.diagnosis); }); }",
    found: ['r.diagnosis'],
  },
  {
    name: 'value in the query string',
    code: 'async function f(r) { await fetch(`https://api.example.io/lookup?dx=${r.diagnosis}`); }',
    found: ['r.diagnosis'],
  },
  {
    name: 'host from the environment is a warning',
    code: 'import axios from "axios";\nasync function f(r) { await axios.post(`${process.env.GATEWAY_URL}/oru`, { dx: r.diagnosis }); }',
    found: ['r.diagnosis'],
    severity: 'warning',
    data: { hostVariable: 'GATEWAY_URL' },
  },
  {
    name: 'Segment track',
    code: "import { Analytics } from '@segment/analytics-node';\nconst tracker = new Analytics({ writeKey: 'k' });\nfunction f(r) { tracker.track({ userId: 'u', event: 'viewed', properties: { interpretation: r.interpretation } }); }",
    found: ['r.interpretation'],
    data: { sdk: 'Segment', sdkKind: 'analytics' },
  },
  {
    name: 'Mixpanel',
    code: "function f(cr) { mixpanel.track('downloaded', { conclusion: cr.conclusion }); }",
    found: ['cr.conclusion'],
    data: { sdk: 'Mixpanel' },
  },
  {
    name: 'gtag',
    code: "function f(r) { gtag('event', 'result_shown', { interpretation: r.interpretation }); }",
    found: ['r.interpretation'],
    data: { sdk: 'Google Analytics' },
  },
  {
    name: 'Amplitude',
    code: "import * as amplitude from '@amplitude/analytics-browser';\nfunction f(r) { amplitude.track('viewed', { diagnosis: r.diagnosis }); }",
    found: ['r.diagnosis'],
  },
  {
    name: 'PostHog node client',
    code: "import { PostHog } from 'posthog-node';\nconst ph = new PostHog('k');\nfunction f(r) { ph.capture({ distinctId: 'u', event: 'x', properties: { dx: r.diagnosis } }); }",
    found: ['r.diagnosis'],
    data: { sdk: 'PostHog' },
  },
  {
    name: 'Sentry extra',
    code: "import * as Sentry from '@sentry/node';\nfunction f(err, r) { Sentry.captureException(err, { extra: { diagnosis: r.diagnosis } }); }",
    found: ['r.diagnosis'],
    data: { sdk: 'Sentry', sdkKind: 'error tracker' },
  },
  {
    name: 'Sentry setContext and addBreadcrumb',
    code: "import * as Sentry from '@sentry/browser';\nfunction f(cr) { Sentry.setContext('cr', { id: cr.id, conclusion: cr.conclusion }); Sentry.addBreadcrumb({ message: `dx ${cr.results.map((r) => r.diagnosis).join(', ')}` }); }",
    found: ['cr.conclusion', "cr.results.map((r) => r.diagnosis).join(', ')"],
  },
  {
    name: 'Sentry named import',
    code: "import { setExtra } from '@sentry/nextjs';\nfunction f(r) { setExtra('dx', r.diagnosis); }",
    found: ['r.diagnosis'],
  },
  {
    name: 'Datadog RUM',
    code: "import { datadogRum } from '@datadog/browser-rum';\nfunction f(r) { datadogRum.addAction('viewed', { dx: r.diagnosis }); }",
    found: ['r.diagnosis'],
    data: { sdk: 'Datadog' },
  },
  {
    name: 'Bugsnag metadata',
    code: "import Bugsnag from '@bugsnag/js';\nfunction f(r) { Bugsnag.addMetadata('result', { interpretation: r.interpretation }); }",
    found: ['r.interpretation'],
  },
  {
    name: 'nodemailer',
    code: "import nodemailer from 'nodemailer';\nconst smtp = nodemailer.createTransport({});\nasync function f(p, r) { await smtp.sendMail({ to: p.email, text: `Result: ${r.interpretation}` }); }",
    found: ['r.interpretation'],
    data: { sdk: 'nodemailer', sdkKind: 'email' },
  },
  {
    name: 'Twilio',
    code: "import twilio from 'twilio';\nconst client = twilio('sid', 'token');\nasync function f(r) { await client.messages.create({ to: '+33', from: 'LAB', body: `HIV test: ${r.hivStatus}` }); }",
    found: ['r.hivStatus'],
    data: { sdk: 'Twilio', sdkKind: 'SMS' },
  },
  {
    name: 'SendGrid',
    code: "import sgMail from '@sendgrid/mail';\nasync function f(r) { await sgMail.send({ to: 'a@b', html: `<p>${r.conclusion}</p>` }); }",
    found: ['r.conclusion'],
  },
  {
    name: 'an LLM',
    code: "import OpenAI from 'openai';\nconst ai = new OpenAI();\nasync function f(cr) { await ai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: cr.conclusion }] }); }",
    found: ['cr.conclusion'],
    data: { sdk: 'OpenAI' },
  },
];

const valid: { name: string; code: string; config?: Record<string, unknown> }[] = [
  {
    name: 'internal host (.local)',
    code: "async function f(r) { await fetch('http://sil.biolab.local:8080/api/alerts', { method: 'POST', body: JSON.stringify({ dx: r.diagnosis }) }); }",
  },
  {
    name: 'internal host from a constant in a template',
    code: "const SIL = 'http://sil.lab.internal/api';\nasync function f(r) { await fetch(`${SIL}/alerts`, { body: JSON.stringify({ dx: r.diagnosis }) }); }",
  },
  {
    name: 'localhost and private IPs',
    code: "import axios from 'axios';\nasync function f(r) { await axios.post('http://localhost:3000/x', { dx: r.diagnosis }); await axios.post('http://10.0.3.4/x', { dx: r.diagnosis }); await axios.post('http://192.168.1.20/x', { dx: r.diagnosis }); }",
  },
  {
    name: 'relative URL',
    code: "async function f(r) { await fetch('/api/results', { method: 'POST', body: JSON.stringify({ dx: r.diagnosis }) }); }",
  },
  {
    name: 'approved processor from config',
    code: "import axios from 'axios';\nasync function f(r) { await axios.post('https://hds.partner.example.fr/v1', { dx: r.diagnosis }); }",
    config: { thirdParty: { approvedProcessors: ['*.partner.example.fr'] } },
  },
  {
    name: 'unknown URL (a parameter)',
    code: 'async function f(url, r) { await fetch(url, { body: JSON.stringify({ dx: r.diagnosis }) }); }',
  },
  {
    name: 'no health data',
    code: "import axios from 'axios';\nasync function f(p) { await axios.post('https://api.sms.example.com', { to: p.phone, text: 'Your results are available.' }); }",
  },
  {
    name: 'aggregates to analytics',
    code: "function f(s, cr) { mixpanel.track('stats', { code_loinc: s.codeLoinc, positifs: s.positifs, total: s.total, nb_resultats: cr.results.length }); gtag('event', 'stats', { nb_total: s.total }); }",
  },
  {
    name: 'ids and statuses to Sentry',
    code: "import * as Sentry from '@sentry/node';\nfunction f(err, cr, codeBarre) { Sentry.captureException(err, { tags: { codeBarre } }); Sentry.setTag('status', cr.statut); Sentry.setUser({ id: cr.patient.id }); }",
  },
  {
    name: 'the error itself',
    code: "import * as Sentry from '@sentry/node';\nfunction f(diagnosisError) { Sentry.captureException(diagnosisError); }",
  },
  { name: 'redacted before sending', code: "function f(r) { mixpanel.track('x', { dx: redact(r.diagnosis) }); }" },
  { name: 'not an SDK', code: 'function f(r) { cart.track(r.diagnosis); queue.capture(r.diagnosis); }' },
];

describe(RULE, () => {
  it.each(invalid)('reports $name', ({ code, found, data, severity, other = {} }) => {
    const findings = findingsOf(RULE, { 'a.ts': code, ...other }).filter((f) => f.file === 'a.ts');
    expect(findings.map((f) => covered(code, f))).toEqual(found);
    if (data) expect(findings[0]!.data).toMatchObject(data);
    expect(findings[0]!.severity).toBe(severity ?? 'error');
  });

  it.each(valid)('accepts $name', ({ code, config = {} }) => {
    expect(findingsOf(RULE, { 'a.ts': code }, config)).toEqual([]);
  });

  it('names the host and the category in the message', () => {
    const [f] = findingsOf(RULE, {
      'a.ts': "async function f(r) { await fetch('https://hooks.slack.com/x', { body: r.diagnosis }); }",
    });
    expect(f!.message).toMatch(/^Health data is sent to hooks\.slack\.com: health condition \(`.+`\)/);
  });

  it('offers the id, the redact() wrap and the suppression comment', () => {
    const code =
      "import * as Sentry from '@sentry/node';\ninterface Dx { id: string; diagnosis: string }\nfunction f(err: Error, dx: Dx) {\n  Sentry.captureException(err, { extra: { diagnosis: dx } });\n}";
    const [f] = findingsOf(RULE, {
      'a.ts': code,
      'privacy.ts':
        "export { redact } from '@lab/privacy';\nimport { redact } from '@lab/privacy';\nexport const r = redact;\n",
    });
    expect(f!.fixes!.map((x) => x.title)).toEqual([
      'Replace `dx` by its id',
      'Wrap `dx` in redact()',
      'Suppress health-data-to-third-party on this line (with a justification)',
    ]);
    expect(applyEdits(code, f!.fixes![0]!.edits).text).toContain('{ extra: { diagnosis: { id: dx.id } } }');
    // redact() from the package the project imports it from, with its import.
    // (TypeScript keeps the imports sorted: @lab before @sentry.)
    expect(applyEdits(code, f!.fixes![1]!.edits).text).toBe(
      `import { redact } from '@lab/privacy';\n${code}`.replace('diagnosis: dx }', 'diagnosis: redact(dx) }'),
    );
    expect(applyEdits(code, f!.fixes![2]!.edits).text).toContain(
      '  // gdpr-lint-disable-next-line health-data-to-third-party -- TODO: justify\n  Sentry.captureException',
    );
  });
});
