import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import type { ProjectFacts } from '../facts.js';
import { importSource } from '../names/top-level.js';
import { accessChain, requireOf } from '../names/binding.js';
import { unwrap } from '../syntax/ast.js';
import { callsOf } from '../syntax/node-index.js';
import { LineIndex } from '../text.js';
import type { Range } from '../types.js';
import { exportKnowledge } from './knowledge.js';
import { staticText } from './static-text.js';

/** A directory the application serves as static content: anyone who can reach the app can download what is in it. */
interface ServedDirectory {
  /** The directory as the code tells it (`{__dirname}/../exports`, `/var/lab/public`). */
  dir: string;
  /** The call that serves it: `express.static`, `useStaticAssets`, `@fastify/static`. */
  via: string;
  file: string;
  range: Range;
}

class ServedIndex {
  readonly byFile = new Map<string, ServedDirectory[]>();
  syncedWith = -1;
}

/**
 * Every directory the project's production code serves as static content (`app.use(express.static(dir))`,
 * `serveStatic(dir)`, koa-static, `@fastify/static`'s `root`, NestJS `useStaticAssets` and
 * `ServeStaticModule.forRoot({ rootPath })`). Collected once per file version, like the routes.
 */
export function servedDirectories(facts: ProjectFacts): ServedDirectory[] {
  const index = facts.index('exports:served', () => new ServedIndex());
  if (index.syncedWith !== facts.ts.version) {
    const paths = facts.ts.paths().filter((p) => facts.inScope(p));
    const present = new Set(paths);
    for (const path of [...index.byFile.keys()]) if (!present.has(path)) index.byFile.delete(path);
    for (const path of paths) {
      facts.memo(path, 'exports:served', () => {
        const source = facts.ts.sourceFile(path);
        const found = source ? collectServed(path, source, facts) : [];
        if (found.length > 0) index.byFile.set(path, found);
        else index.byFile.delete(path);
        return true;
      });
    }
    index.syncedWith = facts.ts.version;
  }
  return [...index.byFile.values()].flat();
}

const QUICK = /static|serve|Static/;

function collectServed(path: string, source: ts.SourceFile, facts: ProjectFacts): ServedDirectory[] {
  if (!QUICK.test(source.text)) return [];
  const known = exportKnowledge(facts.config).servedDirectories;
  const ctx = contextOf(path, source, facts);
  const out: ServedDirectory[] = [];
  for (const call of callsOf(source)) {
    if (!ts.isCallExpression(call)) continue;
    const served = servedArgument(call, known);
    if (!served) continue;
    const dir = staticText(served.arg, ctx, 0, true);
    out.push({ dir, via: served.via, file: path, range: { start: call.getStart(source), end: call.end } });
  }
  return out;
}

function servedArgument(
  call: ts.CallExpression,
  known: { calls: string[]; modules: string[]; options: string[] },
): { arg: ts.Expression; via: string } | undefined {
  const callee = unwrap(call.expression);
  const { names } = accessChain(callee);
  const path = names.join('.');
  const first = call.arguments[0];
  const optionOrSelf = (arg: ts.Expression | undefined): ts.Expression | undefined => {
    if (!arg) return undefined;
    const e = unwrap(arg);
    if (!ts.isObjectLiteralExpression(e)) return arg;
    for (const p of e.properties) {
      if (ts.isPropertyAssignment(p) && known.options.includes(p.name.getText().replace(/['"]/g, '')))
        return p.initializer;
    }
    return undefined;
  };
  // express.static(dir), app.useStaticAssets(dir), ServeStaticModule.forRoot({ rootPath })
  const byPath = known.calls.find(
    (c) => path === c || path.endsWith(`.${c}`) || (!c.includes('.') && names[names.length - 1] === c),
  );
  if (byPath) {
    const arg = optionOrSelf(first);
    return arg ? { arg, via: byPath } : undefined;
  }
  // serve(dir) imported from koa-static / serve-static
  const source = call.getSourceFile();
  if (ts.isIdentifier(callee)) {
    const module = importSource(callee.text, source)?.module;
    if (module && known.modules.includes(module)) {
      const arg = optionOrSelf(first);
      return arg ? { arg, via: module } : undefined;
    }
  }
  // fastify.register(fastifyStatic, { root }) / register(require('@fastify/static'), { root })
  if (names[names.length - 1] === 'register' && first && call.arguments[1]) {
    const plugin = unwrap(first);
    const module = ts.isIdentifier(plugin) ? importSource(plugin.text, source)?.module : requireOf(plugin);
    if (module && known.modules.includes(module)) {
      const arg = optionOrSelf(call.arguments[1]);
      return arg && arg !== call.arguments[1] ? { arg, via: module } : undefined;
    }
  }
  return undefined;
}

/** A detector context for another file of the project (reports dropped), to resolve its constants. */
export function contextOf(path: string, source: ts.SourceFile, facts: ProjectFacts): DetectorContext {
  return {
    file: {
      path,
      text: source.text,
      language: /\.[cm]?tsx?$/.test(path) ? 'typescript' : 'javascript',
      lines: new LineIndex(source.text),
      ts: source,
      role: facts.roleOf(path),
    },
    config: facts.config,
    project: facts,
    options: {},
    report: () => undefined,
    tick: () => undefined,
    note: () => undefined,
  };
}

/**
 * The served directory a path is in: both absolute (a prefix), or the literal folders at the end
 * of the served directory (`{__dirname}/../exports` -> `exports`) found as consecutive folders of
 * the path. Placeholders (`{dir}`) alone match nothing.
 */
export function servedDirectoryOf(target: string, served: readonly ServedDirectory[]): ServedDirectory | undefined {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const t = norm(target);
  const folders = t.split('/').slice(0, -1);
  for (const s of served) {
    const dir = norm(s.dir);
    if (dir.startsWith('/') && t.startsWith('/')) {
      if (t.startsWith(`${dir}/`)) return s;
      continue;
    }
    const literal =
      dir.split(/[{}$]/).length === 1
        ? dir.split('/')
        : dir
            .slice(Math.max(dir.lastIndexOf('}'), dir.lastIndexOf('$')) + 1)
            .split('/')
            .slice(1);
    const tail = literal.filter((x) => x && x !== '.' && x !== '..');
    if (tail.length === 0) continue;
    const found = folders.some((_f, i) =>
      tail.every((part, j) => folders[i + j]?.toLowerCase() === part.toLowerCase()),
    );
    if (found) return s;
  }
  return undefined;
}
