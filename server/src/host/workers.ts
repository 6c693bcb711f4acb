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
 * The per-file pass over N worker threads. Every worker builds its own Project from the same
 * inputs (facts such as the schema index and the TypeScript program are not transferable), then
 * analyses its share of the files, balanced by size. The script is the CLI bundle itself: it
 * checks `isAnalysisWorker()` on load. One task per worker, so a pool library adds nothing.
 */
export async function analyzeInWorkers(
  script: string,
  files: SourceInput[],
  config: EngineConfig,
  paths: string[],
  jobs: number,
  onProgress?: (done: number) => void,
  packages: PackageConfig[] = [],
): Promise<FileResult[]> {
  const sizes = new Map(files.map((f) => [f.path, f.text.length]));
  const shares: string[][] = Array.from({ length: jobs }, () => []);
  const load = new Array<number>(jobs).fill(0);
  for (const path of [...paths].sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0))) {
    const lightest = load.indexOf(Math.min(...load));
    shares[lightest]!.push(path);
    load[lightest]! += (sizes.get(path) ?? 0) + 2_000;
  }
  const progress = new Array<number>(jobs).fill(0);
  const runs = shares
    .map((share, i) => ({ share, i }))
    .filter(({ share }) => share.length > 0)
    .map(({ share, i }) => new Promise<FileResult[]>((resolve, reject) => {
      const task: WorkerTask = { kind: MARK, files, config, packages, paths: share };
      const worker = new Worker(script, { workerData: task });
      worker.on('message', (message: WorkerMessage) => {
        if ('done' in message) {
          progress[i] = message.done;
          onProgress?.(progress.reduce((a, b) => a + b, 0));
        } else if ('results' in message) resolve(message.results);
        else reject(new Error(message.error));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => code !== 0 && reject(new Error(`analysis worker exited with code ${code}`)));
    }));
  const results = await Promise.all(runs);
  const byPath = new Map(results.flat().map((r) => [r.file, r]));
  return paths.map((p) => byPath.get(p) ?? { file: p, findings: [], notes: [] as AnalysisNote[] });
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
