import { ruleOptions, ruleSeverity, type EngineConfig } from './config.js';
import type { Detector, DetectorContext, FileView, Report } from './detector.js';
import { DETECTORS } from './detectors/index.js';
import { ProjectFacts, type SchemaCollector } from './facts.js';
import { SCHEMA_COLLECTORS } from './collectors.js';
import { collectErasures } from './exports/erasure.js';
import { applySuppressions } from './suppressions.js';
import { formatMessage } from './messages.js';
import type { Knowledge } from './knowledge.js';
import { customRuleDetectors } from './custom/index.js';
import { LineIndex, languageOf } from './text.js';
import { isNeverAnalysed, RoleConventions, type FileRole } from './roles.js';
import { safeFinding, safeNote } from './output-text.js';
import { AnalysisTimeout } from './budget.js';
import type { AnalysisNote, AnalysisResult, FileResult, Finding, SourceInput } from './types.js';
import type { TableFact } from './schema.js';
import type { ErasureFact } from './exports/erasure-index.js';

/** What one file contributes to the project's schema and deletion indexes: plain data, that another thread's project can take. */
export interface FileFacts {
  tables: TableFact[];
  erasures: ErasureFact[];
}

interface FileState {
  view: FileView;
  /** Facts of this file are not yet in the project indexes. */
  stale: boolean;
  /** Why the TypeScript syntax of this file is not analysed (the parser failed, it nests too deeply), as a sentence. */
  parseError?: string;
}

export interface ProjectOptions {
  detectors?: readonly Detector[];
  collectors?: readonly SchemaCollector[];
  /**
   * The configuration of a file that has its own (a monorepo package's `.gdpr-lint.yaml` merged
   * over the root's): its rules, options, vocabulary and roles decide that file's findings, while
   * the project's facts (schema, routes, types) stay shared. Undefined: the project's.
   */
  configFor?: (path: string) => EngineConfig | undefined;
}

/** What one configuration runs with: its detectors (built-in and team rules), its file roles and its knowledge. */
interface ConfigScope {
  detectors: readonly Detector[];
  roles: RoleConventions;
  knowledge: Knowledge;
}

/** Rule id of the note-level finding that says a file's analysis was stopped by its work budget. */
export const ANALYSIS_TIMEOUT = 'analysis-timeout';
/** Units of work (DetectorContext.tick) per file: far above what real files need (see docs/benchmarks.md). */
const DEFAULT_WORK_BUDGET = 2_000_000;

export { AnalysisTimeout } from './budget.js';

/**
 * The analysis of a set of files that can be updated one file at a time: setting a file
 * re-collects only that file's facts; `analyzeFile` re-runs the detectors on one file.
 */
export class Project {
  readonly facts: ProjectFacts;
  private readonly files = new Map<string, FileState>();
  /** Paths whose facts are not yet in the indexes: refreshFacts visits these only, not every file. */
  private readonly staleFiles = new Set<string>();
  private readonly collectors: readonly SchemaCollector[];
  private readonly scopes = new Map<EngineConfig, ConfigScope>();

  constructor(
    readonly config: EngineConfig,
    private readonly options: ProjectOptions = {},
  ) {
    this.facts = new ProjectFacts(config);
    this.collectors = options.collectors ?? SCHEMA_COLLECTORS;
    this.scopes.set(config, {
      detectors: options.detectors ?? [...DETECTORS, ...customRuleDetectors(config)],
      roles: this.facts.roleConventions,
      knowledge: this.facts.knowledge(config),
    });
  }

  /** The configuration a file is analysed with. */
  configOf(path: string): EngineConfig {
    return this.options.configFor?.(path) ?? this.config;
  }

  private scopeOf(config: EngineConfig): ConfigScope {
    let scope = this.scopes.get(config);
    if (!scope) {
      scope = {
        detectors: this.options.detectors ?? [...DETECTORS, ...customRuleDetectors(config)],
        roles: new RoleConventions(config),
        knowledge: this.facts.knowledge(config),
      };
      this.scopes.set(config, scope);
    }
    return scope;
  }

