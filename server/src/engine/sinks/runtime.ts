import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { vocabularyOf } from '../pack.js';
import type { TsProject } from '../ts-project.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

/**
 * Where a file's code runs: only on the user's side (a browser, a phone), on a server, or not
 * known. A `console.*` call on the user's side writes to a console nobody collects, unless the
 * application forwards it (Sentry `captureConsole`, LogRocket, Datadog RUM `forwardConsoleLogs`,
 * its own `console.log = ...`). Data: `rules/vocabulary/runtimes.yaml`.
 */
type Runtime = 'client' | 'server' | 'unknown';

interface RuntimeData {
  clientModules: string[];
  serverModules: string[];
  clientDirectives: string[];
  serverDirectives: string[];
  clientGlobals: string[];
  clientHooks: string[];
  serverPaths: string[];
  captureModules: string[];
  captureCalls: string[];
  captureOptions: string[];
}

interface Vocabulary {
  client: (m: string) => boolean;
  server: (m: string) => boolean;
  clientDirectives: Set<string>;
  serverDirectives: Set<string>;
  clientUse: RegExp;
  serverPaths: RegExp[];
  captureModules: (m: string) => boolean;
  /** Quick text test before the syntax walk. */
  capture: RegExp;
  captureNames: Set<string>;
}

const RUNTIMES = knowledgePart('runtimes', (config): Vocabulary => {
  const d = vocabularyOf<RuntimeData>(config.pack, 'runtimes');
  const words = (list: string[]) => list.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const globals = d.clientGlobals;
  const hooks = d.clientHooks;
  const calls = d.captureCalls;
  const options = d.captureOptions;
  return {
    client: moduleMatcher(d.clientModules),
    server: moduleMatcher(d.serverModules),
    clientDirectives: new Set(d.clientDirectives),
    serverDirectives: new Set(d.serverDirectives),
    clientUse: new RegExp(`\\b(?:(?:${words(globals)})\\s*\\.|(?:${words(hooks)})\\s*\\()`),
    serverPaths: d.serverPaths.map((p) => new RegExp(p)),
    captureModules: moduleMatcher(d.captureModules),
    // A call or option that forwards console output, or the application replacing console methods itself.
    capture: new RegExp(
      `\\b(?:${words([...calls, ...options])})\\b|\\bconsole\\s*(?:\\.\\s*\\w+|\\[[^\\]]+\\])\\s*=[^=]`,
    ),
    captureNames: new Set([...calls, ...options]),
  };
});

function vocabulary(ctx: DetectorContext): Vocabulary {
  return knowledgeOf(ctx.config).get(RUNTIMES);
}

/** `@mui/*`, `node:*`, `expo-*`: a trailing `*` matches any rest. */
function moduleMatcher(list: readonly string[]): (m: string) => boolean {
  const exact = new Set(list.filter((x) => !x.endsWith('*')));
  const prefixes = list.filter((x) => x.endsWith('*')).map((x) => x.slice(0, -1));
  return (m) => exact.has(m) || prefixes.some((p) => m.startsWith(p));
}

interface RuntimePart {
  own: Runtime;
  imports: string[];
  captures: boolean;
  /** Starts its own work and keeps nothing running: a job run by hand or once (`node fix-records.js`). */
  oneShot: boolean;
}

function partOf(path: string, sf: ts.SourceFile, v: Vocabulary): RuntimePart {
  let client = false;
  let server = v.serverPaths.some((p) => p.test(path));
  let captures = v.capture.test(sf.text) && forwardsConsole(sf, v);
  const imports: string[] = [];
  for (const statement of sf.statements) {
    if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) {
      if (v.clientDirectives.has(statement.expression.text)) client = true;
      if (v.serverDirectives.has(statement.expression.text)) server = true;
      continue;
    }
    const specifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
    if (specifier && ts.isStringLiteral(specifier)) imports.push(specifier.text);
  }
  for (const m of sf.text.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) imports.push(m[1]!);
  for (const m of imports) {
    if (v.client(m)) client = true;
    if (v.server(m)) server = true;
    if (v.captureModules(m)) captures = true;
  }
  if (!client && v.clientUse.test(sf.text)) client = true;
  // Code that does both (a page with server-side data loading) is not only on the user's side.
  const own: Runtime = server ? 'server' : client ? 'client' : 'unknown';
  // A server's own console forwarding (a serverless wrapper) says nothing about the browser's console.
  return {
    own,
    imports: imports.filter((m) => m.startsWith('.') || m.startsWith('/') || m.startsWith('@/') || m.startsWith('~/')),
    captures: captures && own !== 'server',
    oneShot: runsItself(sf) && !LONG_RUNNING.test(sf.text),
  };
}

