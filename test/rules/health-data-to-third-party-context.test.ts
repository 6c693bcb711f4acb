import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'health-data-to-third-party';

type Case = { name: string; files: Record<string, string>; main?: string; config?: Record<string, unknown> };

const reported: (Case & { found: string[]; names: string })[] = [
  {
    name: 'a prescription scan uploaded to Cloudinary from a prescriptions route',
    files: {
      'routes/prescriptions.js':
        "const cloudinary = require('cloudinary');\nconst router = require('express').Router();\nrouter.post('/prescriptions/scan', (req, res) => {\n  cloudinary.v2.uploader.upload(req.file.path, { folder: 'uploads' }, () => res.sendStatus(201));\n});\nmodule.exports = router;",
    },
    found: ['req.file.path'],
    names: 'Cloudinary',
  },
  {
    name: 'a report PDF put in an S3 bucket under a key that names it',
    files: {
      'a.ts':
        "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({ region: 'eu-west-3' });\nexport async function store(id: string, pdf: Uint8Array) {\n  await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: `lab-reports/${id}.pdf`, Body: pdf }));\n}",
    },
    found: ['`lab-reports/${id}.pdf`'],
    names: 'AWS S3',
  },
  {
    name: 'a lab result in the prompt of the AI SDK, named by the model provider',
    files: {
      'a.ts':
        "import { generateText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\nexport async function explain(r: { interpretation: string }) {\n  return generateText({ model: openai('gpt-4o-mini'), prompt: `Explain: ${r.interpretation}` });\n}",
    },
    found: ['r.interpretation'],
    names: 'OpenAI',
  },
  {
    name: 'health records a tool of the AI SDK returns to the model',
    files: {
      'a.ts':
        "import { streamText, tool } from 'ai';\nimport { anthropic } from '@ai-sdk/anthropic';\nexport function chat(messages: any[], load: (id: string) => Promise<{ diagnosis: string }>) {\n  return streamText({ model: anthropic('claude-3-5-sonnet'), messages, tools: {\n    record: tool({ description: 'patient record', execute: async ({ id }: { id: string }) => { const chart = await load(id); return { diagnosis: chart.diagnosis }; } }),\n  } });\n}",
    },
    found: [
      "streamText({ model: anthropic('claude-3-5-sonnet'), messages, tools: {\n    record: tool({ description: 'patient record', execute: async ({ id }: { id: string }) => { const chart = await load(id); return { diagnosis: chart.diagnosis",
    ],
    names: 'Anthropic',
  },
  {
    name: 'a diagnosis sent to a Telegram chat',
    files: {
      'a.js':
        "const TelegramBot = require('node-telegram-bot-api');\nconst bot = new TelegramBot(process.env.TOKEN);\nfunction alert(chatId, visit) { bot.sendMessage(chatId, `New diagnosis: ${visit.diagnosis}`); }",
    },
    found: ['visit.diagnosis'],
    names: 'Telegram',
  },
  {
    name: 'a partner host in a frontend variable that names another system',
    files: {
      'a.ts':
        "export async function f(v: { diagnosis: string }) {\n  await fetch(`${process.env.NEXT_PUBLIC_PARTNER_LAB_URL}/orders`, { method: 'POST', body: JSON.stringify(v) });\n}",
    },
    found: ['JSON.stringify(v)'],
    names: 'NEXT_PUBLIC_PARTNER_LAB_URL',
  },
];

