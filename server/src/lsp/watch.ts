import ignore from 'ignore';
import { languageOf } from '../engine/index.js';
import { DEFAULT_EXCLUDED_DIRS } from '../host/discover.js';
import type { LintWorkspace } from './workspace.js';

/** What the server asks the client to watch: sources changed outside the editor (git checkout...) and team config files. */
export const WATCHED_GLOBS = [
  '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,sql,prisma}',
  '**/.gdpr-lint.{yaml,yml,json}',
  '**/package.json',
  '**/.gdpr-lint/**/*.{yaml,yml}',
];

/** Whether a changed file on disk belongs to the analysis (the same filters as the workspace scan, cheaply). */
export function isWatchedSource(path: string, workspace: LintWorkspace): boolean {
  if (!languageOf(path) || path.startsWith('/')) return false;
  const segments = path.split('/');
  if (segments.slice(0, -1).some((s) => DEFAULT_EXCLUDED_DIRS.has(s))) return false;
  if (workspace.has(path)) return true;
  const folder = workspace.folders.find((f) => f.prefix !== '' && path.startsWith(f.prefix));
  const relative = folder ? path.slice(folder.prefix.length) : path;
  return !ignore().add(workspace.loaded.ignore).ignores(relative);
}
