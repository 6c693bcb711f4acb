import ts from 'typescript';
import type { EngineConfig } from '../config.js';
import type { ProjectFacts } from '../facts.js';
import { vocabularyOf } from '../pack.js';
import { localDeclarationOf } from '../names/locals.js';
import { importSource, localDeclaration, resolveName } from '../names/top-level.js';
import { calleeName, lastSegment, propertyValue, unwrap } from '../syntax/ast.js';
import { nodesOfKind } from '../syntax/node-index.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

/** One entry of `rules/vocabulary/storage-sinks.yaml`. */
interface SinkCall {
  name: string | string[];
  receiver?: string[];
  receiverFrom?: string[];
  receiverIsCall?: boolean;
  module?: string[];
  /** The receiver is a property of an instance of one of these classes or of a subclass (`db.results` of a Dexie subclass). */
  receiverOwner?: string[];
  /** The argument is an object literal and the stored value is this property of it (`cookies().set({ name, value })`). */
  objectKey?: string;
  arg: number;
  rest?: boolean;
  where: string;
}

interface SinkAssignment {
  target: string;
  where: string;
}

interface SinkData {
  calls?: SinkCall[];
  assignments?: SinkAssignment[];
}

/** A value stored outside the database. */
interface StoredValue {
  value: ts.Expression;
  /** Where it goes, for the message: `localStorage`, `a file`, `a cookie`... */
  where: string;
}

/**
 * Every value a file writes to files, browser storage, cookies or caches. Syntactic: no type
 * checker; with `facts`, receivers' classes are also followed through relative imports.
 */
export function storedValues(file: ts.SourceFile, config: EngineConfig, facts?: ProjectFacts): StoredValue[] {
  const { data, byName, quick } = compiled(config);
  if (!quick.test(file.text)) return [];
  const out: StoredValue[] = [];
  for (const node of nodesOfKind(file, ts.SyntaxKind.CallExpression, ts.SyntaxKind.BinaryExpression)) {
    if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : undefined;
      // `import { set as idbSet } from 'idb-keyval'`: the function answers to the name it was imported by.
      const imported = ts.isIdentifier(callee) ? importSource(callee.text, file)?.imported : undefined;
      const candidates = [
        ...((name && byName.get(name)) || []),
        ...(imported && imported !== name ? (byName.get(imported) ?? []).filter((s) => s.module) : []),
      ];
      for (const sink of candidates) {
        const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
        if (!matches(sink, receiver, callee, file, facts)) continue;
        if (sink.objectKey) {
          const object = node.arguments[sink.arg] && unwrap(node.arguments[sink.arg]!);
          const value =
            object && ts.isObjectLiteralExpression(object) ? propertyValue(object, sink.objectKey) : undefined;
          if (!value) continue;
          out.push({ value, where: sink.where });
          break;
        }
        const args = sink.rest ? node.arguments.slice(sink.arg) : node.arguments.slice(sink.arg, sink.arg + 1);
        const where = sink.where === '$receiver' && receiver ? plainReceiver(receiver) : sink.where;
        for (const value of args) out.push({ value, where });
        break;
      }
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = plainReceiver(node.left);
      const assignment = (data.assignments ?? []).find(
        (a) => a.target === target || (a.target.endsWith('.*') && target.startsWith(a.target.slice(0, -1))),
      );
      if (assignment) out.push({ value: node.right, where: assignment.where });
    }
  }
  return out;
}

/** The sinks by method name, and a quick test that a file may contain one (most files do not). */
const STORAGE_SINKS = knowledgePart(
  'storage-sinks',
  (config): { data: SinkData; byName: Map<string, SinkCall[]>; quick: RegExp } => {
    const data = vocabularyOf<SinkData>(config.pack, 'storage-sinks');
    const byName = new Map<string, SinkCall[]>();
    for (const call of data.calls ?? []) {
      for (const name of Array.isArray(call.name) ? call.name : [call.name])
        byName.set(name, [...(byName.get(name) ?? []), call]);
    }
    const targets = (data.assignments ?? []).map((a) => a.target.replace(/\.\*$/, '').split('.').pop()!);
    const words = [...byName.keys(), ...targets].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return { data, byName, quick: new RegExp(`\\b(?:${words.join('|')})\\b`) };
  },
);

function compiled(config: EngineConfig) {
  return knowledgeOf(config).get(STORAGE_SINKS);
}