const silent: Case[] = [
  // The application's own backend.
  {
    name: 'a same-origin API path',
    files: {
      'a.ts':
        "export async function f(v: { diagnosis: string }) { await fetch('/api/visits', { method: 'POST', body: JSON.stringify(v) }); }",
    },
  },
  {
    name: 'a base URL from NEXT_PUBLIC_API_URL with a localhost default',
    files: {
      'api.js': "export const BASE_URL = process.env.NEXT_PUBLIC_API_URL || 'http://localhost:3000';",
      'visits.js':
        "import { BASE_URL } from './api';\nexport async function create(data) { const r = await fetch(`${BASE_URL}/api/visits`, { method: 'POST', body: JSON.stringify({ diagnosis: data.diagnosis }) }); return r.json(); }",
    },
    main: 'visits.js',
  },
  {
    name: 'a Vite, CRA and Expo API variable',
    files: {
      'a.ts':
        "export async function f(v: { diagnosis: string }) {\n  await fetch(`${import.meta.env.VITE_API_BASE_URL}/visits`, { method: 'POST', body: JSON.stringify(v) });\n  await fetch(`${process.env.REACT_APP_API_URL}/visits`, { method: 'POST', body: JSON.stringify(v) });\n  await fetch(`${process.env.EXPO_PUBLIC_API_URL}/visits`, { method: 'POST', body: JSON.stringify(v) });\n}",
    },
  },
  {
    name: "a config module's setting that names the app's own API",
    files: {
      'config.ts': 'export const config = { apiBaseUrl: process.env.API_BASE_URL };',
      'a.ts':
        "import axios from 'axios';\nimport { config } from './config';\nexport async function f(v: { diagnosis: string }) { await axios.post(`${config.apiBaseUrl}/visits`, { dx: v.diagnosis }); }",
    },
    main: 'a.ts',
  },
  {
    name: 'a route table constant in the URL',
    files: {
      'a.js':
        "const ROUTES = { CLINICAL: '/api/clinical', DIAGNOSES: '/api/diagnoses' };\nexport async function list() { const r = await fetch(`https://partner.example.com${ROUTES.CLINICAL}`); return r.json(); }",
    },
  },
  // Declared processors, local models, storage inside the system.
  {
    name: 'an approved processor',
    files: {
      'a.ts':
        "import axios from 'axios';\nexport async function f(v: { diagnosis: string }) { await axios.post('https://hds.partner.example.fr/v1', { dx: v.diagnosis }); }",
    },
    config: { thirdParty: { approvedProcessors: ['*.partner.example.fr'] } },
  },
  {
    name: 'an internal host the team declares',
    files: {
      'a.ts':
        "import axios from 'axios';\nexport async function f(v: { diagnosis: string }) { await axios.post('https://lis.hospital.example/v1', { dx: v.diagnosis }); }",
    },
    config: { thirdParty: { internalHosts: ['lis.hospital.example'] } },
  },
  {
    name: 'a model served locally through the AI SDK',
    files: {
      'a.ts':
        "import { generateText } from 'ai';\nimport { ollama } from 'ollama-ai-provider';\nexport async function f(r: { interpretation: string }) { return generateText({ model: ollama('llama3'), prompt: r.interpretation }); }",
    },
  },
  {
    name: 'an S3 client made for a storage host inside the cluster',
    files: {
      'a.ts':
        "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({ endpoint: 'http://minio.storage.svc.cluster.local:9000' });\nexport async function store(id: string, pdf: Uint8Array) { await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: `lab-reports/${id}.pdf`, Body: pdf })); }",
    },
  },
  {
    name: 'an upload whose name says nothing about health',
    files: {
      'a.ts':
        "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({ region: 'eu-west-3' });\nexport async function avatar(id: string, png: Uint8Array) { await s3.send(new PutObjectCommand({ Bucket: 'img', Key: `avatars/${id}.png`, Body: png })); }",
    },
  },
  {
    name: 'Mongoose-style `file.save` on something that is not a bucket',
    files: { 'a.js': 'async function keep(file, visit) { file.diagnosis = visit.diagnosis; await file.save(); }' },
  },
];

const mainFile = (c: Case) => c.main ?? Object.keys(c.files)[0]!;

describe(`${RULE}: who receives the data`, () => {
  it.each(reported)('reports $name', (c) => {
    const main = mainFile(c);
    const findings = findingsOf(RULE, c.files, c.config ?? {}).filter((f) => f.file === main);
    expect(findings.map((f) => covered(c.files[main]!, f))).toEqual(c.found);
    expect(findings[0]!.message).toContain(c.names);
  });

  it.each(silent)('is silent on $name', (c) => {
    const main = mainFile(c);
    expect(findingsOf(RULE, c.files, c.config ?? {}).filter((f) => f.file === main)).toEqual([]);
  });

  it('names the host and the data in the message', () => {
    const [f] = findingsOf(RULE, {
      'a.ts':
        "import axios from 'axios';\nexport async function f(v: { diagnosis: string }) { await axios.post('https://api.translate.example.net/v1', { text: v.diagnosis }); }",
    });
    expect(f!.message).toMatch(
      /^Health data is sent to api\.translate\.example\.net: health condition \(`v\.diagnosis`\)/,
    );
  });
});
