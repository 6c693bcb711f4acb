import { Project, type Detector, type EngineConfig, type Finding } from '../../server/src/engine/index.js';
import { suppressionComment } from '../../server/src/engine/detectors/suppression-comment.js';
import { covered, testConfig } from '../helpers.js';

/** Flags every `TODO` as a select-star-export finding, in every language: the suppressions under test do the rest. */
export const flagTodo: Detector = {
  ruleId: 'select-star-export',
  languages: ['typescript', 'javascript', 'sql', 'prisma'],
  check(ctx) {
    for (const m of ctx.file.text.matchAll(/\bTODO\b/g))
      ctx.report({ range: { start: m.index!, end: m.index! + 4 }, message: 'todo' });
  },
};

export function run(path: string, text: string, extra: Partial<EngineConfig> = {}): Finding[] {
  const config = testConfig({ ...extra, suppressions: { today: '2026-06-01', ...extra.suppressions } });
  const project = new Project(config, { detectors: [flagTodo, suppressionComment], collectors: [] });
  project.setFile({ path, text });
  return project.analyzeFile(path).findings;
}

/** `rule@covered-text` for active findings, `(rule@text)` for suppressed ones. */
export function summary(text: string, findings: Finding[]): string[] {
  return findings.map((f) => (f.suppressed ? `(${f.ruleId}@${covered(text, f)})` : `${f.ruleId}@${covered(text, f)}`));
}
