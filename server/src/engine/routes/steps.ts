import type ts from 'typescript';
import type { Verdict } from './auth.js';
import type { AuthStep, Place, RouteStatus } from './model.js';
import { nodeRange } from './paths.js';

/** A step as the model keeps it: with the paths its middleware skips. */
export interface ModelStep extends AuthStep {
  unless?: Verdict['unless'];
}

export function stepOf(node: ts.Node, file: string, verdict: Verdict, level: AuthStep['level']): ModelStep {
  return {
    label: labelOf(node),
    verdict: verdict.verdict,
    why: verdict.why,
    level,
    file,
    range: nodeRange(node),
    ...(verdict.unless ? { unless: verdict.unless } : {}),
    ...(verdict.undecided ? { undecided: true } : {}),
  };
}

/** Authenticated when an authenticating step applies to `path`; opted out when every one skips it. */
export function decideStatus(
  steps: ModelStep[],
  path: string,
): { status: RouteStatus; steps: AuthStep[]; optOut?: Place & { label: string } } {
  let optOut: (Place & { label: string }) | undefined;
  let status = 'unauthenticated' as RouteStatus;
  const out: AuthStep[] = steps.map((step) => {
    const { unless, ...plain } = step;
    if (step.verdict !== 'auth') return plain;
    const skip = unless?.matchers.find((m) => m.test(path));
    if (unless && skip) {
      const excluded = { file: unless.file, range: nodeRange(unless.node), label: `unless(${skip.label})` };
      optOut ??= excluded;
      return { ...plain, excluded };
    }
    status = 'authenticated';
    return plain;
  });
  if (status !== 'authenticated' && optOut) status = 'opted-out';
  else if (status === 'unauthenticated' && steps.some((s) => s.undecided)) status = 'unverified';
  return { status, steps: out, optOut: status === 'opted-out' ? optOut : undefined };
}

const labels = new WeakMap<ts.Node, string>();

/** Source text of a middleware, on one line and short (kept per node: a re-parse makes new nodes for what changed). */
export function labelOf(node: ts.Node): string {
  let label = labels.get(node);
  if (label === undefined) {
    const text = node.getText().replace(/\s+/g, ' ');
    label = text.length > 48 ? text.slice(0, 45) + '...' : text;
    labels.set(node, label);
  }
  return label;
}
