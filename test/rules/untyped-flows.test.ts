import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

/**
 * Plain JavaScript health apps (Mongoose, Sequelize, untyped payloads): what a value carries comes
 * from the model it was read from or from how the function uses it, for logs, third parties and
 * storage alike.
 */
const consultationModel = {
  'models/consultation.js': [
    "const mongoose = require('mongoose');",
    'const ConsultationSchema = new mongoose.Schema({',
    "  patient: { type: mongoose.Schema.Types.ObjectId, ref: 'Patient' },",
    '  symptoms: String,',
    '  prescribedDrugs: [String],',
    '  seenAt: Date,',
    '});',
    "module.exports = mongoose.model('Consultation', ConsultationSchema);",
  ].join('\n'),
};
const visitModel = {
  'models/visit.js':
    "module.exports = (sequelize, DataTypes) => sequelize.define('Visit', { diagnosis: DataTypes.TEXT, ward: DataTypes.STRING });",
};
const appointmentSchema = {
  'prisma/schema.prisma': 'model Appointment {\n  id Int @id\n  patientName String\n  reason String?\n}',
};

const reported: { name: string; rule: string; files: Record<string, string>; found: string[] }[] = [
  {
    name: 'documents of a Mongoose query chain (populate, sort) logged whole',
    rule: 'health-data-in-logs',
    files: {
      ...consultationModel,
      'routes/consultations.js':
        "const Consultation = require('../models/consultation');\nexports.list = async (req, res) => {\n  const found = await Consultation.find({ patient: req.params.id }).populate('patient').sort({ seenAt: -1 });\n  console.log(found);\n  res.json(found);\n};",
    },
    found: ['found'],
  },
  {
    name: 'the documents a Node-style callback receives',
    rule: 'health-data-in-logs',
    files: {
      ...consultationModel,
      'routes/consultations.js':
        "const Consultation = require('../models/consultation');\nexports.list = (req, res) => {\n  Consultation.find({ patient: req.user.id }, (err, docs) => { console.log('loaded', docs); res.json(docs); });\n};",
    },
    found: ['docs'],
  },
  {
    name: 'the documents a promise resolves to',
    rule: 'health-data-in-logs',
    files: {
      ...consultationModel,
      'routes/consultations.js':
        "const Consultation = require('../models/consultation');\nexports.list = (req, res) => Consultation.findById(req.params.id).lean().then((doc) => { console.info(doc); return res.json(doc); });",
    },
    found: ['doc'],
  },
  {
    name: 'a Sequelize record reached through the models index',
    rule: 'health-data-in-logs',
    files: {
      ...visitModel,
      'routes/visits.js':
        "const db = require('../models');\nasync function show(req, res) { const visit = await db.Visit.findOne({ where: { id: req.params.id } }); console.log('visit', visit.toJSON()); }",
    },
    found: ['visit.toJSON()'],
  },
  {
    name: 'an untyped payload whose health field the function reads later',
    rule: 'health-data-in-logs',
    files: {
      'intake.js':
        "async function intake(payload) {\n  logger.info('intake received', payload);\n  const symptoms = payload.symptoms;\n  return triage(symptoms);\n}",
    },
    found: ['payload'],
  },
  {
    name: 'an `any` body whose field is written to a model field that is health data',
    rule: 'health-data-in-logs',
    files: {
      ...appointmentSchema,
      'booking.ts':
        "export async function book(data: any) {\n  console.log('booking', data);\n  return prisma.appointment.create({ data: { patientName: data.name, reason: data.why || 'website' } });\n}",
    },
    found: ['data'],
  },
  {
    name: 'a controller body handed to a service method that reads its health field',
    rule: 'health-data-in-logs',
    files: {
      'booking.ts':
        "class BookingService {\n  save(input: any) { return store.put({ symptoms: input.symptoms }); }\n}\nexport class BookingController {\n  constructor(private readonly bookings: BookingService) {}\n  create(body: any) {\n    console.log('received', body);\n    return this.bookings.save(body);\n  }\n}",
    },
    found: ['body'],
  },
  {
    name: 'Mongoose documents posted to a partner API',
    rule: 'health-data-to-third-party',
    files: {
      ...consultationModel,
      'sync.js':
        "const axios = require('axios');\nconst Consultation = require('./models/consultation');\nexports.push = async () => { const all = await Consultation.find().populate('patient'); await axios.post('https://partner.example.com/consultations', all); };",
    },
    found: ['all'],
  },
  {
    name: 'Mongoose documents written to a file',
    rule: 'plaintext-health-data',
    files: {
      ...consultationModel,
      'dump.js':
        "const fs = require('fs');\nconst Consultation = require('./models/consultation');\nexports.dump = (cb) => Consultation.find({}, (err, rows) => fs.writeFile('/tmp/consultations.json', JSON.stringify(rows), cb));",
    },
    found: ['JSON.stringify(rows)'],
  },
];

const silent: { name: string; rule: string; files: Record<string, string> }[] = [
  {
    name: 'a Mongoose query narrowed by select to fields that are not health data',
    rule: 'health-data-in-logs',
    files: {
      ...consultationModel,
      'routes/consultations.js':
        "const Consultation = require('../models/consultation');\nexports.times = async () => { const slots = await Consultation.find().select('seenAt patient'); console.log(slots); };",
    },
  },
  {
    name: 'an untyped payload whose function reads only ids and dates',
    rule: 'health-data-in-logs',
    files: {
      'a.js':
        "async function reschedule(payload) {\n  console.log('reschedule', payload);\n  return move(payload.appointmentId, payload.newDate);\n}",
    },
  },
  {
    name: 'an `any` body whose field is written to a model field that is not health data',
    rule: 'health-data-in-logs',
    files: {
      ...appointmentSchema,
      'booking.ts':
        "export async function rename(data: any) {\n  console.log('rename', data);\n  return prisma.appointment.update({ where: { id: data.id }, data: { patientName: data.name } });\n}",
    },
  },
  {
    name: 'a typed parameter: its type decides, not how it is used',
    rule: 'health-data-in-logs',
    files: {
      'a.ts':
        'interface Ping { at: number; symptoms?: never }\nexport function f(p: Ping) { console.log(p); return p.at; }',
    },
  },
];

/** The file the expected findings are in: the one that is not a model or a schema. */
const mainFile = (files: Record<string, string>) =>
  Object.keys(files).find((f) => !f.startsWith('models/') && !f.startsWith('prisma/'))!;

describe('untyped JavaScript flows (Mongoose, Sequelize, untyped payloads)', () => {
  it.each(reported)('$rule reports $name', ({ rule, files, found }) => {
    const main = mainFile(files);
    const findings = findingsOf(rule, files).filter((f) => f.file === main);
    expect(findings.map((f) => covered(files[main]!, f))).toEqual(found);
  });

  it.each(silent)('$rule is silent on $name', ({ rule, files }) => {
    const main = mainFile(files);
    expect(findingsOf(rule, files).filter((f) => f.file === main)).toEqual([]);
  });

  it('names the field that was read and where it goes', () => {
    const files = {
      ...appointmentSchema,
      'booking.ts':
        "export async function book(data: any) {\n  console.log('booking', data);\n  return prisma.appointment.create({ data: { reason: data.why } });\n}",
    };
    const [f] = findingsOf('health-data-in-logs', files).filter((x) => x.file === 'booking.ts');
    expect(f!.message).toContain('`data.why`');
  });
});