/** A server, a scheduler, a queue worker or a timer: a process that keeps running, whose output a platform keeps. */
const LONG_RUNNING =
  /\.listen\s*\(|\bcreateServer\s*\(|\bNestFactory\b|\bsetInterval\s*\(|\bcron\b|\bCronJob\b|\bschedule(Job)?\s*\(|\.process\s*\(|\bnew\s+Worker\b|\.subscribe\s*\(|\.consume\s*\(|\bserverless\b|\bexports\.handler\b|\bexport\s+(const|async\s+function|function)\s+handler\b/;

/**
 * The file starts its own work at top level: it calls a function it declares (`main()`,
 * `run().then(...)`), an inline one (`(async () => {...})()`), or guards a call with
 * `require.main === module`. Top-level calls of other things (`router.get(...)`, `Model.init(...)`)
 * only set up a module that something else runs.
 */
function runsItself(sf: ts.SourceFile): boolean {
  const declared = new Set<string>();
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name) declared.add(st.name.text);
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (
          ts.isIdentifier(d.name) &&
          d.initializer &&
          (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))
        )
          declared.add(d.name.text);
      }
    }
  }
  const starts = (e: ts.Expression): boolean => {
    let x = e;
    while (ts.isAwaitExpression(x) || ts.isVoidExpression(x) || ts.isParenthesizedExpression(x)) x = x.expression;
    // run().then(...).catch(...): the chain starts with the call.
    while (
      ts.isCallExpression(x) &&
      ts.isPropertyAccessExpression(x.expression) &&
      /^(then|catch|finally)$/.test(x.expression.name.text)
    )
      x = x.expression.expression;
    if (!ts.isCallExpression(x)) return false;
    let callee: ts.Expression = x.expression;
    while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
    return (
      (ts.isIdentifier(callee) && declared.has(callee.text)) ||
      ts.isArrowFunction(callee) ||
      ts.isFunctionExpression(callee)
    );
  };
  return sf.statements.some(
    (st) =>
      (ts.isExpressionStatement(st) && starts(st.expression)) ||
      (ts.isIfStatement(st) && /\brequire\.main\s*===?\s*module\b/.test(st.expression.getText(sf))),
  );
}

/** Code (not text in a string) that forwards the console: a capture integration or option, or `console.x = ...`. */
function forwardsConsole(sf: ts.SourceFile, v: Vocabulary): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && v.captureNames.has(n.text)) found = true;
    else if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      (ts.isPropertyAccessExpression(n.left) || ts.isElementAccessExpression(n.left)) &&
      ts.isIdentifier(n.left.expression) &&
      n.left.expression.text === 'console'
    )
      found = true;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

interface RuntimeIndex {
  version: number;
  /** Import resolutions only change when files are added or removed. */
  filesVersion: number;
  resolutions: Map<string, string | undefined>;
  parts: Map<string, RuntimePart>;
  /** Project file -> the project files that import it. */
  importers: Map<string, string[]>;
  captures: boolean;
}

const indexes = new WeakMap<TsProject, RuntimeIndex>();

function runtimeIndex(ctx: DetectorContext): RuntimeIndex {
  const project = ctx.project.ts;
  const known = indexes.get(project);
  if (known && known.version === project.version) return known;
  const v = vocabulary(ctx);
  const parts = new Map<string, RuntimePart>();
  const importers = new Map<string, string[]>();
  const resolutions =
    known && known.filesVersion === project.filesVersion ? known.resolutions : new Map<string, string | undefined>();
  let captures = false;
  for (const path of project.paths()) {
    const sf = project.sourceFile(path);
    if (!sf) continue;
    const part = ctx.project.memo(path, 'sinks:runtime', () => partOf(path, sf, v));
    parts.set(path, part);
    if (part.captures && ctx.project.inScope(path)) captures = true;
    for (const specifier of part.imports) {
      const key = `${path}\0${specifier}`;
      if (!resolutions.has(key)) resolutions.set(key, project.resolveImport(specifier, path));
      const target = resolutions.get(key);
      if (target) {
        const list = importers.get(target);
        if (list) list.push(path);
        else importers.set(target, [path]);
      }
    }
  }
  const index = {
    version: project.version,
    filesVersion: project.filesVersion,
    resolutions,
    parts,
    importers,
    captures,
  };
  indexes.set(project, index);
  return index;
}

/**
 * Whether the file's code runs only on the user's side: it says so itself (`'use client'`, a UI
 * framework or a browser API, React hooks), or, saying nothing, every project file that imports
 * it does (a component's helper module).
 */
export function runsOnlyOnClient(ctx: DetectorContext): boolean {
  const index = runtimeIndex(ctx);
  const decide = (path: string, seen: Set<string>): boolean => {
    const part = index.parts.get(path);
    if (!part || part.own === 'server') return false;
    if (part.own === 'client') return true;
    if (seen.has(path) || seen.size > 6) return false;
    seen.add(path);
    // Tests, stories and fixtures that import it do not run in production: only production importers count.
    const by = (index.importers.get(path) ?? []).filter((p) => ctx.project.inScope(p));
    return by.length > 0 && by.every((p) => decide(p, seen));
  };
  return decide(ctx.file.path, new Set());
}

/**
 * A script run by hand or once: it starts its own work, keeps nothing running, and no project
 * file imports it. What its console prints goes to whoever runs it, not to a kept log.
 */
export function runsAsOneShotScript(ctx: DetectorContext): boolean {
  const index = runtimeIndex(ctx);
  return !!index.parts.get(ctx.file.path)?.oneShot && (index.importers.get(ctx.file.path) ?? []).length === 0;
}

/**
 * Whether what this file's `console.*` prints is kept: not on the user's side unless the app
 * forwards that console, and not the terminal of whoever runs a one-shot script.
 */
export function consoleKept(ctx: DetectorContext): boolean {
  // Not memoised per file: it depends on other files (the importers, a console forwarder anywhere).
  return !((runsOnlyOnClient(ctx) && !consoleCaptured(ctx)) || runsAsOneShotScript(ctx));
}

/** Whether some file of the project forwards console output somewhere it is kept. */
export function consoleCaptured(ctx: DetectorContext): boolean {
  return runtimeIndex(ctx).captures;
}
