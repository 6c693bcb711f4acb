import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { applyEdits, type EngineConfig } from '../../server/src/engine/index.js';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'health-data-in-clear-transit';

const RESULT = 'interface Resultat { id: string; valeur: string; diagnostic: string }\n';

const invalid: {
  name: string;
  code: string;
  found: string;
  severity?: string;
  channel: string;
  other?: Record<string, string>;
  config?: Partial<EngineConfig>;
}[] = [
  {
    name: 'plain HTTP to a partner laboratory',
    code: `${RESULT}import axios from 'axios';\nexport async function f(r: Resultat) { await axios.post('http://lis.partner-lab.example.org/oru', { valeur: r.valeur }); }`,
    found: "'http://lis.partner-lab.example.org/oru'",
    channel: 'http',
  },
  {
    name: 'plain HTTP through a constant URL',
    code: `${RESULT}const HPRIM = 'http://hprim.cabinet-medical.example.fr/in';\nexport async function f(r: Resultat) { await fetch(HPRIM, { method: 'POST', body: JSON.stringify({ dx: r.diagnostic }) }); }`,
    found: 'HPRIM',
    channel: 'http',
  },
  {
    name: 'an axios instance with a plain HTTP base URL',
    code: `${RESULT}import axios from 'axios';\nconst lis = axios.create({ baseURL: 'http://203.0.113.7:8080' });\nexport async function f(r: Resultat) { await lis.post('/results', { valeur: r.valeur }); }`,
    found: "'http://203.0.113.7:8080'",
    channel: 'http',
  },
  {
    name: 'plain HTTP to a host of the hospital network: a warning',
    code: `${RESULT}export async function f(r: Resultat) { await fetch('http://192.168.10.4/hl7', { method: 'POST', body: JSON.stringify({ valeur: r.valeur }) }); }`,
    found: "'http://192.168.10.4/hl7'",
    severity: 'warning',
    channel: 'http',
  },
  {
    name: 'plain HTTP to an approved processor still crosses the internet',
    code: `${RESULT}export async function f(r: Resultat) { await fetch('http://api.hds-host.example.eu/in', { method: 'POST', body: JSON.stringify({ valeur: r.valeur }) }); }`,
    found: "'http://api.hds-host.example.eu/in'",
    channel: 'http',
    config: { thirdParty: { approvedProcessors: ['*.hds-host.example.eu'] } },
  },
  {
    name: "plain HTTP to one of the team's internal hosts: a warning",
    code: `${RESULT}export async function f(r: Resultat) { await fetch('http://lis.biolab.example.fr/in', { method: 'POST', body: JSON.stringify({ valeur: r.valeur }) }); }`,
    found: "'http://lis.biolab.example.fr/in'",
    severity: 'warning',
    channel: 'http',
    config: { thirdParty: { internalHosts: ['lis.biolab.example.fr'] } },
  },
  {
    name: 'an agent that does not verify the server',
    code: `${RESULT}import https from 'node:https';\nimport axios from 'axios';\nconst agent = new https.Agent({ rejectUnauthorized: false });\nexport async function f(r: Resultat) { await axios.post('https://lis.partner-lab.example.org/oru', { dx: r.diagnostic }, { httpsAgent: agent }); }`,
    found: 'rejectUnauthorized: false',
    channel: 'tls-off',
  },
  {
    name: 'an axios instance made with that agent',
    code: `${RESULT}import https from 'node:https';\nimport axios from 'axios';\nconst api = axios.create({ httpsAgent: new https.Agent({ rejectUnauthorized: false }) });\nexport async function f(r: Resultat) { await api.post('https://lis.partner-lab.example.org/oru', { dx: r.diagnostic }); }`,
    found: 'rejectUnauthorized: false',
    channel: 'tls-off',
  },
  {
    name: 'certificate checks off for the whole process',
    code: `${RESULT}process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\nexport async function f(r: Resultat) { await fetch('https://lis.partner-lab.example.org/oru', { method: 'POST', body: JSON.stringify({ dx: r.diagnostic }) }); }`,
    found: "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'",
    channel: 'tls-off-process',
  },
  {
    name: 'basic-ftp without TLS',
    code: `${RESULT}import { Client } from 'basic-ftp';\nimport { Readable } from 'node:stream';\nexport async function f(r: Resultat) {\n  const client = new Client();\n  await client.access({ host: 'ftp.partner-lab.example.org', user: 'lab', password: 'x' });\n  await client.uploadFrom(Readable.from(JSON.stringify({ dx: r.diagnostic })), 'dx.json');\n}`,
    found: "client.access({ host: 'ftp.partner-lab.example.org', user: 'lab', password: 'x' })",
    channel: 'ftp',
  },
  {
    name: 'basic-ftp with secure: false uploading an export file',
    code: "import { Client } from 'basic-ftp';\nimport { writeFile } from 'node:fs/promises';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f() {\n  const { rows } = await pool.query('SELECT nom, diagnostic FROM patients');\n  await writeFile('/var/lib/lab/out.csv', JSON.stringify(rows));\n  const client = new Client();\n  await client.access({ host: 'ftp.partner-lab.example.org', secure: false });\n  await client.uploadFrom('/var/lib/lab/out.csv', 'out.csv');\n}",
    found: 'secure: false',
    channel: 'ftp',
    other: { 'schema.sql': 'CREATE TABLE patients (id INT, nom TEXT, diagnostic TEXT);' },
  },
  {
    name: 'nodemailer ignoring TLS',
    code: `${RESULT}import nodemailer from 'nodemailer';\nconst mailer = nodemailer.createTransport({ host: 'smtp.mail-provider.example.com', port: 25, ignoreTLS: true });\nexport async function f(r: Resultat) { await mailer.sendMail({ to: 'dr@example.org', text: r.diagnostic }); }`,
    found: 'ignoreTLS: true',
    channel: 'smtp',
  },
  {
    name: 'FTPS that accepts any certificate',
    code: `${RESULT}import { Client } from 'basic-ftp';\nexport async function f(r: Resultat) {\n  const client = new Client();\n  await client.access({ host: 'ftp.partner-lab.example.org', secure: true, secureOptions: { rejectUnauthorized: false } });\n  await client.uploadFrom(Buffer.from(r.diagnostic), 'dx.txt');\n}`,
    found: 'rejectUnauthorized: false',
    channel: 'tls-off',
  },
  {
    name: 'a mail transport that accepts any certificate',
    code: `${RESULT}import nodemailer from 'nodemailer';\nconst mailer = nodemailer.createTransport({ host: 'smtp.mail-provider.example.com', tls: { rejectUnauthorized: false } });\nexport async function f(r: Resultat) { await mailer.sendMail({ to: 'dr@example.org', text: r.diagnostic }); }`,
    found: 'rejectUnauthorized: false',
    channel: 'tls-off',
  },
  {
    name: 'a database connection string with TLS off, to a remote host',
    code: "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: 'postgres://lab@db.lab-hosting.example.net:5432/sil?sslmode=disable' });",
    found: "'postgres://lab@db.lab-hosting.example.net:5432/sil?sslmode=disable'",
    channel: 'database',
    other: { 'schema.sql': 'CREATE TABLE resultats (id INT, valeur TEXT, interpretation TEXT);' },
  },
  {
    name: 'database options with ssl: false, to a remote host',
    code: "import mysql from 'mysql2';\nexport const db = mysql.createPool({ host: 'db.lab-hosting.example.net', user: 'lab', password: 'x', database: 'sil', ssl: false });",
    found: 'ssl: false',
    channel: 'database',
    other: { 'schema.sql': 'CREATE TABLE resultats (id INT, valeur TEXT, interpretation TEXT);' },
  },
];

