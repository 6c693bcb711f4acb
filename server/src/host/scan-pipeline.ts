import type { EngineConfig, FileResult, Finding } from '../engine/index.js';
import { ResultCache, sha1 } from './cache.js';
import type { PackageConfig } from './package-configs.js';
import { loadProject, type ScanOptions, type ScanResult } from './scan.js';
import { inShard, type Shard } from './shard.js';
import { analyzeInWorkers } from './workers.js';

export type ScanPhase = 'reading' | 'facts' | 'analysing';

interface PipelineOptions extends ScanOptions {
  /** Only the files of this shard are analysed (facts still come from every file). */
  shard?: Shard;
  /** Reuse per-file results from this directory (see host/cache.ts). */
  cache?: { directory: string; toolVersion: string };
  /** Worker threads for the per-file pass; needs `workerScript` (the CLI bundle). */
  jobs?: number;
  workerScript?: string;
  onPhase?: (phase: ScanPhase, done: number, total: number) => void;
}

export interface PipelineResult extends ScanResult {
  /** Paths analysed (the shard's share), in order. */
  analysed: string[];
  cache?: { hits: number; misses: number };
  /** Workers actually used (1 = in this thread). */
  jobs: number;
}

/** Files worth a worker thread: below this, starting threads costs more than it saves. */
const MIN_FILES_PER_WORKER = 50;

/** The CLI's scan: read, then per-file analysis with shard selection, cache and worker threads. */
export async function runScan(options: PipelineOptions): Promise<PipelineResult> {
  const started = performance.now();
  options.onPhase?.('reading', 0, 0);
  const { target, project, notes, texts, sources, packages } = loadProject(options);
  const analysed = [...texts.keys()].filter((p) => !options.shard || inShard(p, options.shard));
  const cache = options.cache
    ? new ResultCache(
        ResultCache.locate(
          options.cache.directory,
          `${target.base}\0${options.shard ? `${options.shard.index}/${options.shard.count}` : ''}`,
        ),
        runKeyOf(options.config, packages, options.cache.toolVersion),
        texts,
      )
    : undefined;
  const results = new Map<string, FileResult>();
  if (cache) {
    options.onPhase?.('facts', 0, analysed.length);
    for (const path of analysed) {
      const hit = cache.get(path, project);
      if (hit) results.set(path, { file: path, findings: hit.findings, notes: hit.notes });
    }
  }
  const todo = analysed.filter((p) => !results.has(p));
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, Math.floor(todo.length / MIN_FILES_PER_WORKER)));
  const done = results.size;
  const progress = (n: number) => options.onPhase?.('analysing', done + n, analysed.length);
  if (jobs > 1 && options.workerScript) {
    const files = [...texts].map(([path, text]) => ({ path, text }));
    if (!cache) options.onPhase?.('facts', 0, analysed.length);
    const fresh = await analyzeInWorkers(
      options.workerScript,
      project,
      files,
      options.config,
      todo,
      jobs,
      progress,
      packages,
    );
    for (const r of fresh) results.set(r.file, r);
  } else if (todo.length > 0) {
    if (!cache) options.onPhase?.('facts', 0, analysed.length);
    project.refreshFacts();
    todo.forEach((path, i) => {
      results.set(path, project.analyzeFile(path));
      progress(i + 1);
    });
  }
  if (cache) {
    // A file stopped by the time budget has incomplete findings: analyse it again next time.
    for (const path of todo) {
      const result = results.get(path)!;
      if (!result.notes.some((n) => n.kind === 'timeout')) cache.set(path, project, result);
    }
    cache.save();
  }
  const findings: Finding[] = [];
  for (const path of analysed) {
    const r = results.get(path)!;
    findings.push(...r.findings);
    notes.push(...r.notes);
  }
  return {
    target,
    project,
    findings,
    notes,
    texts,
    sources,
    analysed,
    durationMs: Math.round(performance.now() - started),
    ...(cache ? { cache: { hits: cache.hits, misses: cache.misses } } : {}),
    jobs: jobs > 1 && options.workerScript ? jobs : 1,
  };
}

/** The cache's run key: the root configuration and each package's, so editing a package's config re-analyses. */
function runKeyOf(config: EngineConfig, packages: readonly PackageConfig[], toolVersion: string): string {
  const root = ResultCache.runKey(config, toolVersion);
  return packages.length === 0
    ? root
    : sha1([root, ...packages.map((p) => `${p.dir}\0${ResultCache.runKey(p.config, toolVersion)}`)].join('\n'));
}
