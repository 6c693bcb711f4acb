import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

const RULE = 'select-star-export';

/**
 * Plain-JS Express + Mongoose shapes (issue 17, "select-star-export in context"): a whole-record
 * read is reported only when its rows, or a whole record, reach the sink; a count, a flag, a total
 * or one field is not the rows; a catalogue a record points at is not personal; one patient's rows
 * read for that patient's screen are not a bulk list.
 */
const MODELS = `const mongoose = require('mongoose');
const { Schema } = mongoose;
const Ward = mongoose.model('Ward', new Schema({ label: String, price: Number, isActive: Boolean }));
const Tariff = mongoose.model('TariffKind', new Schema({ label: String, amount: Number }));
const Kit = mongoose.model('Kit', new Schema({ name: String, dosage: String, sellingPrice: Number, stockLevel: Number }));
const HealthFile = mongoose.model('HealthFile', new Schema({ allergies: String, bloodGroup: String }));
const Visit = mongoose.model('Visit', new Schema({ diagnosis: String, seenAt: Date }));
const Client = mongoose.model('Client', new Schema({
  firstName: String,
  lastName: String,
  ward: { type: Schema.Types.ObjectId, ref: 'Ward' },
  tariff: { type: Schema.Types.ObjectId, ref: 'TariffKind' },
  kit: { type: Schema.Types.ObjectId, ref: 'Kit' },
  healthFile: { type: Schema.Types.ObjectId, ref: 'HealthFile' },
  visits: [{ type: Schema.Types.ObjectId, ref: 'Visit' }],
  allergies: String,
}));
const Invoice = mongoose.model('Invoice', new Schema({ client: { type: Schema.Types.ObjectId, ref: 'Client' }, amount: Number, diagnosis: String, status: String }));
module.exports = { Ward, Tariff, Kit, HealthFile, Visit, Client, Invoice };
`;

/** The texts the rule underlines in `path`, in order, with where the message says the rows go. */
function flagged(code: string, path = 'routes/app.js'): string[] {
  const files = { 'models/index.js': MODELS, [path]: code };
  return findingsOf(RULE, files)
    .filter((f) => f.file === path)
    .sort((a, b) => a.range.start - b.range.start)
    .map((f) => `${covered(code, f)} ${/ (to (?:a|the) [^:]*?)(?:: select only)/.exec(f.message)?.[1] ?? f.message}`);
}

const HEAD = `const express = require('express');
const { Ward, Tariff, Kit, HealthFile, Visit, Client, Invoice } = require('../models');
const router = express.Router();
`;

describe(`${RULE}: the sink must be fed by the rows`, () => {
  it.each([
    {
      name: 'a found / not-found flag printed after a lookup is silent; the record printed whole is reported',
      code: `async function lookup(id) {
  const client = await Client.findOne({ code: id });
  console.log(\`lookup: \${client ? 'hit' : 'miss'}\`);
  return 1;
}
async function dumpOne(id) {
  const client = await Client.findOne({ code: id });
  console.log('client record', client);
}`,
      expected: ['findOne to a log (console.log)'],
    },
    {
      name: 'one field of the record, a guard with &&, a comparison: silent; a fallback with || carries the record',
      code: `async function greet(id) {
  const client = await Client.findOne({ code: id });
  console.log('hello ' + client.firstName);
  const tag = client && { ref: client._id };
  console.log('tag', tag, client !== null);
}
async function either(id, cached) {
  const client = await Client.findOne({ code: id });
  const shown = cached || client;
  console.log('shown', shown);
}`,
      expected: ['findOne to a log (console.log)'],
    },
    {
      name: 'the size of an array the rows were pushed into is a count: silent; the array itself is reported',
      code: `async function tally() {
  const all = await Client.find({ status: 'waiting' });
  const kept = [];
  for (const c of all) kept.push(c);
  console.log(\`kept \${kept.length}\`);
}
async function keepAll() {
  const all = await Client.find({ status: 'waiting' });
  const kept = [];
  for (const c of all) kept.push(c);
  console.log('kept', kept);
}`,
      expected: ['find to a log (console.log)'],
    },
    {
      name: 'the key of a group printed next to its size is silent; the group itself is reported',
      code: `async function dupes() {
  const rows = await Client.find({ lastName: /^A/ });
  const byName = {};
  rows.forEach((r) => {
    const k = r.lastName.toUpperCase();
    if (!byName[k]) byName[k] = [];
    byName[k].push(r);
  });
  for (const [key, group] of Object.entries(byName)) {
    if (group.length > 1) console.log(\`\${group.length} share \${key}\`);
  }
}
async function dupesShown() {
  const rows = await Client.find({ lastName: /^B/ });
  const byName = {};
  rows.forEach((r) => {
    const k = r.lastName.toUpperCase();
    if (!byName[k]) byName[k] = [];
    byName[k].push(r);
  });
  for (const [key, group] of Object.entries(byName)) console.log(key, group);
}`,
      expected: ['find to a log (console.log)'],
    },
    {
      name: 'a helper of the file that reads only fields of the record it is given does not pass the record on',
      code: `function canSee(person, what) {
  return person.role === 'admin' || what === 'menu';
}
function menuFor(person) {
  return canSee(person, 'dashboard') ? [{ text: 'Dashboard' }] : [];
}
function card(person) {
  return { who: person };
}
async function reply(bot, chatId) {
  const person = await Client.findOne({ chatId });
  bot.sendMessage(chatId, 'Menu', { reply_markup: menuFor(person) });
}
async function replyCard(bot, chatId) {
  const person = await Client.findOne({ chatId });
  bot.sendMessage(chatId, 'Card', card(person));
}`,
      expected: ['findOne to a message queue (bot.sendMessage)'],
    },
  ])('$name', ({ code, expected }) => {
    expect(flagged(code, 'jobs/work.js').map((s) => s.replace(/^(\w+)\(\) /, '$1 '))).toEqual(expected);
  });
});