/** A health-insurance gateway client: NestJS's HttpService posts a card check to a URL kept in a config module. */
const cardCheck = (url: string) => ({
  code: "import { Injectable } from '@nestjs/common';\nimport { HttpService } from '@nestjs/axios';\nimport { firstValueFrom } from 'rxjs';\nimport { INSURER } from './insurer.config';\nexport class CardQuery { cardNo: string; fullName: string; born: string }\n@Injectable()\nexport class CardCheckService {\n  constructor(private readonly http: HttpService) {}\n  async check(q: CardQuery) {\n    const res = await firstValueFrom(this.http.post(INSURER.CHECK_URL, { maThe: q.cardNo, hoTen: q.fullName, ngaySinh: q.born }));\n    return res.data;\n  }\n}\n",
  other: { 'insurer.config.ts': `export const INSURER = {\n  CHECK_URL: '${url}',\n  USER: 'clinic',\n} as const;\n` },
});

/**
 * Certificate checks turned off in a config module, read by a constant of another module and
 * handed to an FTP helper by the service that fetches medical-record documents.
 */
const recordsFtp = (tls: string, user = 'MedicalRecordsService', key = 'TLS_OPTIONS') => ({
  'docs-ftp.config.ts': `export const DOCS_FTP = {\n  HOST: '10.20.0.9',\n  SECURE: true,\n  TLS_OPTIONS: ${tls},\n} as const;\n`,
  'docs-ftp.access.ts': `import { DOCS_FTP } from './docs-ftp.config';\nexport const docsFtpAccess = { host: DOCS_FTP.HOST, secure: DOCS_FTP.SECURE, secureOptions: DOCS_FTP.${key} };\n`,
  'ftp.helper.ts':
    "import { Client, AccessOptions } from 'basic-ftp';\nexport class FtpHelper {\n  async fetch(options: AccessOptions, remote: string, out: any) {\n    const client = new Client();\n    try {\n      await client.access({ ...options });\n      await client.downloadTo(out, remote);\n    } finally {\n      client.close();\n    }\n  }\n}\n",
  'records.service.ts': `import { FtpHelper } from './ftp.helper';\nimport { docsFtpAccess } from './docs-ftp.access';\nexport class ${user} {\n  constructor(private readonly ftp: FtpHelper) {}\n  async documentOf(path: string, out: any) {\n    await this.ftp.fetch(docsFtpAccess, path, out);\n  }\n}\n`,
});

