import type { Diagnostic } from 'vscode-languageserver';
import type { AnalysisNote, FileResult, Finding, LineIndex } from '../engine/index.js';
import { findingKey, toDiagnostic, type ConvertContext } from './convert.js';
import { dependsOn, factsChange, snapshotFacts, type FactsChange } from './facts-change.js';
import { routesSignature } from './routes.js';
import type { Settings } from './settings.js';
import type { LintWorkspace } from './workspace.js';

/** One file's analysis as the editor uses it: diagnostics, and the findings (with their fixes) by key. */
export interface FileAnalysis {
  path: string;
  /** The document version analysed; null for a file on disk. */
  version: number | null;
  /** The text analysed: fixes only apply to it. */
  text: string;
  lines: LineIndex;
  /** Findings shown (suppressed ones left out). */
  findings: Finding[];
  byKey: Map<string, Finding>;
  diagnostics: Diagnostic[];
  /** Same id = same diagnostics (pull diagnostics answer `unchanged`). */
  resultId: string;
}

interface AnalyzerHooks {
  workspace(): LintWorkspace;
  /** The open document of a path, if any. */
  openDocument(path: string): { uri: string; version: number; text: string } | undefined;
  settingsFor(path: string): Promise<Settings>;
  convertContext(): ConvertContext;
  onResult(analysis: FileAnalysis, previous: FileAnalysis | undefined): void;
  onBusy(busy: boolean): void;
  /** Tables or routes changed: what is derived from them elsewhere (code lenses) is stale. */
  onFactsChange(): void;
  log(message: string): void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How long typing must pause before the routes and tables of the whole project are compared again after an edit. */
export const ROUTES_QUIET_MS = 200;

/**
 * Schedules analyses: debounced per document (a newer change restarts the wait, so a stale
 * version is never analysed), open documents first, then the files whose results depend on
 * facts that changed, then the workspace in the background, one file per turn of the event
 * loop so that an edit is never stuck behind a workspace scan.
 */
export class Analyzer {
  readonly results = new Map<string, FileAnalysis>();
  private readonly urgent = new Set<string>();
  private readonly background = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private idleWaiters: (() => void)[] = [];
  private readonly loggedErrors = new Set<string>();
  private draining = false;
  private nextResultId = 1;
  /** The routes as of the last comparison: a change re-analyses the code files. */
  private routes: string | undefined;
  /** Edits may have changed other files' routes (a route, a mount, a middleware body) or tables: compare once typing pauses. */
  private routesTimer: NodeJS.Timeout | undefined;
  private routesDue = false;
  /** Table keys whose declarations or deletions changed since the last comparison. */
  private readonly pendingTables = new Set<string>();

  constructor(private readonly hooks: AnalyzerHooks) {}

