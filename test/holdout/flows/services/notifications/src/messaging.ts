import sgMail from '@sendgrid/mail';
import formData from 'form-data';
import Mailgun from 'mailgun.js';
import twilio from 'twilio';
import type { LabResult, Patient, PathologyReport } from '@northgate/domain';
import { renderReportHtml } from './render';

sgMail.setApiKey(process.env.SENDGRID_API_KEY!);
const mg = new Mailgun(formData).client({ username: 'api', key: process.env.MAILGUN_KEY!, url: 'https://api.eu.mailgun.net' });
const sms = twilio(process.env.TWILIO_SID, process.env.TWILIO_TOKEN);

const FROM = 'results@northgate-pathology.example';

export async function emailResult(patient: Patient, result: LabResult) {
  // ruleid: health-data-to-third-party
  await sgMail.send({ to: patient.email!, from: FROM, subject: 'Your blood test result', text: `Your ${result.analyteName} is ${result.value} ${result.units} (range ${result.referenceRange}).` });
  // ok: health-data-to-third-party
  await sgMail.send({ to: patient.email!, from: FROM, subject: 'Your results are ready', text: 'Sign in to the Northgate patient portal to see your results.' });
}

export async function emailReportToGp(gpEmail: string, report: PathologyReport) {
  // ruleid: health-data-to-third-party
  await mg.messages.create('mg.northgate-pathology.example', { from: FROM, to: [gpEmail], subject: `Pathology report ${report.id}`, html: renderReportHtml(report) });
}

export async function textResult(patient: Patient, result: LabResult) {
  if (!patient.mobile) return;
  // ruleid: health-data-to-third-party
  await sms.messages.create({ from: '+447700900001', to: patient.mobile, body: `Northgate Pathology: your ${result.analyteName} result is ${result.value}. Your GP will be in touch.` });
  // ok: health-data-to-third-party
  await sms.messages.create({ from: '+447700900001', to: patient.mobile, body: 'Northgate Pathology: your appointment is tomorrow at 09:00, Outpatients B.' });
}
