import ts from 'typescript';
import type { Detector, DetectorContext } from '../detector.js';
import { describeEvidence, slotFixes } from '../sinks/fixes.js';
import { healthSlots } from '../sinks/payload.js';
import { sinkRange } from '../sinks/range.js';
import { thirdPartySinkOf, type ThirdPartySink } from '../sinks/third-party.js';
import { callsOf } from '../syntax-index.js';

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
  if (sink.kind === 'http' && (!sink.target || sink.target.kind === 'internal' || sink.target.kind === 'unknown')) return;
  const slots = sink.payload.flatMap((arg) => healthSlots(arg, ctx));
  const first = slots[0];
  if (!first) return;
  const target = sink.kind === 'sdk'
    ? `${sink.sdk} (${sink.sdkKind})`
    : sink.target!.kind === 'environment'
      ? `a host from the environment (${sink.target!.variable}), which may be outside the system`
      : sink.target!.host!;
  const more = slots.length > 1 ? ` (and ${slots.length - 1} more value${slots.length > 2 ? 's' : ''})` : '';
  const range = sinkRange(call, first.expr, ctx.file.ts!);
  ctx.report({
    range,
    message: `Health data is sent to ${target}: ${describeEvidence(first.evidence)}${more}. A third party needs an Art. 28 contract (and HDS hosting, no transfer outside the EU without safeguards); send an id or an aggregate instead.`,
    severity: sink.kind === 'http' && sink.target!.kind === 'environment' ? 'warning' : undefined,
    fixes: slotFixes(first, ctx, RULE, range),
    data: {
      ...(sink.kind === 'sdk' ? { sdk: sink.sdk, sdkKind: sink.sdkKind } : sink.target!.host ? { host: sink.target!.host } : { hostVariable: sink.target!.variable }),
      category: first.evidence.category,
      ...(first.evidence.path ? { path: first.evidence.path } : {}),
    },
  });
}