  /** A document changed: analyse it after `delayMs`; a newer change cancels the pending analysis. */
  schedule(path: string, delayMs: number): void {
    this.postponeRoutesCheck();
    clearTimeout(this.timers.get(path));
    if (delayMs <= 0) {
      this.timers.delete(path);
      this.enqueue(path, true);
      return;
    }
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        this.enqueue(path, true);
      }, delayMs),
    );
  }

  enqueue(path: string, urgent: boolean): void {
    if (urgent) {
      this.background.delete(path);
      this.urgent.add(path);
    } else if (!this.urgent.has(path)) {
      this.background.add(path);
    }
    void this.drain();
  }

  enqueueAll(paths: Iterable<string>): void {
    for (const path of paths) {
      if (this.hooks.openDocument(path)) this.urgent.add(path);
      else if (!this.urgent.has(path)) this.background.add(path);
    }
    void this.drain();
  }

  isPending(path: string): boolean {
    return this.timers.has(path) || this.urgent.has(path) || this.background.has(path);
  }

  /** Files waiting in the queues (open documents first, then the workspace). */
  get queued(): number {
    return this.urgent.size + this.background.size;
  }

  get busy(): boolean {
    return this.draining;
  }

  /** The analysis of the path once nothing is pending for it. */
  whenAnalysed(path: string): Promise<FileAnalysis | undefined> {
    if (!this.isPending(path)) return Promise.resolve(this.results.get(path));
    return new Promise((resolve) => {
      const list = this.waiters.get(path) ?? [];
      list.push(() => resolve(this.results.get(path)));
      this.waiters.set(path, list);
    });
  }

  whenIdle(): Promise<void> {
    if (
      !this.draining &&
      this.urgent.size === 0 &&
      this.background.size === 0 &&
      this.routesTimer === undefined &&
      !this.routesDue
    )
      return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The file left the workspace: drop its result and anything pending. */
  forget(path: string): FileAnalysis | undefined {
    clearTimeout(this.timers.get(path));
    this.timers.delete(path);
    this.urgent.delete(path);
    this.background.delete(path);
    const previous = this.results.get(path);
    this.results.delete(path);
    this.settle(path);
    return previous;
  }

  private next(): string | undefined {
    for (const set of [this.urgent, this.background]) {
      const first = set.values().next();
      if (!first.done) {
        set.delete(first.value);
        return first.value;
      }
    }
    return undefined;
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    this.hooks.onBusy(true);
    try {
      for (;;) {
        const path = this.next();
        if (path === undefined) {
          if (!this.routesDue) break;
          this.routesDue = false;
          this.compareRoutes(undefined, new Set());
          continue;
        }
        try {
          await this.analyse(path);
        } catch (error) {
          this.hooks.log(
            `analysis of ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
        }
        this.settle(path);
        await yieldToEventLoop();
      }
    } finally {
      this.draining = false;
      this.hooks.onBusy(false);
      // Idle only once the pending routes comparison (if any) has run too.
      if (this.routesTimer === undefined) {
        const idle = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of idle) resolve();
      }
    }
  }

  private settle(path: string): void {
    if (this.isPending(path)) return;
    const list = this.waiters.get(path);
    if (!list) return;
    this.waiters.delete(path);
    for (const resolve of list) resolve();
  }

  private async analyse(path: string): Promise<void> {
    const settings = await this.hooks.settingsFor(path);
    // A newer change arrived while the settings were fetched: that analysis supersedes this one.
    if (this.timers.has(path)) return;
    const workspace = this.hooks.workspace();
    const document = this.hooks.openDocument(path);
    if (document) workspace.setOpen(document.uri, path, document.text);
    if (!workspace.has(path)) {
      this.forget(path);
      return;
    }
    const project = workspace.project;
    let findings: Finding[] = [];
    if (settings.enable) {
      const changed = workspace.takeDirty();
      const before = snapshotFacts(project, changed);
      project.refreshFacts();
      // On a large project, resolving its routes, or finding the files that mention a changed
      // table, costs more than the analysis of a file: what a change means for other files (a
      // route, a mount, a middleware body, a table) is worked out once typing pauses, not before
      // this file's diagnostics are published. Only the first routes comparison's reference is taken at once.
      const routes = this.routes === undefined ? routesSignature(project) : undefined;
      if (routes !== undefined) this.routes = routes;
      const change = factsChange(before, project, changed, false);
      for (const table of change?.tables ?? []) this.pendingTables.add(table);
      if ((routes === undefined && changed.size > 0) || this.pendingTables.size > 0) this.postponeRoutesCheck(true);
      const text = workspace.text(path);
      // Between steps the file may change, close, be deleted, or the configuration reload: then this analysis is stale.
      const stale = () => this.isPending(path) || this.hooks.workspace() !== workspace || workspace.text(path) !== text;
      const result = await this.stepThrough(project.analysisSteps(path), stale);
      // Its replacement, if any, is queued already (a deleted file has none).
      if (!result) return;
      this.logNotes(result.notes);
      findings = result.findings.filter((f) => !f.suppressed);
    }
    const lines = workspace.lines(path)!;
    const context = this.hooks.convertContext();
    const diagnostics = findings.map((f) => toDiagnostic(f, lines, context));
    const previous = this.results.get(path);
    const same = previous !== undefined && JSON.stringify(previous.diagnostics) === JSON.stringify(diagnostics);
    const analysis: FileAnalysis = {
      path,
      version: document?.version ?? null,
      text: workspace.text(path) ?? '',
      lines,
      findings,
      byKey: new Map(findings.map((f) => [findingKey(f), f])),
      diagnostics,
      resultId: same ? previous.resultId : String(this.nextResultId++),
    };
    this.results.set(path, analysis);
    this.hooks.onResult(analysis, previous);
  }

  /**
   * Runs an analysis one step (the parse, one rule) per turn of the event loop: a large file never
   * holds the other requests for longer than one step. Undefined when the analysis became stale
   * meanwhile (the rest of it would be thrown away: it is not run).
   */
  private async stepThrough(
    steps: Generator<void, FileResult, void>,
    stale: () => boolean,
  ): Promise<FileResult | undefined> {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await yieldToEventLoop();
      if (stale()) {
        steps.return(undefined as never);
        return undefined;
      }
    }
  }

  /** Restarts the wait before a pending routes comparison (`arm` asks for one). */
  private postponeRoutesCheck(arm = false): void {
    if (!arm && this.routesTimer === undefined) return;
    clearTimeout(this.routesTimer);
    this.routesTimer = setTimeout(() => {
      this.routesTimer = undefined;
      this.routesDue = true;
      void this.drain();
    }, ROUTES_QUIET_MS);
  }

  /**
   * Compares the routes with the last comparison, and takes the tables changed since: the code
   * files analysed with the old routes, and the files that mention a changed table, are redone.
   */
  private compareRoutes(path: string | undefined, changed: ReadonlySet<string>): void {
    const routes = routesSignature(this.hooks.workspace().project);
    const differs = this.routes !== undefined && routes !== this.routes;
    this.routes = routes;
    const tables = new Set(this.pendingTables);
    this.pendingTables.clear();
    if (differs || tables.size > 0) this.reanalyseDependents({ tables, routes: differs }, path, changed);
  }

  /** Files not analysed yet are queued already; those analysed with the old facts are redone. */
  private reanalyseDependents(change: FactsChange, path: string | undefined, changed: ReadonlySet<string>): void {
    const workspace = this.hooks.workspace();
    this.hooks.onFactsChange();
    for (const other of this.results.keys()) {
      if (other !== path && !changed.has(other) && dependsOn(change, other, workspace.text(other) ?? ''))
        this.enqueue(other, this.hooks.openDocument(other) !== undefined);
    }
  }

  /** A detector that throws loses its findings for the file; say so once per (rule, file). */
  private logNotes(notes: AnalysisNote[]): void {
    for (const note of notes) {
      if (note.kind !== 'detector-error') continue;
      const rule = note.message.split(':')[0] ?? '';
      const key = `${rule}\u0000${note.file}`;
      if (this.loggedErrors.has(key)) continue;
      this.loggedErrors.add(key);
      this.hooks.log(`detector error in ${note.file}: ${note.message} (its findings for this file are skipped)`);
    }
  }
}
