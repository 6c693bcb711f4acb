import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  Project,
  type AnalysisNote,
  type EngineConfig,
  type FileFacts,
  type FileResult,
  type SourceInput,
} from '../engine/index.js';
import { packageOf, type PackageConfig } from './package-configs.js';

const MARK = 'gdpr-lint-analyze';

interface WorkerTask {
  kind: typeof MARK;
  files: SourceInput[];
  config: EngineConfig;
  packages: PackageConfig[];
  /** The files this worker analyses. */
  paths: string[];
  /** The files whose schema and deletion facts this worker collects for every thread. */
  factPaths: string[];
}

/** Worker to this thread. */
type WorkerMessage =
  { facts: [string, FileFacts][] } | { done: number } | { results: FileResult[] } | { error: string };
/** This thread to a worker: the facts every other thread collected. */
type MainMessage = { facts: [string, FileFacts][] };

/**
 * The per-file pass over N threads: this thread analyses one share with `project` (already loaded
 * with every file), and N-1 worker threads the others; shares are balanced by size. Each worker
 * builds its own Project from the same inputs (syntax trees, the TypeScript program and the route
 * index are not transferable), but the schema and deletion facts of the files are collected once:
 * each thread collects a share and passes it to the others as plain data before the analysis.
 * The script is the CLI bundle itself: it checks `isAnalysisWorker()` on load. One task per
 * worker, so a pool library adds nothing.
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
  const sizes = new Map(files.map((f) => [f.path, f.text.length]));
  const shares = balance(sizes, paths, jobs);
  const factShares = balance(
    sizes,
    files.map((f) => f.path),
    jobs,
  );
  const progress = new Array<number>(jobs).fill(0);
  const report = () => onProgress?.(progress.reduce((a, b) => a + b, 0));
  const workers: { worker: Worker; facts: Promise<[string, FileFacts][]>; results: Promise<FileResult[]> }[] = [];
  for (let i = 1; i < jobs; i++) {
    const task: WorkerTask = { kind: MARK, files, config, packages, paths: shares[i]!, factPaths: factShares[i]! };
    const worker = new Worker(script, { workerData: task });
    let gotFacts!: (facts: [string, FileFacts][]) => void;
    let gotResults!: (results: FileResult[]) => void;
    let failed!: (error: Error) => void;
    const failure = new Promise<never>((_, reject) => (failed = reject));
    failure.catch(() => undefined);
    const facts = Promise.race([new Promise<[string, FileFacts][]>((resolve) => (gotFacts = resolve)), failure]);
    const results = Promise.race([new Promise<FileResult[]>((resolve) => (gotResults = resolve)), failure]);
    worker.on('message', (message: WorkerMessage) => {
      if ('facts' in message) gotFacts(message.facts);
      else if ('done' in message) {
        progress[i] = message.done;
        report();
      } else if ('results' in message) gotResults(message.results);
      else failed(new Error(message.error));
    });
    worker.on('error', failed);
    worker.on('exit', (code) => code !== 0 && failed(new Error(`analysis worker exited with code ${code}`)));
    workers.push({ worker, facts, results });
  }
  const results: FileResult[] = [];
  try {
    // This thread's share of the facts while the workers start and collect theirs; then every
    // thread takes the others' facts and analyses its share.
    const own = [...project.collectFacts(factShares[0]!)];
    const theirs = await Promise.all(workers.map((w) => w.facts));
    workers.forEach((w, i) =>
      w.worker.postMessage({ facts: [own, ...theirs.filter((_, j) => j !== i)].flat() } satisfies MainMessage),
    );
    project.refreshFacts(new Map([...own, ...theirs.flat()]));
    // The event loop gets a turn now and then, for the workers' progress.
    const share = shares[0]!;
    for (let i = 0; i < share.length; i++) {
      results.push(project.analyzeFile(share[i]!));
      progress[0] = i + 1;
      if (i % 20 === 19) {
        report();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    report();
    for (const share of await Promise.all(workers.map((w) => w.results))) results.push(...share);
  } catch (error) {
    await Promise.all(workers.map((w) => w.worker.terminate()));
    throw error;
  }
  const byPath = new Map(results.map((r) => [r.file, r]));
  return paths.map((p) => byPath.get(p) ?? { file: p, findings: [], notes: [] as AnalysisNote[] });
}

/** `jobs` shares of `paths` with about as many bytes each (largest files first, each to the lightest share). */
function balance(sizes: ReadonlyMap<string, number>, paths: readonly string[], jobs: number): string[][] {
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

/** The body of an analysis worker: build the project, collect and exchange facts, analyse the share, post the results. */
export function runAnalysisWorker(): void {
  const task = workerData as WorkerTask;
  const fail = (error: unknown) =>
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
  let project: Project;
  let own: [string, FileFacts][];
  try {
    project = new Project(task.config, { configFor: (path) => packageOf(task.packages, path)?.config });
    for (const file of task.files) project.setFile(file);
    own = [...project.collectFacts(task.factPaths)];
    parentPort!.postMessage({ facts: own } satisfies WorkerMessage);
  } catch (error) {
    fail(error);
    return;
  }
  parentPort!.once('message', (message: MainMessage) => {
    try {
      project.refreshFacts(new Map([...own, ...message.facts]));
      const results: FileResult[] = [];
      task.paths.forEach((path, i) => {
        results.push(project.analyzeFile(path));
        if (i % 20 === 19) parentPort!.postMessage({ done: i + 1 } satisfies WorkerMessage);
      });
      parentPort!.postMessage({ results } satisfies WorkerMessage);
    } catch (error) {
      fail(error);
    }
  });
}
