import ts from 'typescript';
import { knowledgeOf, knowledgePart } from '../knowledge.js';
import type { DetectorContext } from '../detector.js';
import { rethrowTimeout, typeChecker } from '../budget.js';
import { vocabularyOf } from '../pack.js';
import { accessChain } from '../names/binding.js';
import { resolveName } from '../names/top-level.js';
import { nameMatches, termList, type TermList } from '../sinks/terms.js';
import { unwrap } from '../syntax/ast.js';

interface SyntheticData {
  generators: string[];
  sources: string[];
  ids: string[];
  modules: string[];
}

const LISTS = knowledgePart(
  'synthetic-data',
  (config): { generators: TermList; sources: TermList; ids: TermList; modules: Set<string> } => {
    const data = vocabularyOf<SyntheticData>(config.pack, 'synthetic-data');
    return {
      generators: termList(data.generators),
      sources: termList(data.sources),
      ids: termList(data.ids),
      modules: new Set(data.modules),
    };
  },
);

function vocabulary(ctx: DetectorContext): {
  generators: TermList;
  sources: TermList;
  ids: TermList;
  modules: Set<string>;
} {
  return knowledgeOf(ctx.config).get(LISTS);
}

/** How many calls deep a generator's helpers are followed (`generateQueueData` -> `generatePatient` -> `pick`). */
const MAX_HOPS = 2;

/**
 * Does `call` make up its value? A function whose name says it generates, mocks or fakes data
 * (`generateDemoPatient`, `mockLabResults`) and whose body, or the helpers of its class or file it
 * calls, draws the values at random (`Math.random()`, a faker, `pickRandom(LIST)`) without reading
 * anything (no `await`): what it returns is nobody's data, whatever its type says. A random id
 * (`randomUUID()`) is not a drawn value: real records get one too. Data: `rules/vocabulary/synthetic-data.yaml`.
 */
export function isSyntheticGenerator(call: ts.CallExpression, ctx: DetectorContext): boolean {
  // The name at the call site first: resolving every call would ask the checker for most of them.
  const called = accessChain(unwrap(call.expression)).names.pop();
  if (called === undefined || !nameMatches(called, vocabulary(ctx).generators, 'start')) return false;
  const fn = calledFunction(call, ctx);
  if (!fn || !fn.name || (!ts.isIdentifier(fn.name) && !ts.isPrivateIdentifier(fn.name))) return false;
  if (!nameMatches(fn.name.text, vocabulary(ctx).generators, 'start')) return false;
  const seen = new Set<ts.Node>();
  return drawsAtRandom(fn, ctx, seen, 0) === 'random';
}

type Draw = 'random' | 'reads' | 'none';

/** Whether a function body draws values at random ('random'), reads something ('reads': it may return real data) or neither. */
function drawsAtRandom(fn: ts.FunctionLikeDeclaration, ctx: DetectorContext, seen: Set<ts.Node>, hops: number): Draw {
  if (seen.has(fn) || !fn.body) return 'none';
  seen.add(fn);
  const v = vocabulary(ctx);
  let random = false;
  let reads = false;
  const visit = (n: ts.Node): void => {
    if (reads) return;
    ctx.tick();
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n)) {
      reads = true;
      return;
    }
    if (ts.isCallExpression(n)) {
      const { names, root } = accessChain(n.expression);
      const last = names[names.length - 1];
      const drawn = last !== undefined && nameMatches(last, v.sources, 'start') && !nameMatches(last, v.ids, 'start');
      if (names.join('.') === 'Math.random' || drawn || fromRandomModule(root, v.modules)) random = true;
      else if (hops < MAX_HOPS) {
        const helper = calledFunction(n, ctx);
        if (helper && helper !== fn) {
          const inner = drawsAtRandom(helper, ctx, seen, hops + 1);
          if (inner === 'reads') reads = true;
          else if (inner === 'random') random = true;
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return reads ? 'reads' : random ? 'random' : 'none';
}

/** `faker.person.fullName()`, `chance.name()`: a call on a value imported from a fake-data package. */
function fromRandomModule(root: ts.Expression, modules: Set<string>): boolean {
  if (!ts.isIdentifier(root)) return false;
  const source = root.getSourceFile();
  for (const statement of source.statements) {
    if (
      !ts.isImportDeclaration(statement) ||
      !ts.isStringLiteral(statement.moduleSpecifier) ||
      !modules.has(statement.moduleSpecifier.text)
    )
      continue;
    const clause = statement.importClause;
    if (!clause) continue;
    if (clause.name?.text === root.text) return true;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === root.text) return true;
    if (bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => e.name.text === root.text))
      return true;
  }
  return false;
}

/** The function a call runs: a function of its file or one it imports, a method of its class, or (with the checker) any method. */
function calledFunction(call: ts.CallExpression, ctx: DetectorContext): ts.FunctionLikeDeclaration | undefined {
  const callee = unwrap(call.expression);
  const sf = call.getSourceFile();
  let found: ts.Node | undefined;
  if (ts.isIdentifier(callee)) found = resolveName(callee.text, sf, ctx.project)?.node;
  else if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    let cls: ts.Node | undefined = callee.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    found = cls?.members.find((m) => ts.isMethodDeclaration(m) && m.name.getText() === callee.name.text);
  }
  if (!found && ts.isPropertyAccessExpression(callee) && ctx.options['typeAware'] !== false) {
    try {
      const symbol = typeChecker(ctx, callee).getSymbolAtLocation(callee.name);
      found = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    } catch (error) {
      rethrowTimeout(error);
      found = undefined;
    }
  }
  if (found && ts.isVariableDeclaration(found) && found.initializer) found = unwrap(found.initializer);
  return found && ts.isFunctionLike(found) && 'body' in found ? found : undefined;
}