describe(`${RULE}: rows reduced to an aggregate are not every row`, () => {
  it('a total, counts and a filtered count sent to the client are silent; a reduce that groups whole rows is reported', () => {
    const code = `${HEAD}
router.get('/invoices/total', async (req, res) => {
  const invoices = await Invoice.find();
  const total = invoices.reduce((sum, inv) => sum + (inv.amount || 0), 0);
  const open = invoices.filter((inv) => inv.status === 'open').length;
  res.json({ total, open, count: invoices.length });
});
router.get('/invoices/by-status', async (req, res) => {
  const invoices = await Invoice.find();
  const grouped = invoices.reduce((acc, inv) => { (acc[inv.status] ||= []).push(inv); return acc; }, {});
  res.json(grouped);
});
module.exports = router;
`;
    expect(flagged(code)).toEqual(['find to the client (res.json, GET /invoices/by-status), every row']);
  });
});

describe(`${RULE}: a catalogue a record points at is not personal`, () => {
  it('a list of catalogue rows (a name, a price, a stock level) is silent; a document a person holds is reported', () => {
    const code = `${HEAD}
router.get('/wards', async (req, res) => res.json(await Ward.find()));
router.get('/tariffs', async (req, res) => res.json(await Tariff.find()));
router.get('/kits', async (req, res) => res.json(await Kit.find()));
router.get('/health-files', async (req, res) => res.json(await HealthFile.find()));
router.get('/visits', async (req, res) => res.json(await Visit.find()));
module.exports = router;
`;
    expect(flagged(code)).toEqual([
      'find to the client (res.json, GET /health-files), every row',
      'find to the client (res.json, GET /visits), every row',
    ]);
  });
});

describe(`${RULE}: one person's rows for a screen are not a bulk list`, () => {
  it('rows filtered on the person they are about are silent, through a condition array too; a filter on a status is every row', () => {
    const code = `${HEAD}
router.get('/clients/:id/invoices', async (req, res) => {
  const invoices = await Invoice.find({ client: req.params.id }).sort({ amount: -1 });
  res.json(invoices);
});
router.get('/clients/:id/invoices-any', async (req, res) => {
  const conditions = [];
  conditions.push({ client: req.params.id });
  conditions.push({ status: 'legacy' });
  const invoices = await Invoice.find({ $or: conditions });
  res.json(invoices);
});
router.get('/invoices/open', async (req, res) => {
  const invoices = await Invoice.find({ status: 'open' });
  res.json(invoices);
});
module.exports = router;
`;
    expect(flagged(code)).toEqual(['find to the client (res.json, GET /invoices/open), every row']);
  });
});
