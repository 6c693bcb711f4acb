import { spawnSync } from 'node:child_process';
import parseDiff from 'parse-diff';
import { UsageError } from './workspace.js';

/** What changed between a base commit and the working tree, by path relative to the repository root. */
export interface ChangeSet {
  /** The commit compared against: the merge base with REF, or REF itself when history is too shallow. */
  base: string;
  /** Whether `base` is a true merge base (false in a shallow clone without common history). */
  mergeBase: boolean;
  repoRoot: string;
  files: Map<string, ChangedFile>;
}

interface ChangedFile {
  status: 'added' | 'modified' | 'deleted' | 'renamed';
  /** Path at the base (differs from the key for renames). */
  from: string;
  /** 1-based lines of the working-tree file that were added or changed. */
  lines: Set<number>;
}

/** Runs git; throws a UsageError with git's own message when it fails. */
export function git(args: string[], cwd: string): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (run.error) throw new UsageError(`cannot run git: ${run.error.message}`);
  if (run.status !== 0)
    throw new UsageError(`git ${args[0]} failed: ${(run.stderr || run.stdout).trim().split('\n')[0]}`);
  return run.stdout;
}

function tryGit(args: string[], cwd: string): string | undefined {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  return run.status === 0 ? run.stdout : undefined;
}

export function repositoryRoot(cwd: string): string {
  const root = tryGit(['rev-parse', '--show-toplevel'], cwd);
  if (root === undefined) throw new UsageError(`--changed-since needs a git repository, and ${cwd} is not in one`);
  return root.trim();
}

/**
 * The commit a diff-aware scan compares against: the merge base of REF and HEAD. In a shallow
 * clone where the two histories do not meet, REF itself (said on stderr by the caller).
 */
function resolveBase(ref: string, cwd: string): { base: string; mergeBase: boolean } {
  const commit = tryGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd)?.trim();
  if (!commit) {
    const shallow = tryGit(['rev-parse', '--is-shallow-repository'], cwd)?.trim() === 'true';
    throw new UsageError(
      `unknown git revision "${ref}"${shallow ? ' (shallow clone: fetch it first, e.g. git fetch --depth=50 origin main)' : ''}`,
    );
  }
  const merge = tryGit(['merge-base', commit, 'HEAD'], cwd)?.trim();
  return merge ? { base: merge, mergeBase: true } : { base: commit, mergeBase: false };
}

/** Files and lines changed since `base` in the working tree (committed or not), plus untracked files. */
export function changesSince(ref: string, cwd: string): ChangeSet {
  const repoRoot = repositoryRoot(cwd);
  const { base, mergeBase } = resolveBase(ref, repoRoot);
  const diff = git(
    ['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '--unified=0', '--find-renames', base, '--'],
    repoRoot,
  );
  const files = parseChanges(diff);
  const untracked = git(['-c', 'core.quotePath=false', 'ls-files', '--others', '--exclude-standard', '-z'], repoRoot)
    .split('\0')
    .filter(Boolean);
  for (const path of untracked) files.set(path, { status: 'added', from: path, lines: new Set() });
  return { base, mergeBase, repoRoot, files };
}

/** Parses a `git diff --unified=0` into changed files and their added/changed lines. */
export function parseChanges(diff: string): Map<string, ChangedFile> {
  const files = new Map<string, ChangedFile>();
  for (const file of parseDiff(diff)) {
    const to = unquote(file.to);
    const from = unquote(file.from);
    if (file.deleted || to === '/dev/null' || !to) {
      if (from) files.set(from, { status: 'deleted', from, lines: new Set() });
      continue;
    }
    const lines = new Set<number>();
    for (const chunk of file.chunks)
      for (const change of chunk.changes) if (change.type === 'add') lines.add(change.ln);
    const status = file.new || from === '/dev/null' ? 'added' : from && from !== to ? 'renamed' : 'modified';
    files.set(to, { status, from: status === 'added' ? to : (from ?? to), lines });
  }
  return files;
}

function unquote(path: string | undefined): string | undefined {
  if (!path) return path;
  return path.startsWith('"') && path.endsWith('"') ? path.slice(1, -1).replace(/\\(["\\])/g, '$1') : path;
}

/** The content of a file at a commit, or undefined when it did not exist there. */
export function fileAt(commit: string, path: string, repoRoot: string): string | undefined {
  return tryGit(['show', `${commit}:${path}`], repoRoot);
}
