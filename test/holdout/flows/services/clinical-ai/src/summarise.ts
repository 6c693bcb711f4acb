import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import type { ClinicalNote, PathologyReport } from '@northgate/domain';

const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });
// Self-hosted model inside the trust network
const localLlm = new OpenAI({ baseURL: 'http://llm-gateway.ai.svc.cluster.local:8000/v1', apiKey: 'unused' });

export async function summariseNotes(notes: ClinicalNote[]): Promise<string> {
  // ruleid: health-data-to-third-party
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You summarise clinical notes for a discharge letter.' },
      { role: 'user', content: notes.map((n) => n.text).join('\n---\n') },
    ],
  });
  return completion.choices[0].message.content ?? '';
}

export async function explainReport(report: PathologyReport): Promise<string> {
  // ruleid: health-data-to-third-party
  const msg = await anthropic.messages.create({
    model: 'claude-3-5-sonnet-latest',
    max_tokens: 800,
    messages: [{ role: 'user', content: `Explain this pathology report in plain English: ${report.conclusion}` }],
  });
  return msg.content.map((c) => ('text' in c ? c.text : '')).join('');
}

export async function draftReminderTemplate(): Promise<string> {
  // ok: health-data-to-third-party
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Write a short friendly reminder to book a routine blood test.' }],
  });
  return completion.choices[0].message.content ?? '';
}

export async function summariseLocally(notes: ClinicalNote[]): Promise<string> {
  // ok: health-data-to-third-party
  const completion = await localLlm.chat.completions.create({ model: 'llama-3.1-8b', messages: [{ role: 'user', content: notes.map((n) => n.text).join('\n') }] });
  return completion.choices[0].message.content ?? '';
}