  /** Adds or replaces a file. Returns false when the path has no language the engine knows. */
  setFile(input: SourceInput): boolean {
    const language = languageOf(input.path);
    if (!language) return false;
    const existing = this.files.get(input.path);
    if (existing && existing.view.text === input.text) return true;
    this.facts.forget(input.path);
    if (language === 'json') this.facts.manifests.set(input.path, input.text);
    const role = this.scopeOf(this.configOf(input.path)).roles.roleOf(input.path, input.text);
    this.facts.setRole(input.path, role);
    const view: FileView = { path: input.path, text: input.text, language, lines: new LineIndex(input.text), role };
    if (isNeverAnalysed(role)) {
      // Bundles and vendored code: no parse, no facts, no findings.
      this.facts.ts.removeFile(input.path);
      this.facts.schema.removeFile(input.path);
      this.facts.erasures.removeFile(input.path);
      this.staleFiles.delete(input.path);
      this.files.set(input.path, { view, stale: false });
      return true;
    }
    if (language === 'typescript' || language === 'javascript') this.facts.ts.setFile(input.path, input.text);
    this.files.set(input.path, { view, stale: true });
    this.staleFiles.add(input.path);
    return true;
  }

  /** What the file is for; production when the project does not have it. */
  roleOf(path: string): FileRole {
    return this.files.get(path)?.view.role ?? 'production';
  }

  /** Files analysed by every rule: the ones whose facts make the project's routes, schema and inventory. */
  analysedPaths(): string[] {
    return this.paths().filter((p) => this.facts.inScope(p));
  }

  removeFile(path: string): void {
    if (!this.files.delete(path)) return;
    if (languageOf(path) === 'json') this.facts.manifests.remove(path);
    this.staleFiles.delete(path);
    this.facts.forget(path);
    this.facts.ts.removeFile(path);
    this.facts.schema.removeFile(path);
    this.facts.erasures.removeFile(path);
    this.facts.setRole(path, 'production');
  }

  paths(): string[] {
    return [...this.files.keys()];
  }

  file(path: string): FileView | undefined {
    const state = this.files.get(path);
    return state ? this.withParse(state) : undefined;
  }

  /**
   * Brings the project indexes up to date with every changed file. `known`: facts of some of
   * them already collected elsewhere (`collectFacts` in another thread, from the same texts and
   * configuration); the files are still parsed here, in the same order, only not collected again.
   */
  refreshFacts(known?: ReadonlyMap<string, FileFacts>): void {
    if (this.staleFiles.size === 0) return;
    const stale = [...this.staleFiles];
    this.staleFiles.clear();
    for (const path of stale) {
      const state = this.files.get(path);
      if (!state?.stale) continue;
      state.stale = false;
      if (!this.facts.inScope(path)) {
        this.facts.schema.replaceFile(path, []);
        this.facts.erasures.replaceFile(path, []);
        continue;
      }
      const view = this.withParse(state);
      const { tables, erasures } = known?.get(path) ?? this.collectFile(view);
      this.facts.schema.replaceFile(path, tables);
      this.facts.erasures.replaceFile(path, erasures);
    }
  }

  /**
   * The schema and deletion facts of the changed files among `paths`, as plain data, without
   * putting them in this project's indexes: threads that analyse shares of one project each
   * collect a share of the files and pass the rest theirs (see `refreshFacts(known)`).
   */
  collectFacts(paths: Iterable<string>): Map<string, FileFacts> {
    const out = new Map<string, FileFacts>();
    for (const path of paths) {
      const state = this.files.get(path);
      if (!state?.stale || !this.facts.inScope(path)) continue;
      out.set(path, this.collectFile(this.withParse(state)));
    }
    return out;
  }

  private collectFile(view: FileView): FileFacts {
    const tables = this.collectors
      .filter((c) => c.languages.includes(view.language))
      .flatMap((c) => {
        try {
          return c.collect(view, this.facts);
        } catch {
          return [];
        }
      });
    let erasures: ReturnType<typeof collectErasures> = [];
    try {
      erasures = collectErasures(view, this.facts);
    } catch {
      erasures = [];
    }
    return { tables, erasures };
  }

