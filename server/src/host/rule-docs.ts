import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './rulepack.js';

/** The documentation pages `rules/<id>.md` of the given rules (those that have one), for SARIF `help.markdown`. */
export function readRuleDocs(ids: readonly string[], root = packageRoot()): Record<string, string> {
  const docs: Record<string, string> = {};
  for (const id of ids) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) continue;
    try {
      docs[id] = readFileSync(join(root, 'rules', `${id}.md`), 'utf8');
    } catch {
      // built-in rules all have a page (meta-tested); team rules may not
    }
  }
  return docs;
}
