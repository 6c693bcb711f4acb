import ts from 'typescript';
import type { Detector, DetectorContext } from '../detector.js';
import { describeEvidence, slotFixes } from '../sinks/fixes.js';
import { healthSlots, type HealthSlot } from '../sinks/payload.js';
import { unwrap } from '../syntax/ast.js';
import { classifierFor } from '../vocabulary/classify.js';
import { sinkRange } from '../sinks/range.js';
import { thirdPartySinkOf, type ThirdPartySink } from '../sinks/third-party.js';
import { callsOf } from '../syntax/node-index.js';
import { inFunctionNeverCalled } from '../names/references.js';
import { careMessageSlots, sendsMessages } from '../sinks/care-message.js';

const RULE = 'health-data-to-third-party';

/**
 * Health data sent outside the system: HTTP clients to a literal external host (a host from
 * the environment is a warning), analytics SDKs, error trackers, email/SMS and AI providers.
 * Internal hosts, relative URLs and the team's approved processors are not reported.
 */
export const healthDataToThirdParty: Detector = {
  ruleId: RULE,
  languages: ['typescript', 'javascript'],
  check(ctx) {
    const source = ctx.file.ts;
    if (!source) return;
    for (const node of callsOf(source)) {
      ctx.tick();
      const sink = thirdPartySinkOf(node, ctx);
      if (sink) checkSink(ctx, sink, node);
    }
  },
};

function checkSink(ctx: DetectorContext, sink: ThirdPartySink, call: ts.Node): void {
  if (sink.kind === 'http' && (!sink.target || sink.target.kind === 'internal' || sink.target.kind === 'unknown'))
    return;
  const slots = sink.payload.flatMap((arg) => healthSlots(arg, ctx));
  if (slots.length === 0 && sink.documentOptions) slots.push(...documentSlots(sink.payload, sink.documentOptions, ctx));
  if (slots.length === 0 && sink.kind === 'sdk' && sendsMessages(sink.sdkKind, ctx))
    slots.push(...careMessageSlots(sink.payload, ctx));
  const first = slots[0];
  if (!first) return;
  // Code that never runs sends nothing (asked last: it reads the project's texts).
  if (inFunctionNeverCalled(call, ctx)) return;
  const more = slots.length > 1 ? ` (and ${slots.length - 1} more value${slots.length > 2 ? 's' : ''})` : '';
  const range = sinkRange(call, first.expr, ctx.file.ts!);
  ctx.report({
    range,
    messageId: sink.kind === 'sdk' ? 'sdk' : sink.target!.kind === 'environment' ? 'host-from-environment' : 'host',
    args: {
      ...(sink.kind === 'sdk'
        ? { sdk: String(sink.sdk), sdkKind: String(sink.sdkKind) }
        : { host: String(sink.target!.host), variable: String(sink.target!.variable) }),
      evidence: describeEvidence(first.evidence),
      more,
    },
    severity: sink.kind === 'http' && sink.target!.kind === 'environment' ? 'warning' : undefined,
    fixes: slotFixes(first, ctx, RULE, range),
    data: {
      ...(sink.kind === 'sdk'
        ? { sdk: sink.sdk, sdkKind: sink.sdkKind }
        : sink.target!.host
          ? { host: sink.target!.host }
          : { hostVariable: sink.target!.variable }),
      category: first.evidence.category,
      ...(first.evidence.path ? { path: first.evidence.path } : {}),
    },
  });
}

/**
 * An upload to object storage or a media host whose name says what the document is: a file path,
 * an object key or a folder (`prescriptions/${id}.jpg`, `{ folder: 'lab-reports' }`) whose words
 * name special-category data. The bytes are the document itself: a prescription scan or a report
 * PDF leaving for the host.
 */
function documentSlots(args: readonly ts.Expression[], options: readonly string[], ctx: DetectorContext): HealthSlot[] {
  const classifier = classifierFor(ctx.config);
  const named: { expr: ts.Expression; text: string; key: string }[] = [];
  const collect = (e: ts.Expression, key: string, depth: number): void => {
    const u = unwrap(e);
    if (ts.isStringLiteralLike(u)) named.push({ expr: e, text: u.text, key });
    else if (ts.isTemplateExpression(u))
      named.push({ expr: e, text: [u.head.text, ...u.templateSpans.map((sp) => sp.literal.text)].join('/'), key });
    else if (ts.isObjectLiteralExpression(u) && depth < 2) {
      for (const p of u.properties) {
        if (!ts.isPropertyAssignment(p)) continue;
        const name = p.name.getText().replace(/['"]/g, '');
        if (options.includes(name) || ts.isObjectLiteralExpression(unwrap(p.initializer)))
          collect(p.initializer, name, depth + 1);
      }
    }
  };
  args.forEach((a, i) => collect(a, i === 0 ? 'file' : 'name', 0));
  for (const { expr, text, key } of named) {
    for (const part of text
      .split(/[/\\]+/)
      .map((x) => x.replace(/\.[a-z0-9]{2,5}$/i, ''))
      .filter((x) => /[a-z]{3}/i.test(x))) {
      const c = classifier.classify(part, { kind: 'collection' });
      if (c?.special)
        return [
          {
            expr,
            keyPath: [],
            inString: false,
            evidence: {
              category: c.category,
              why: `${c.why}: the uploaded document is named ${part} (${key})`,
              path: `${key}: ${part}`,
            },
          },
        ];
    }
  }
  return [];
}