  analyzeFile(path: string): FileResult {
    const steps = this.analysisSteps(path);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * `analyzeFile` one step at a time: it pauses after the parse and after each rule, so a host
   * (the language server) can answer other requests in between, or drop an analysis made stale
   * by a newer edit. Each step is bounded by the file's work budget.
   */
  *analysisSteps(path: string): Generator<void, FileResult, void> {
    this.refreshFacts();
    const state = this.files.get(path);
    if (!state) return { file: path, findings: [], notes: [] };
    if (isNeverAnalysed(state.view.role)) return { file: path, findings: [], notes: [] };
    const view = this.withParse(state);
    yield;
    const role = view.role;
    const config = this.configOf(path);
    const scope = this.scopeOf(config);
    const fully = scope.roles.analysedFully(role);
    const findings: Finding[] = [];
    const notes: AnalysisNote[] = [];
    const noted = new Set<string>();
    if (state.parseError) notes.push({ file: path, kind: 'ts-syntax', message: state.parseError });
    const budget = config.workBudget ?? DEFAULT_WORK_BUDGET;
    let used = 0;
    const tick = (units = 1) => {
      used += units;
      if (used > budget) throw new AnalysisTimeout();
    };
    let timedOut = false;
    for (const detector of scope.detectors) {
      if (!detector.languages.includes(view.language)) continue;
      if (!fully && !runsIn(config, detector.ruleId, role)) continue;
      const configured = ruleSeverity(config, detector.ruleId);
      if (configured === 'off') continue;
      const explicit = config.rules?.[detector.ruleId]?.severity !== undefined;
      const reports: Report[] = [];
      const context: DetectorContext = {
        file: view,
        config,
        project: this.facts,
        options: ruleOptions(config, detector.ruleId),
        report: (r) => reports.push(r),
        tick,
        note: (kind, message, range) => {
          const key = `${kind}:${message}`;
          if (noted.has(key)) return;
          noted.add(key);
          notes.push({ file: path, kind, message, range });
        },
      };
      try {
        detector.check(context);
      } catch (error) {
        if (error instanceof AnalysisTimeout) {
          timedOut = true;
          break;
        }
        notes.push({ file: path, kind: 'detector-error', message: `${detector.ruleId}: ${errorMessage(error)}` });
        continue;
      }
      // A detector's messages are its rule's: a messageId or placeholder it lacks is that detector's error.
      let messages: string[];
      const kept = dedupe(reports);
      try {
        messages = kept.map((r) => r.message ?? formatMessage(config.pack, detector.ruleId, r.messageId, r.args));
      } catch (error) {
        notes.push({ file: path, kind: 'detector-error', message: `${detector.ruleId}: ${errorMessage(error)}` });
        continue;
      }
      kept.forEach((r, i) => {
        findings.push({
          ruleId: detector.ruleId,
          severity: explicit ? configured : (r.severity ?? configured),
          message: messages[i]!,
          file: path,
          range: r.range,
          ...(r.fixes && r.fixes.length > 0 ? { fixes: r.fixes } : {}),
          ...(r.related && r.related.length > 0 ? { related: r.related } : {}),
          ...(r.data ? { data: r.data } : {}),
          ...(role !== 'production' ? { role } : {}),
        });
      });
      yield;
    }
    if (timedOut) {
      const message = `analysis of ${path} stopped after its budget of ${budget} units of work: findings for this file may be incomplete`;
      findings.push({ ruleId: ANALYSIS_TIMEOUT, severity: 'note', message, file: path, range: { start: 0, end: 0 } });
      notes.push({ file: path, kind: 'timeout', message });
    }
    findings.push(...applySuppressions(findings, view, config, (id) => fully || runsIn(config, id, role)));
    findings.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
    // Every text the adapters will emit, masked and escaped here, once.
    return { file: path, findings: findings.map(safeFinding), notes: notes.map(safeNote), work: used };
  }

  analyzeAll(paths: Iterable<string> = this.files.keys()): AnalysisResult {
    const findings: Finding[] = [];
    const notes: AnalysisNote[] = [];
    for (const path of [...paths]) {
      const result = this.analyzeFile(path);
      findings.push(...result.findings);
      notes.push(...result.notes);
    }
    return { findings, notes };
  }

  /** The file with its TypeScript parse attached; a parser failure (e.g. nesting too deep) leaves it unparsed, noted once. */
  private withParse(state: FileState): FileView {
    const view = state.view;
    if (view.ts || state.parseError || (view.language !== 'typescript' && view.language !== 'javascript')) return view;
    view.ts = this.facts.ts.sourceFile(view.path);
    if (!view.ts) state.parseError = this.facts.ts.parseFailure(view.path) ?? 'could not be parsed: parser failure';
    return view;
  }
}

/** Whether a rule also runs in files of a non-production role (its `roles` in the pack). */
function runsIn(config: EngineConfig, ruleId: string, role: FileRole): boolean {
  return config.pack.rules[ruleId]?.roles?.includes(role) ?? false;
}

function dedupe(reports: Report[]): Report[] {
  const seen = new Set<string>();
  return reports.filter((r) => {
    const key = `${r.range.start}:${r.range.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Analyses a set of in-memory files in one go. */
export function analyze(files: readonly SourceInput[], config: EngineConfig): AnalysisResult {
  const project = new Project(config);
  for (const file of files) project.setFile(file);
  return project.analyzeAll();
}
