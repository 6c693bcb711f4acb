import type { EngineConfig } from '../config.js';
import type { Detector } from '../detector.js';
import type { RuleMeta } from '../pack.js';
import { fieldRule } from './field-rule.js';
import { routeRule } from './route-rule.js';
import { sinkRule } from './sink-rule.js';
import { sqlRule } from './sql-rule.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

/** Builds a detector for a team rule from its data, or undefined for a kind this engine does not know. */
type Builder = (rule: RuleMeta) => Detector | undefined;

const BUILDERS: Record<string, Builder> = { field: fieldRule, sink: sinkRule, sql: sqlRule, route: routeRule };

const TEAM_DETECTORS = knowledgePart('team-rule-detectors', (config): Detector[] =>
  Object.values(config.pack.rules).flatMap((rule) => {
    const build = rule.kind ? BUILDERS[rule.kind] : undefined;
    const detector = build?.(rule);
    return detector ? [detector] : [];
  }),
);

/** The detectors of the team rules in the configuration (`kind` + `match`, no code from the workspace). */
export function customRuleDetectors(config: EngineConfig): Detector[] {
  return knowledgeOf(config).get(TEAM_DETECTORS);
}