const valid: { name: string; code: string; other?: Record<string, string>; config?: Partial<EngineConfig> }[] = [
  {
    name: 'https',
    code: `${RESULT}import axios from 'axios';\nexport async function f(r: Resultat) { await axios.post('https://lis.partner-lab.example.org/oru', { valeur: r.valeur }); }`,
  },
  {
    name: 'localhost over HTTP',
    code: `${RESULT}export async function f(r: Resultat) { await fetch('http://localhost:8080/alerts', { method: 'POST', body: JSON.stringify({ valeur: r.valeur }) }); await fetch('http://127.0.0.1:3000/x', { method: 'POST', body: JSON.stringify({ dx: r.diagnostic }) }); }`,
  },
  {
    name: 'a container of the same deployment and a cluster service',
    code: `${RESULT}export async function f(r: Resultat) { await fetch('http://lis:8080/alerts', { method: 'POST', body: JSON.stringify({ valeur: r.valeur }) }); await fetch('http://lis.lab.svc.cluster.local/x', { method: 'POST', body: JSON.stringify({ valeur: r.valeur }) }); }`,
  },
  {
    name: 'a host the team declares local',
    code: `${RESULT}export async function f(r: Resultat) { await fetch('http://lis.mesh.example.internal/x', { method: 'POST', body: JSON.stringify({ valeur: r.valeur }) }); }`,
    config: { rules: { [RULE]: { options: { localHosts: ['*.mesh.example.internal'] } } } },
  },
  {
    name: 'plain HTTP without health data',
    code: "export async function f(id: string) { await fetch('http://status.example.org/ping', { method: 'POST', body: JSON.stringify({ id }) }); }",
  },
  {
    name: 'a host known only at run time',
    code: `${RESULT}export async function f(r: Resultat, host: string) { await fetch(\`http://\${host}/results\`, { method: 'POST', body: JSON.stringify({ valeur: r.valeur }) }); }`,
  },
  {
    name: 'sftp',
    code: `${RESULT}import SftpClient from 'ssh2-sftp-client';\nexport async function f(r: Resultat) { const sftp = new SftpClient(); await sftp.connect({ host: 'sftp.partner.example.org' }); await sftp.put(Buffer.from(r.diagnostic), '/in/dx.txt'); }`,
  },
  {
    name: 'basic-ftp over TLS',
    code: `${RESULT}import { Client } from 'basic-ftp';\nimport { Readable } from 'node:stream';\nexport async function f(r: Resultat) {\n  const client = new Client();\n  await client.access({ host: 'ftp.partner-lab.example.org', secure: true });\n  await client.uploadFrom(Readable.from(JSON.stringify({ dx: r.diagnostic })), 'dx.json');\n}`,
  },
  {
    name: 'an agent that verifies the server',
    code: `${RESULT}import https from 'node:https';\nimport axios from 'axios';\nconst agent = new https.Agent({ rejectUnauthorized: true });\nexport async function f(r: Resultat) { await axios.post('https://lis.example.org/oru', { dx: r.diagnostic }, { httpsAgent: agent }); }`,
  },
  {
    name: 'certificate checks off where nothing is sent',
    code: "import https from 'node:https';\nexport const agent = new https.Agent({ rejectUnauthorized: false });",
  },
  {
    name: 'a database with TLS off on the same machine',
    code: "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: 'postgres://lab@localhost:5432/sil?sslmode=disable' });",
    other: { 'schema.sql': 'CREATE TABLE resultats (id INT, valeur TEXT);' },
  },
  {
    name: 'a remote database with TLS off and no health data in the schema',
    code: "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: 'postgres://lab@db.example.net/app?sslmode=disable' });",
    other: { 'schema.sql': 'CREATE TABLE settings (cle TEXT, libelle TEXT);' },
  },
  {
    name: 'a cache (Redis options) with TLS off',
    code: "import Redis from 'ioredis';\nexport const cache = new Redis({ host: 'cache.lab-hosting.example.net', port: 6379, password: 'x', db: 0, tls: false });",
    other: { 'schema.sql': 'CREATE TABLE resultats (id INT, valeur TEXT, interpretation TEXT);' },
  },
  {
    name: 'SMTP through the local relay',
    code: `${RESULT}import nodemailer from 'nodemailer';\nconst mailer = nodemailer.createTransport({ host: 'localhost', port: 25, ignoreTLS: true });\nexport async function f(r: Resultat) { await mailer.sendMail({ to: 'dr@example.org', text: r.diagnostic }); }`,
  },
  {
    name: 'a card check to a gateway over https, from a config module',
    ...cardCheck('https://gateway.insurer.example.vn/api/check'),
  },
  {
    name: 'a card check to a gateway on the same machine, from a config module',
    ...cardCheck('http://localhost:8081/api/check'),
  },
  { name: 'a card check over sftp:// is not HTTP', ...cardCheck('sftp://gateway.insurer.example.vn/in') },
];

