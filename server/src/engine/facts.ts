import type { EngineConfig } from './config.js';
import type { FileView } from './detector.js';
import { SchemaIndex, type TableFact } from './schema.js';
import { TsProject } from './ts-project.js';
import type { Language } from './types.js';

/** Contributes one file's tables/models to the schema index (SQL DDL, Prisma, each ORM). */
export interface SchemaCollector {
  name: string;
  languages: readonly Language[];
  collect(file: FileView, facts: ProjectFacts): TableFact[];
}

/**
 * Project-level knowledge shared by every detector. Indexes are fed per file and updated,
 * not rebuilt, when a file changes. `memo` caches per-file derived data (extracted SQL,
 * classified fields) until that file changes, so nothing is parsed twice.
 */
export class ProjectFacts {
  readonly schema = new SchemaIndex();
  readonly ts = new TsProject((build) => this.shared(build));
  /**
   * Milliseconds spent building project-wide structures (the TypeScript program and checker, the
   * route index): work for every file, so not charged to the per-file time budget of whichever
   * file happened to need it first (on a large project that file would always time out).
   */
  sharedMs = 0;
  /** The clock `shared` measures with (the project's, so tests can inject one). */
  now: () => number = Date.now;
  private sharing = false;
  private readonly memos = new Map<string, Map<string, unknown>>();
  /** Extension point for other project indexes (routes...), keyed by name. */
  private readonly indexes = new Map<string, unknown>();

  constructor(readonly config: EngineConfig) {}

  memo<T>(file: string, key: string, compute: () => T): T {
    let forFile = this.memos.get(file);
    if (!forFile) {
      forFile = new Map();
      this.memos.set(file, forFile);
    }
    // One lookup on a hit (the common case: bindings, SQL, classifications are asked for again and again).
    const hit = forFile.get(key);
    if (hit !== undefined || forFile.has(key)) return hit as T;
    const value = compute();
    forFile.set(key, value);
    return value;
  }

  /** Runs a project-wide build, adding its duration to `sharedMs` (nested builds are counted once). */
  shared<T>(build: () => T): T {
    if (this.sharing) return build();
    this.sharing = true;
    const started = this.now();
    try {
      return build();
    } finally {
      this.sharedMs += this.now() - started;
      this.sharing = false;
    }
  }

  forget(file: string): void {
    this.memos.delete(file);
  }

  /** A named project index, created on first use. */
  index<T>(name: string, create: () => T): T {
    let value = this.indexes.get(name) as T | undefined;
    if (value === undefined) {
      value = create();
      this.indexes.set(name, value);
    }
    return value;
  }
}
