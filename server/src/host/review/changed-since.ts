import { join, relative } from 'node:path';
import { languageOf, Project, type EngineConfig, type Finding } from '../../engine/index.js';
import { fingerprintFindings } from '../baseline.js';
import { toPosix } from '../discover.js';
import { changesSince, fileAt, type ChangeSet } from '../git.js';
import type { LocatedFinding } from '../located.js';
import { privacyDelta, type PrivacyDelta } from './privacy-delta.js';

interface ChangeReview {
  ref: string;
  base: string;
  mergeBase: boolean;
  /** Findings the change introduces: on lines it touched, or elsewhere but new at head. */
  introduced: LocatedFinding[];
  delta: PrivacyDelta;
}

/**
 * Keeps the findings a change introduces. The project at the change's base is the head project
 * with the changed files put back as they were (`git show base:path`); a head finding is new when
 * its fingerprint does not exist at the base. So a moved line is not new, a new line is, and an
 * unchanged route that lost its authentication because an `app.use` moved is new as well.
 */
export function reviewChange(
  ref: string,
  head: { project: Project; texts: Map<string, string>; base: string },
  located: readonly LocatedFinding[],
  config: EngineConfig,
): ChangeReview {
  const changes = changesSince(ref, head.base);
  const { project: baseProject, texts: baseTexts } = projectAtBase(changes, head, config);
  const candidates = located.filter((f) => !f.suppressed);
  const baseFindings: Finding[] = [];
  for (const file of new Set(candidates.map((f) => f.file))) {
    if (baseTexts.has(file)) baseFindings.push(...baseProject.analyzeFile(file).findings);
  }
  const before = new Set(fingerprintFindings(baseFindings, baseTexts));
  const repoPath = (file: string) => toPosix(relative(changes.repoRoot, join(head.base, file)));
  const introduced = candidates
    .filter((f) => !before.has(f.fingerprint))
    .map((f): LocatedFinding => {
      const change = changes.files.get(repoPath(f.file));
      const touched = change && (change.status === 'added' || change.lines.has(f.line));
      return { ...f, introduced: touched ? 'changed-line' : 'reachable' };
    });
  return {
    ref,
    base: changes.base,
    mergeBase: changes.mergeBase,
    introduced,
    delta: privacyDelta(head.project, baseProject, introduced),
  };
}

function projectAtBase(
  changes: ChangeSet,
  head: { texts: Map<string, string>; base: string },
  config: EngineConfig,
): { project: Project; texts: Map<string, string> } {
  const project = new Project(config);
  const texts = new Map<string, string>();
  const add = (path: string, text: string | undefined) => {
    if (text === undefined) return;
    texts.set(path, text);
    project.setFile({ path, text });
  };
  const toRepo = (file: string) => toPosix(relative(changes.repoRoot, join(head.base, file)));
  for (const [file, text] of head.texts) {
    const change = changes.files.get(toRepo(file));
    if (!change) add(file, text);
    else if (change.status !== 'added') add(file, fileAt(changes.base, change.from, changes.repoRoot));
  }
  // Files the change deleted still shaped the base (an auth middleware, a table definition).
  for (const [repoPath, change] of changes.files) {
    if (change.status !== 'deleted') continue;
    const file = toPosix(relative(head.base, join(changes.repoRoot, repoPath)));
    if (file.startsWith('..') || !languageOf(file) || texts.has(file)) continue;
    add(file, fileAt(changes.base, repoPath, changes.repoRoot));
  }
  return { project, texts };
}