function matches(
  sink: SinkCall,
  receiver: ts.Expression | undefined,
  callee: ts.Expression,
  file: ts.SourceFile,
  facts?: ProjectFacts,
): boolean {
  if (sink.receiver && (!receiver || !sink.receiver.includes(plainReceiver(receiver)))) return false;
  if (sink.receiverOwner && (!receiver || !ownedBy(receiver, sink.receiverOwner, file, facts))) return false;
  if (sink.module) {
    // `set(...)` imported from the module, or `idb.set(...)` on its namespace or default import.
    const owner = ts.isIdentifier(callee)
      ? callee
      : receiver && ts.isIdentifier(unwrap(receiver))
        ? (unwrap(receiver) as ts.Identifier)
        : undefined;
    if (!owner) return false;
    const source = importSource(owner.text, file);
    if (!source || !sink.module.includes(source.module)) return false;
    if (owner !== callee && source.imported !== '*' && source.imported !== 'default') return false;
  }
  if (sink.receiverFrom) {
    if (!receiver) return false;
    const origin = originCall(receiver, 0);
    if (!origin) return false;
    if (sink.receiverIsCall && !ts.isCallExpression(unwrap(receiver))) return false;
    const name = calleeName(origin.expression) ?? '';
    if (!sink.receiverFrom.some((r) => r === name || r === lastSegment(name) || name.endsWith(`.${r}`))) return false;
  }
  return true;
}

/** The call or `new` that created a receiver: followed through locals, `await` and chained calls. */
function originCall(expression: ts.Expression, depth: number): ts.CallExpression | ts.NewExpression | undefined {
  if (depth > 5) return undefined;
  const e = unwrap(expression);
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const d = localDeclarationOf(e);
    if (d && ts.isVariableDeclaration(d) && d.initializer) return originCall(d.initializer, depth + 1);
    if (d && ts.isParameter(d) && d.type && ts.isTypeReferenceNode(d.type)) return undefined;
  }
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return undefined;
  return undefined;
}

/** `window.localStorage` -> `localStorage`, `this.res` -> `res`, `cookies()` kept. */
function plainReceiver(e: ts.Expression): string {
  const text = unwrap(e).getText().replace(/\s+/g, '');
  return text.replace(/^(window|globalThis|self|this)\./, '');
}

/** `db.results` where `db` is `new Dexie(...)`, or an instance of a class extending it; `this.results` inside such a class. */
function ownedBy(receiver: ts.Expression, classes: string[], file: ts.SourceFile, facts?: ProjectFacts): boolean {
  const e = unwrap(receiver);
  if (!ts.isPropertyAccessExpression(e)) return false;
  const owner = unwrap(e.expression);
  if (owner.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = ts.findAncestor(e, ts.isClassLike);
    return !!cls && extendsOneOf(cls, classes, file, facts, 0);
  }
  if (!ts.isIdentifier(owner)) return false;
  let init: ts.Node | undefined;
  let initFile = file;
  const local = localDeclarationOf(owner);
  if (local && ts.isVariableDeclaration(local)) init = local.initializer;
  else if (facts && local && (ts.isImportSpecifier(local) || ts.isImportClause(local))) {
    const resolved = resolveName(owner.text, file, facts);
    if (resolved) ({ node: init, file: initFile } = resolved);
  }
  const created = init && ts.isExpression(init) ? unwrap(init) : undefined;
  if (!created || !ts.isNewExpression(created)) return false;
  return isOneOf(created.expression, classes, initFile, facts, 0);
}

function isOneOf(
  expression: ts.Expression,
  classes: string[],
  file: ts.SourceFile,
  facts: ProjectFacts | undefined,
  depth: number,
): boolean {
  if (!ts.isIdentifier(expression) || depth > 3) return false;
  if (classes.includes(expression.text)) return true;
  const local = localDeclaration(expression.text, file);
  const resolved = local ? { node: local, file } : facts ? resolveName(expression.text, file, facts) : undefined;
  return (
    !!resolved && ts.isClassLike(resolved.node) && extendsOneOf(resolved.node, classes, resolved.file, facts, depth + 1)
  );
}

function extendsOneOf(
  cls: ts.ClassLikeDeclaration,
  classes: string[],
  file: ts.SourceFile,
  facts: ProjectFacts | undefined,
  depth: number,
): boolean {
  const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  return !!base && isOneOf(base, classes, file, facts, depth);
}
