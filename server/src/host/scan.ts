import { Project, type AnalysisNote, type EngineConfig, type Finding } from '../engine/index.js';
import { excludedByPackage, packageOf, type PackageConfig } from './package-configs.js';
import { readSource, type SourceMeta } from './read.js';
import { resolveTargets, type ScanTarget } from './workspace.js';

export interface ScanOptions {
  paths: string[];
  cwd: string;
  config: EngineConfig;
  ignore?: string[];
  include?: string[];
  onProgress?: (done: number, total: number) => void;
  /** The packages below the scan root with their own configuration (monorepos), from the files found. */
  packages?: (base: string, files: string[]) => PackageConfig[];
}

export interface ScanResult {
  target: ScanTarget;
  project: Project;
  findings: Finding[];
  notes: AnalysisNote[];
  /** Texts as read, by relative path (for code frames and fixes). */
  texts: Map<string, string>;
  /** How each file was read (encoding, digest of its bytes): fixes write it back the same way. */
  sources: Map<string, SourceMeta>;
  durationMs: number;
}

/** Reads the files of a scan into a project and analyses them: the whole pipeline the CLI runs. */
export function scan(options: ScanOptions): ScanResult {
  const started = performance.now();
  const { target, project, notes, texts, sources } = loadProject(options);
  const paths = [...texts.keys()];
  const findings: Finding[] = [];
  paths.forEach((path, i) => {
    const result = project.analyzeFile(path);
    findings.push(...result.findings);
    notes.push(...result.notes);
    options.onProgress?.(i + 1, paths.length);
  });
  return { target, project, findings, notes, texts, sources, durationMs: Math.round(performance.now() - started) };
}

type LoadedProject = Pick<ScanResult, 'target' | 'project' | 'notes' | 'texts' | 'sources'> & {
  packages: PackageConfig[];
};

/** Finds and reads the files of a scan into a project, not yet analysed (the CLI's cache, shards and workers start here). */
export function loadProject(options: ScanOptions): LoadedProject {
  const target = resolveTargets(options.paths, options.cwd, { ignore: options.ignore, include: options.include });
  const packages =
    options.packages?.(
      target.base,
      target.files.map((f) => f.relative),
    ) ?? [];
  if (packages.length > 0) target.files = target.files.filter((f) => !excludedByPackage(packages, f.relative));
  const project = new Project(options.config, { configFor: (path) => packageOf(packages, path)?.config });
  const notes: AnalysisNote[] = target.skipped.map((s) => ({
    file: s.path,
    kind: 'skipped' as const,
    message: s.reason,
  }));
  const texts = new Map<string, string>();
  const sources = new Map<string, SourceMeta>();
  for (const file of target.files) {
    const outcome = readSource(file.absolute);
    if ('skipped' in outcome) {
      notes.push({ file: file.relative, kind: 'skipped', message: outcome.skipped });
      continue;
    }
    texts.set(file.relative, outcome.text);
    sources.set(file.relative, outcome.source);
    project.setFile({ path: file.relative, text: outcome.text });
  }
  return { target, project, notes, texts, sources, packages };
}
