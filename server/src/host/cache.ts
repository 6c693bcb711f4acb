import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { languageOf, type AnalysisNote, type EngineConfig, type Finding, type Project } from '../engine/index.js';

const FORMAT = 2;

interface CachedFile {
  key: string;
  findings: Finding[];
  notes: AnalysisNote[];
}

interface CacheFile {
  format: number;
  /** Tool version + rule pack + configuration. */
  runKey: string;
  /** Every file's path and content: when equal, the project facts are those of `factsDigest`. */
  filesHash: string;
  factsDigest: string;
  entries: Record<string, CachedFile>;
}

export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * Per-file results keyed by the file's content, the run (tool version, rule pack, config) and a
 * digest of the project facts other files contribute: the merged schema index, what each file
 * deletes (a DROP TABLE in a migration) and the content of every TS/JS file (types, routes and
 * entities cross files). A warm scan is never stale:
 * editing a query re-analyses that file only; editing a table definition or any TS file
 * re-analyses everything; an unchanged project is not even parsed.
 */
export class ResultCache {
  private readonly previous: CacheFile | undefined;
  private readonly entries: Record<string, CachedFile> = {};
  private readonly contentHashes = new Map<string, string>();
  private readonly filesHash: string;
  private factsDigest: string | undefined;
  hits = 0;
  misses = 0;

  constructor(
    private readonly file: string,
    private readonly runKey: string,
    texts: ReadonlyMap<string, string>,
  ) {
    for (const [path, text] of texts) this.contentHashes.set(path, sha1(text));
    this.filesHash = sha1(
      [...this.contentHashes]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([p, h]) => `${p}\0${h}`)
        .join('\n'),
    );
    const loaded = readCacheFile(file);
    this.previous = loaded?.format === FORMAT && loaded.runKey === runKey ? loaded : undefined;
    if (this.previous?.filesHash === this.filesHash) this.factsDigest = this.previous.factsDigest;
  }

  /** The cache file for a scan root (several roots or shards share one directory). */
  static locate(directory: string, scanKey: string): string {
    return join(directory, `results-${sha1(scanKey).slice(0, 16)}.json`);
  }

  static runKey(config: EngineConfig, toolVersion: string): string {
    const { pack, ...rest } = config;
    return sha1(JSON.stringify([toolVersion, pack.version, sha1(JSON.stringify(pack)), rest]));
  }

  /** Findings of a file from an earlier scan, when nothing they depend on changed. */
  get(path: string, project: Project): CachedFile | undefined {
    const entry = this.previous?.entries[path];
    const key = this.keyOf(path, project);
    if (entry && entry.key === key) {
      this.hits++;
      this.entries[path] = entry;
      return entry;
    }
    this.misses++;
    return undefined;
  }

  set(path: string, project: Project, result: { findings: Finding[]; notes: AnalysisNote[] }): void {
    this.entries[path] = { key: this.keyOf(path, project), findings: result.findings, notes: result.notes };
  }

  save(): void {
    const data: CacheFile = {
      format: FORMAT,
      runKey: this.runKey,
      filesHash: this.filesHash,
      factsDigest: this.factsDigest ?? '',
      entries: this.entries,
    };
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(data));
      renameSync(temporary, this.file);
    } catch {
      // A cache that cannot be written only costs the next scan its speed.
    }
  }

  private keyOf(path: string, project: Project): string {
    return sha1(`${this.contentHashes.get(path) ?? ''}\0${this.facts(project)}`);
  }

  private facts(project: Project): string {
    if (this.factsDigest === undefined) {
      project.refreshFacts();
      const scripts = [...this.contentHashes]
        .filter(([path]) => {
          const language = languageOf(path);
          // package.json too: the dependencies decide which imports a fix may add.
          return language === 'typescript' || language === 'javascript' || language === 'json';
        })
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([p, h]) => `${p}\0${h}`)
        .join('\n');
      const schema = [...project.facts.schema.tables()].sort((a, b) =>
        a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start - b.range.start,
      );
      // What every file deletes: a DROP TABLE in a SQL migration decides whether another file's copy is left behind.
      const erasures = project.facts.erasures
        .all()
        .map((e) => `${e.file}\0${e.kind}\0${e.name}`)
        .sort();
      this.factsDigest = sha1(`${sha1(JSON.stringify(schema))}\0${sha1(scripts)}\0${sha1(erasures.join('\n'))}`);
    }
    return this.factsDigest;
  }
}

/** The cache of an earlier scan, or undefined when it is missing, unreadable or malformed (then it is rebuilt). */
function readCacheFile(file: string): CacheFile | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  return isCacheFile(value) ? value : undefined;
}

function isCacheFile(value: unknown): value is CacheFile {
  const v = value as Partial<CacheFile> | null;
  if (
    !v ||
    typeof v !== 'object' ||
    typeof v.format !== 'number' ||
    typeof v.runKey !== 'string' ||
    typeof v.filesHash !== 'string' ||
    typeof v.factsDigest !== 'string'
  )
    return false;
  if (!v.entries || typeof v.entries !== 'object' || Array.isArray(v.entries)) return false;
  return Object.values(v.entries).every(
    (e: Partial<CachedFile> | null) =>
      !!e &&
      typeof e === 'object' &&
      typeof e.key === 'string' &&
      Array.isArray(e.findings) &&
      Array.isArray(e.notes) &&
      e.findings.every(
        (f) => !!f && typeof f === 'object' && typeof f.ruleId === 'string' && typeof f.range?.start === 'number',
      ),
  );
}
