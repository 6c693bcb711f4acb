import { describe, expect, it } from 'vitest';
import { covered, findingsOf } from '../helpers.js';

// Messages that tell a provider a named person receives care, and code that never runs. Each silent case differs from a reported one by one thing.

const RULE = 'health-data-to-third-party';
const APP = '{ "name": "clinic-app", "private": true }';

type Case = { name: string; files: Record<string, string>; main: string };

const whatsapp = (body: string) =>
  [
    "import { Twilio } from 'twilio';",
    'export async function confirm(booking: any) {',
    '  const client = new Twilio(process.env.SID, process.env.TOKEN);',
    '  await client.messages.create({',
    `    body: ${body},`,
    "    from: 'whatsapp:+10000000000',",
    '    to: `whatsapp:${booking.phone}`,',
    '  });',
    '}',
  ].join('\n');

const reported: (Case & { found: string[]; names: string })[] = [
  {
    name: 'a WhatsApp confirmation naming the patient, the doctor and the time of the appointment',
    files: {
      'a.ts': whatsapp(
        '`Dear ${booking.patientName}, your appointment with ${booking.doctor.fullName} is on ${booking.date}`',
      ),
    },
    main: 'a.ts',
    // A call over several lines: the finding starts at the call, on the statement's line.
    found: ['client.messages.create({\n    body: `Dear ${booking.patientName'],
    names: 'Twilio',
  },
  {
    name: 'an e-mail whose text, held in a local, names the patient and a consultation',
    files: {
      'a.js':
        "const nodemailer = require('nodemailer');\nconst transporter = nodemailer.createTransport({ service: 'gmail' });\nasync function remind(patient, slot) {\n  const text = 'Hello ' + patient.firstName + ', your consultation is confirmed for ' + slot;\n  await transporter.sendMail({ to: patient.email, subject: 'Reminder', text });\n}\nmodule.exports = { remind };",
    },
    main: 'a.js',
    found: ['text'],
    names: 'nodemailer',
  },
  {
    name: 'a care event named by the values the message shows (a visit record)',
    files: {
      'a.ts':
        "import { Twilio } from 'twilio';\nconst client = new Twilio('x', 'y');\nexport function notify(patient: { fullName: string }, visit: { date: string }) { return client.messages.create({ body: `${patient.fullName}: ${visit.date}`, to: '+1' }); }",
    },
    main: 'a.ts',
    found: ['patient.fullName'],
    names: 'Twilio',
  },
];

const silent: Case[] = [
  {
    name: 'a login code sent to a named user (no care event)',
    files: { 'a.ts': whatsapp('`Hello ${booking.patientName}, your login code is ${booking.code}`') },
    main: 'a.ts',
  },
  {
    name: 'an appointment reminder that names nobody (only the clinic and the time)',
    files: { 'a.ts': whatsapp('`Your appointment at ${booking.clinic.name} is on ${booking.date}`') },
    main: 'a.ts',
  },
  {
    name: 'an appointment message naming only the doctor',
    files: { 'a.ts': whatsapp('`Dr ${booking.doctor.fullName} confirmed your appointment`') },
    main: 'a.ts',
  },
  {
    name: 'a care message to a provider the team approved',
    files: {
      'a.ts':
        "import axios from 'axios';\nexport async function f(v: { diagnosis: string }) { await axios.post('https://hds.partner.example.fr/v1', { note: v.diagnosis }); }",
    },
    main: 'a.ts',
  },
  {
    name: 'a function of an application that nothing calls, sending a diagnosis to Telegram',
    files: {
      'package.json': APP,
      'src/alert.js':
        "const TelegramBot = require('node-telegram-bot-api');\nconst bot = new TelegramBot(process.env.TOKEN);\nfunction oldAlert(chatId, visit) { bot.sendMessage(chatId, `New diagnosis: ${visit.diagnosis}`); }\nmodule.exports = {};",
    },
    main: 'src/alert.js',
  },
];

describe(`${RULE}: care messages and code that never runs`, () => {
  it.each(reported)('reports $name', (c) => {
    const findings = findingsOf(RULE, c.files).filter((f) => f.file === c.main);
    expect(findings.map((f) => covered(c.files[c.main]!, f))).toEqual(c.found);
    expect(findings[0]!.message).toContain(c.names);
  });

  it.each(silent)('is silent on $name', (c) => {
    const config = c.name.includes('approved') ? { thirdParty: { approvedProcessors: ['*.partner.example.fr'] } } : {};
    expect(findingsOf(RULE, c.files, config).filter((f) => f.file === c.main)).toEqual([]);
  });

  it('names the person and the care event in the message', () => {
    const [f] = findingsOf(RULE, {
      'a.ts': whatsapp('`Dear ${booking.patientName}, your appointment is on ${booking.date}`'),
    });
    expect(f!.message).toContain('treatment (`appointment + booking.patientName`)');
  });
});
