import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Project, type AnalysisNote, type EngineConfig, type FileResult, type SourceInput } from '../engine/index.js';
import { packageOf, type PackageConfig } from './package-configs.js';

const MARK = 'gdpr-lint-analyze';

interface WorkerTask {
  kind: typeof MARK;
  files: SourceInput[];
  config: EngineConfig;
  packages: PackageConfig[];
  paths: string[];
}

type WorkerMessage = { done: number } | { results: FileResult[] } | { error: string };

/**
 * The per-file pass over N threads: this thread analyses one share with `project` (already loaded
 * with every file), and N-1 worker threads the others. Every worker builds its own Project from
 * the same inputs (facts such as the schema index and the TypeScript program are not
 * transferable), then analyses its share; shares are balanced by size. The script is the CLI
 * bundle itself: it checks `isAnalysisWorker()` on load. One task per worker, so a pool library
 * adds nothing.
 */
export async function analyzeInWorkers(
  script: string,
  project: Project,
  files: SourceInput[],
  config: EngineConfig,
  paths: string[],
  jobs: number,
  onProgress?: (done: number) => void,
  packages: PackageConfig[] = [],
): Promise<FileResult[]> {
  const shares = balance(files, paths, jobs);
  const progress = new Array<number>(jobs).fill(0);
  const report = () => onProgress?.(progress.reduce((a, b) => a + b, 0));
  const workers: Worker[] = [];
  const runs = shares.slice(1).flatMap((share, at) => {
    if (share.length === 0) return [];
    const i = at + 1;
    return [new Promise<FileResult[]>((resolve, reject) => {
      const task: WorkerTask = { kind: MARK, files, config, packages, paths: share };
      const worker = new Worker(script, { workerData: task });
      workers.push(worker);
      worker.on('message', (message: WorkerMessage) => {
        if ('done' in message) {
          progress[i] = message.done;
          report();
        } else if ('results' in message) resolve(message.results);
        else reject(new Error(message.error));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => code !== 0 && reject(new Error(`analysis worker exited with code ${code}`)));
    })];
  });
  const results: FileResult[] = [];
  try {
    // This thread's share, while the workers start and analyse theirs; the event loop gets a turn
    // now and then, for the workers' progress.
    project.refreshFacts();
    const own = shares[0]!;
    for (let i = 0; i < own.length; i++) {
      results.push(project.analyzeFile(own[i]!));
      progress[0] = i + 1;
      if (i % 20 === 19) {
        report();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    report();
    for (const share of await Promise.all(runs)) results.push(...share);
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw error;
  }
  const byPath = new Map(results.map((r) => [r.file, r]));
  return paths.map((p) => byPath.get(p) ?? { file: p, findings: [], notes: [] as AnalysisNote[] });
}

/** `jobs` shares of `paths` with about as many bytes each (largest files first, each to the lightest share). */
function balance(files: SourceInput[], paths: string[], jobs: number): string[][] {
  const sizes = new Map(files.map((f) => [f.path, f.text.length]));
  const shares: string[][] = Array.from({ length: jobs }, () => []);
  const load = new Array<number>(jobs).fill(0);
  for (const path of [...paths].sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0))) {
    const lightest = load.indexOf(Math.min(...load));
    shares[lightest]!.push(path);
    load[lightest]! += (sizes.get(path) ?? 0) + 2_000;
  }
  return shares;
}

/** True in a thread started by `analyzeInWorkers`. */
export function isAnalysisWorker(): boolean {
  return !isMainThread && (workerData as Partial<WorkerTask> | undefined)?.kind === MARK;
}

/** The body of an analysis worker: build the project, analyse the share, post the results. */
export function runAnalysisWorker(): void {
  const task = workerData as WorkerTask;
  try {
    const project = new Project(task.config, { configFor: (path) => packageOf(task.packages, path)?.config });
    for (const file of task.files) project.setFile(file);
    const results: FileResult[] = [];
    task.paths.forEach((path, i) => {
      results.push(project.analyzeFile(path));
      if (i % 20 === 19) parentPort!.postMessage({ done: i + 1 } satisfies WorkerMessage);
    });
    parentPort!.postMessage({ results } satisfies WorkerMessage);
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
  }
}
