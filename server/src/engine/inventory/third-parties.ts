import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { thirdPartySinkOf, type ThirdPartySink } from '../sinks/third-party.js';
import { classifierFor, type Category } from '../vocabulary/classify.js';
import { contextFor, sortCategories, type Ids, type InventoryInput } from './context.js';
import { sentLinks, type ExportRecord } from './exports.js';
import type { Finding } from '../types.js';
import type { ThirdPartyEntry, ThirdPartyFlow } from './model.js';

const RULE = 'health-data-to-third-party';

/**
 * External hosts and SDKs that receive personal data: the calls the third-party rule recognises
 * (health data from its findings, other personal data from the names in the payload) and the
 * exports whose destination is another host.
 */
export function thirdPartiesOf(
  input: InventoryInput,
  findings: readonly Finding[],
  exports: readonly ExportRecord[],
  ids: Ids,
): ThirdPartyEntry[] {
  const byName = new Map<string, { kind: ThirdPartyEntry['kind']; flows: ThirdPartyFlow[] }>();
  const add = (name: string, kind: ThirdPartyEntry['kind'], flow: ThirdPartyFlow) => {
    const entry = byName.get(name) ?? { kind, flows: [] };
    entry.flows.push(flow);
    byName.set(name, entry);
  };
  const health = findings.filter((f) => f.ruleId === RULE);
  for (const path of input.project.analysedPaths().sort()) {
    const view = input.project.file(path);
    const ctx = view?.ts ? contextFor(input, path, RULE) : undefined;
    if (!view?.ts || !ctx) continue;
    const mine = health.filter((f) => f.file === path);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const sink = thirdPartySinkOf(node, ctx);
        const target = sink && targetOf(sink);
        if (sink && target) {
          const reported = mine.filter((f) => f.range.start >= node.getStart(view.ts) && f.range.end <= node.end);
          const categories = sortCategories(
            [...reported.map((f) => f.data?.['category'] as Category), ...payloadCategories(sink, ctx)].filter(Boolean),
          );
          if (categories.length > 0) {
            const accepted = reported.find((f) => f.suppressed)?.suppressed;
            const links = sentLinks(findings, path, node.getStart(view.ts));
            add(target.name, target.kind, {
              via: sink.label,
              categories,
              health: reported.length > 0,
              ...(accepted && reported.every((f) => f.suppressed)
                ? { accepted: accepted.justification ?? 'suppressed' }
                : {}),
              location: input.locate(path, node.getStart(view.ts)),
              ...(links.length > 0 ? { findings: links } : {}),
            });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(view.ts);
  }
  for (const record of exports) {
    const { destination, categories } = record.entry;
    if (destination.kind !== 'host' || !destination.target || categories.length === 0) continue;
    const name = destination.target;
    // The same call may already be listed as an HTTP flow: add the export's columns to it.
    const existing = byName.get(name)?.flows.find((f) => f.location.file === record.file && f.via === destination.via);
    const special = record.entry.personalColumns.some((c) => c.special);
    if (existing) {
      existing.categories = sortCategories([...existing.categories, ...categories]);
      existing.health ||= special;
      continue;
    }
    add(name, name.startsWith('$') ? 'host-variable' : 'host', {
      via: `export ${record.entry.job} (${destination.via})`,
      categories,
      health: special,
      location: record.entry.location,
    });
  }
  return [...byName]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { kind, flows }]) => ({
      id: ids.next('third-party', name),
      name,
      kind,
      categories: sortCategories(flows.flatMap((f) => f.categories)),
      health: flows.some((f) => f.health),
      flows,
    }));
}

/** Who receives it; internal hosts, relative URLs and unknown targets are not third parties. */
function targetOf(sink: ThirdPartySink): { name: string; kind: ThirdPartyEntry['kind'] } | undefined {
  if (sink.kind === 'sdk') return sink.sdk ? { name: sink.sdk, kind: 'sdk' } : undefined;
  const target = sink.target;
  if (!target) return undefined;
  if (target.kind === 'external' && target.host) return { name: target.host, kind: 'host' };
  if (target.kind === 'environment' && target.variable) return { name: `$${target.variable}`, kind: 'host-variable' };
  return undefined;
}

/**
 * Personal (non-special) categories named in the payload: `{ to: phone }` sends contact data.
 * Special categories are left to the rule's findings, which know about encryption and masking.
 */
function payloadCategories(sink: ThirdPartySink, ctx: DetectorContext): Category[] {
  const classifier = classifierFor(ctx.config);
  const out: Category[] = [];
  const check = (name: string) => {
    const c = classifier.classify(name, { kind: 'property' });
    if (c && !c.special) out.push(c.category);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      // The called function's name is not data: `JSON.stringify(x)` sends x.
      node.arguments.forEach(visit);
      return;
    }
    if (ts.isIdentifier(node)) check(node.text);
    else if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteralLike(node.name)))
      check(node.name.text);
    ts.forEachChild(node, visit);
  };
  for (const arg of sink.payload) visit(arg);
  return out;
}
