import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Project,
  type EngineConfig,
  type Finding,
  type RulePack,
  type SourceInput,
} from '../server/src/engine/index.js';
import { loadRulePack } from '../server/src/host/rulepack.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The smoke test: a copy of the team's labelled corpus (`../shared/corpus/lab-dev`) and its scorer. */
export const SMOKE_CORPUS = join(REPO_ROOT, 'test', 'smoke', 'lab-dev');
export const SCORER = join(REPO_ROOT, 'test', 'smoke', 'score.mjs');
export const CLI = join(REPO_ROOT, 'server', 'bin', 'gdpr-lint.js');

let pack: RulePack | undefined;
export function testPack(): RulePack {
  return (pack ??= loadRulePack(REPO_ROOT));
}

export function testConfig(extra: Partial<EngineConfig> = {}): EngineConfig {
  return { pack: testPack(), ...extra };
}

/** Analyses in-memory files with only `rule` enabled; returns that rule's findings. */
export function findingsOf(
  rule: string,
  files: SourceInput[] | Record<string, string>,
  extra: Partial<EngineConfig> = {},
): Finding[] {
  const inputs = Array.isArray(files) ? files : Object.entries(files).map(([path, text]) => ({ path, text }));
  const project = new Project(testConfig({ only: [rule], ...extra }));
  for (const f of inputs) project.setFile(f);
  return project.analyzeAll().findings.filter((f) => f.ruleId === rule);
}

/** The text a finding covers. */
export function covered(text: string, f: Finding): string {
  return text.slice(f.range.start, f.range.end);
}
