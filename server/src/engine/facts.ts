import type { EngineConfig } from './config.js';
import { knowledgeOf, type Knowledge } from './knowledge.js';
import { ErasureIndex } from './exports/erasure-index.js';
import type { FileView } from './detector.js';
import { RoleConventions, type FileRole } from './roles.js';
import { SchemaIndex, type TableFact } from './schema.js';
import { TsProject } from './ts-project.js';
import type { Language } from './types.js';
import { Manifests } from './manifests.js';

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
  /** What every file deletes (tables dropped, files unlinked, bucket lifecycles): whether an export's output is ever erased. */
  readonly erasures = new ErasureIndex();
  readonly ts = new TsProject();
  readonly roleConventions: RoleConventions;
  /** The package manifests: which folders are older copies of an application. */
  readonly manifests = new Manifests();
  /** The role of every file of the project (production when unknown). */
  private readonly roles = new Map<string, FileRole>();
  private readonly memos = new Map<string, Map<string, unknown>>();
  /** Extension point for other project indexes (routes...), keyed by name. */
  private readonly indexes = new Map<string, unknown>();
  /** The knowledge of each configuration files are analysed with (the project's, a package's). */
  private readonly knowledgeByConfig = new Map<EngineConfig, Knowledge>();

  constructor(readonly config: EngineConfig) {
    this.roleConventions = new RoleConventions(config);
  }

  /**
   * What the engine derives from a configuration (classifiers, compiled vocabularies, options):
   * held here for as long as the project analyses with that configuration. A new configuration
   * (an edit) is a new object, hence a new knowledge: nothing stale is read.
   */
  knowledge(config: EngineConfig = this.config): Knowledge {
    let knowledge = this.knowledgeByConfig.get(config);
    if (!knowledge) this.knowledgeByConfig.set(config, (knowledge = knowledgeOf(config)));
    return knowledge;
  }

  setRole(file: string, role: FileRole): void {
    if (role === 'production') this.roles.delete(file);
    else this.roles.set(file, role);
  }

  roleOf(file: string): FileRole {
    return this.roles.get(file) ?? 'production';
  }

  /** Whether the file is analysed by every rule and feeds the project's facts (routes, schema, inventory). */
  inScope(file: string): boolean {
    return this.roleConventions.analysedFully(this.roleOf(file));
  }

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
