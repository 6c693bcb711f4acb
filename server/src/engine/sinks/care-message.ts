import ts from 'typescript';
import { knowledgeOf, knowledgePart } from '../knowledge.js';
import type { DetectorContext } from '../detector.js';
import type { HealthSlot } from './payload.js';
import { vocabularyOf } from '../pack.js';
import { accessChain } from '../names/binding.js';
import { localDeclarationOf } from '../names/locals.js';
import { personColumn } from '../tables/subjects.js';
import { propertyName, unwrap } from '../syntax/ast.js';
import { termList, type TermList } from './terms.js';
import { splitWords } from '../vocabulary/words.js';

interface CareMessages {
  kinds: string[];
  bodyOptions: string[];
  events: string[];
}

const LISTS = knowledgePart(
  'care-messages',
  (config): { kinds: Set<string>; bodyOptions: Set<string>; events: TermList } => {
    const data = vocabularyOf<{ careMessages: CareMessages }>(config.pack, 'third-party').careMessages;
    return { kinds: new Set(data.kinds), bodyOptions: new Set(data.bodyOptions), events: termList(data.events) };
  },
);

function vocabulary(ctx: DetectorContext): { kinds: Set<string>; bodyOptions: Set<string>; events: TermList } {
  return knowledgeOf(ctx.config).get(LISTS);
}

/** Whether the SDK kind sends messages to people (SMS, email, a chat): the kinds `careMessages` covers. */
export function sendsMessages(kind: string | undefined, ctx: DetectorContext): boolean {
  return kind !== undefined && vocabulary(ctx).kinds.has(kind);
}

/**
 * A message that tells the provider a named person receives care: its text (a template or a
 * concatenation, written in the call or held in a local) names a person (`${appointment.patientName}`,
 * `${patient.firstName}`, not the doctor) and a care event, in its words or in the values it shows
 * (`Your appointment with Dr ${...}`, `${consultation.date}`). That a person has an appointment at
 * a clinic is data about their health. Data: `rules/vocabulary/third-party.yaml` (`careMessages`).
 */
export function careMessageSlots(payload: readonly ts.Expression[], ctx: DetectorContext): HealthSlot[] {
  for (const text of payload.flatMap((p) => messageTexts(p, p, ctx, 0))) {
    const event = careEvent(text, ctx);
    if (!event) continue;
    const person = text.values.find((e) => namesPerson(e, ctx));
    if (!person) continue;
    const path = `${event} + ${person.getText().slice(0, 40)}`;
    // The value itself when the call shows it; else what the call passes (a local holding the text).
    const expr = text.at.pos <= person.pos && person.end <= text.at.end ? person : text.at;
    return [
      {
        expr,
        keyPath: [],
        inString: true,
        evidence: {
          category: 'treatment',
          why: `a message names a person (${person.getText().slice(0, 40)}) and a care event (${event})`,
          path,
        },
      },
    ];
  }
  return [];
}

interface MessageText {
  words: string;
  values: ts.Expression[];
  /** The expression of the call's arguments that holds the text. */
  at: ts.Expression;
}

/** The texts of a message: templates and concatenations of the payload, of its body options, or held in a local. */
function messageTexts(expr: ts.Expression, at: ts.Expression, ctx: DetectorContext, depth: number): MessageText[] {
  if (depth > 3) return [];
  const e = unwrap(expr);
  if (ts.isTemplateExpression(e))
    return [
      {
        words: [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].join(' '),
        values: e.templateSpans.map((s) => s.expression),
        at,
      },
    ];
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const parts: ts.Expression[] = [];
    const flatten = (x: ts.Expression): void => {
      const u = unwrap(x);
      if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        flatten(u.left);
        flatten(u.right);
      } else parts.push(u);
    };
    flatten(e);
    return [
      {
        words: parts
          .filter(ts.isStringLiteralLike)
          .map((p) => p.text)
          .join(' '),
        values: parts.filter((p) => !ts.isStringLiteralLike(p)),
        at,
      },
    ];
  }
  if (ts.isObjectLiteralExpression(e)) {
    const options = vocabulary(ctx).bodyOptions;
    return e.properties.flatMap((p) => {
      const key = p.name ? propertyName(p.name) : undefined;
      if (!key || !options.has(key)) return [];
      if (ts.isPropertyAssignment(p)) return messageTexts(p.initializer, p.initializer, ctx, depth + 1);
      if (ts.isShorthandPropertyAssignment(p)) return messageTexts(p.name, p.name, ctx, depth + 1);
      return [];
    });
  }
  if (ts.isIdentifier(e)) {
    const d = localDeclarationOf(e);
    if (d && ts.isVariableDeclaration(d) && d.initializer) return messageTexts(d.initializer, at, ctx, depth + 1);
  }
  return [];
}

/** The care event a message is about: a word of its text, or a name in the values it shows. */
function careEvent(text: MessageText, ctx: DetectorContext): string | undefined {
  const events = vocabulary(ctx).events;
  const inText = firstTerm(splitWords(text.words), events);
  if (inText) return inText;
  for (const value of text.values) {
    const found = accessChain(unwrap(value))
      .names.map((n) => firstTerm(splitWords(n), events))
      .find((x) => x !== undefined);
    if (found) return found;
  }
  return undefined;
}

/** The words of the first term of `list` that occur in `words`, as written there. */
function firstTerm(words: readonly string[], list: TermList): string | undefined {
  for (let i = 0; i < words.length; i++) {
    for (const term of list.terms) {
      const n = term.words.length;
      if (i + n > words.length) continue;
      const run = words.slice(i, i + n);
      if (run.every((w, j) => w === term.words[j] || (j === n - 1 && term.prefix && w.startsWith(term.words[j]!))))
        return run.join(' ');
    }
  }
  return undefined;
}

/** A value that names the person the message is about (`patientName`, `patient.firstName`), not a professional (`doctor.fullName`). */
function namesPerson(value: ts.Expression, ctx: DetectorContext): boolean {
  const names = accessChain(unwrap(value)).names.filter((n) => n !== 'this');
  const last = names[names.length - 1];
  if (!last) return false;
  const owner = names[names.length - 2];
  return (
    personColumn(last, ctx.config) ||
    (owner !== undefined && personColumn(`${owner} ${last}`.replace(/\s+/g, '_'), ctx.config))
  );
}