describe(RULE, () => {
  it.each(invalid)('reports $name', ({ code, found, severity, channel, other = {}, config = {} }) => {
    const findings = findingsOf(RULE, { 'a.ts': code, ...other }, config).filter((f) => f.file === 'a.ts');
    expect(findings.map((f) => covered(code, f))).toEqual([found]);
    expect(findings[0]!.severity).toBe(severity ?? 'error');
    expect(findings[0]!.data).toMatchObject({ channel });
  });

  it.each(valid)('accepts $name', ({ code, other = {}, config = {} }) => {
    expect(findingsOf(RULE, { 'a.ts': code, ...other }, config).filter((f) => f.file === 'a.ts')).toEqual([]);
  });

  it('reports a card check posted by NestJS HttpService to a plain-HTTP URL of a config module, at the URL read', () => {
    const { code, other } = cardCheck('http://10.40.7.2:1111/api/check');
    const findings = findingsOf(RULE, { 'a.ts': code, ...other });
    expect(findings.map((f) => [f.file, covered(code, f)])).toEqual([['a.ts', 'INSURER.CHECK_URL']]);
    expect(findings[0]!.severity).toBe('warning');
    expect(findings[0]!.message).toContain('national health identifier (`maThe: q.cardNo`)');
  });

  it('follows certificate checks turned off in a config module to the FTP client that uses them', () => {
    const files = recordsFtp('{ rejectUnauthorized: false }');
    const findings = findingsOf(RULE, files);
    expect(findings.map((f) => [f.file, covered(files[f.file as keyof typeof files], f)])).toEqual([
      ['docs-ftp.config.ts', 'rejectUnauthorized: false'],
    ]);
    expect(findings[0]!.data).toMatchObject({ channel: 'tls-off' });
    expect(findings[0]!.message).toContain('what `MedicalRecordsService` carries (its name says medical record');
    expect(findings[0]!.related!.map((r) => [r.file, r.message])).toEqual([
      ['records.service.ts', 'the channel is used here (this.ftp.fetch)'],
      ['ftp.helper.ts', 'the channel is used here (client.downloadTo)'],
    ]);
  });

  it('accepts certificate checks off in a config module when nothing names health data, the option is not read, or checks are on', () => {
    expect(findingsOf(RULE, recordsFtp('{ rejectUnauthorized: false }', 'WeatherFeedService'))).toEqual([]);
    expect(findingsOf(RULE, recordsFtp('{ rejectUnauthorized: false }', 'MedicalRecordsService', 'HOST'))).toEqual([]);
    expect(findingsOf(RULE, recordsFtp('{ rejectUnauthorized: true }'))).toEqual([]);
  });

  it('names the channel and the data, and points at what is sent', () => {
    const code = `${RESULT}import axios from 'axios';\nexport async function f(r: Resultat) { await axios.post('http://lis.partner-lab.example.org/oru', { valeur: r.valeur }); }`;
    const [f] = findingsOf(RULE, { 'a.ts': code });
    expect(f!.message).toMatch(
      /^Health data goes over plain HTTP \(http:\/\/\) to lis\.partner-lab\.example\.org: lab result \(`r\.valeur`\)\./,
    );
    expect(f!.related!.map((r) => [r.message, code.slice(r.range.start, r.range.end)])).toEqual([
      ['sent here (axios.post)', 'r.valeur'],
    ]);
  });

  it('fixes the scheme, the verification and the TLS options in place, into code that parses', () => {
    const parses = (text: string) =>
      (ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest, true) as unknown as { parseDiagnostics: unknown[] })
        .parseDiagnostics.length === 0;
    for (const { code, fixed } of [
      { code: invalid[0]!.code, fixed: "axios.post('https://lis.partner-lab.example.org/oru'" },
      {
        code: invalid.find((c) => c.name.startsWith('an agent'))!.code,
        fixed: 'new https.Agent({ rejectUnauthorized: true })',
      },
      { code: invalid.find((c) => c.channel === 'smtp')!.code, fixed: 'ignoreTLS: false' },
    ]) {
      const [f] = findingsOf(RULE, { 'a.ts': code });
      expect(f!.fixes!.at(-1)!.title).toBe(`Suppress ${RULE} on this line (with a justification)`);
      const text = applyEdits(code, f!.fixes![0]!.edits).text;
      expect(text).toContain(fixed);
      expect(parses(text)).toBe(true);
      expect(findingsOf(RULE, { 'a.ts': text })).toEqual([]);
    }
  });
});
