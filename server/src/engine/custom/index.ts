import type { EngineConfig } from '../config.js';
import type { Detector } from '../detector.js';
import type { RuleMeta } from '../pack.js';
import { fieldRule } from './field-rule.js';
import { routeRule } from './route-rule.js';
import { sinkRule } from './sink-rule.js';
import { sqlRule } from './sql-rule.js';

/** Builds a detector for a team rule from its data, or undefined for a kind this engine does not know. */
type Builder = (rule: RuleMeta) => Detector | undefined;

const BUILDERS: Record<string, Builder> = { field: fieldRule, sink: sinkRule, sql: sqlRule, route: routeRule };

const built = new WeakMap<EngineConfig, Detector[]>();

/** The detectors of the team rules in the configuration (`kind` + `match`, no code from the workspace). */
export function customRuleDetectors(config: EngineConfig): Detector[] {
  let detectors = built.get(config);
  if (!detectors) {
    detectors = Object.values(config.pack.rules).flatMap((rule) => {
      const build = rule.kind ? BUILDERS[rule.kind] : undefined;
      const detector = build?.(rule);
      return detector ? [detector] : [];
    });
    built.set(config, detectors);
  }
  return detectors;
}
