import ts from 'typescript';

/** `rules/vocabulary/export-sinks.yaml`: where query results leave the application. */
export interface ExportSinks {
  files: string[];
  streamReceivers: string;
  streams: string[];
  httpMethods: string[];
  httpReceivers: string;
  httpFunctions: string[];
  queues: string[];
  queueReceivers: string;
  mail: string[];
  downloadCalls: string[];
  downloadMarkers: string;
}

export const DEFAULT_EXPORT_SINKS: ExportSinks = {
  files: ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'outputFile', 'outputJson', 'writeJson', 'writeRecords', 'fastPut', 'uploadFrom', 'putObject', 'upload'],
  streamReceivers: '(stream|file|out|writer|csv|ws)',
  streams: ['pipe', 'pipeline'],
  httpMethods: ['post', 'put', 'patch', 'request'],
  httpReceivers: '(axios|got|http|request|client|api|partner)',
  httpFunctions: ['fetch', 'axios', 'got'],
  queues: ['sendToQueue', 'publish', 'produce', 'sendMessage'],
  queueReceivers: '(producer|kafka|sqs|queue|channel)',
  mail: ['sendMail'],
  downloadCalls: ['attachment', 'download'],
  downloadMarkers: '(content-disposition|text/csv)',
};

export type SinkKind = 'file' | 'stream' | 'download' | 'http' | 'queue' | 'mail';

export interface ExportSink {
  kind: SinkKind;
  /** The sink call as written, shortened: `writeFile`, `axios.post`, `res.attachment(...).send`. */
  name: string;
  node: ts.Node;
}

type FunctionNode = ts.FunctionLikeDeclaration;

function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isGetAccessor(n) || ts.isConstructorDeclaration(n)) return n;
  }
  return undefined;
}

/** The outermost function (a callback's own enclosing function counts: `rows.forEach(r => ...)` stays in scope). */
function scopeFunction(node: ts.Node): ts.Node {
  let fn: ts.Node | undefined = enclosingFunction(node);
  // A callback passed inline (`router.get('/x', async (req, res) => ...)`) is its own scope; a `.then(cb)`/forEach is not.
  while (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isCallExpression(fn.parent) && isChainCallback(fn.parent)) {
    const outer = enclosingFunction(fn);
    if (!outer) break;
    fn = outer;
  }
  return fn ?? node.getSourceFile();
}

function isChainCallback(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && /^(then|map|forEach|filter|flatMap|reduce|each|on)$/.test(callee.name.text);
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isIdentifier(callee)) return callee.text;
  return undefined;
}

/** `a.b.c` of a callee's receiver, calls and `this` kept as written: `this.http`, `res.attachment('x')`. */
function receiverText(call: ts.CallExpression, source: ts.SourceFile): string {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) ? callee.expression.getText(source) : '';
}

/** Names bound by a declaration: `x`, `{ rows }`, `[first]`. */
function boundNames(name: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) out.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) boundNames(element.name, out);
}

/**
 * Follows the value of `start` (a query call, awaited or not) within its function: through
 * variables, destructuring, property reads (`.rows`), transformations (`stringify(rows)`,
 * `rows.map(...)`, `JSON.stringify`), object literals and templates, up to a call that takes it
 * out of the application: a file write, a stream, a CSV download, an HTTP call to another
 * system, a message queue, a mail. Returns that sink, or undefined when the value only goes back
 * to the caller (a screen) or nowhere known.
 */
export function exportSinkOf(start: ts.Node, source: ts.SourceFile, sinks: ExportSinks = DEFAULT_EXPORT_SINKS): ExportSink | undefined {
  const scope = scopeFunction(start);
  const streamReceivers = new RegExp(sinks.streamReceivers, 'i');
  const httpReceivers = new RegExp(sinks.httpReceivers, 'i');
  const queueReceivers = new RegExp(sinks.queueReceivers, 'i');
  const downloadMarkers = new RegExp(sinks.downloadMarkers, 'i');
  const scopeText = scope.getText(source);
  const isDownloadFunction = sinks.downloadCalls.some((c) => scopeText.includes(`.${c}(`)) || downloadMarkers.test(scopeText);

  const sinkFor = (call: ts.CallExpression, asReceiver: boolean): ExportSink | undefined => {
    const name = calleeName(call);
    if (!name) return undefined;
    const receiver = receiverText(call, source);
    const short = receiver.replace(/\((?:[^()]|\([^()]*\))*\)/g, '(...)').replace(/\s+/g, '');
    const shortLabel = short ? `${short.length > 48 ? '…' + short.slice(-47) : short}.${name}` : name;
    if (asReceiver) return sinks.streams.includes(name) ? { kind: 'stream', name: shortLabel, node: call } : undefined;
    if (sinks.files.includes(name)) return { kind: 'file', name: shortLabel, node: call };
    if (sinks.streams.includes(name)) return { kind: 'stream', name: shortLabel, node: call };
    if ((name === 'write' || name === 'end' || name === 'push') && streamReceivers.test(lastWord(receiver))) return { kind: 'stream', name: shortLabel, node: call };
    if (sinks.httpFunctions.includes(name) && ts.isIdentifier(call.expression)) return { kind: 'http', name: shortLabel, node: call };
    if (sinks.httpMethods.includes(name) && httpReceivers.test(lastWord(receiver))) return { kind: 'http', name: shortLabel, node: call };
    if (sinks.queues.includes(name) || ((name === 'send' || name === 'add') && queueReceivers.test(lastWord(receiver)))) return { kind: 'queue', name: shortLabel, node: call };
    if (sinks.mail.includes(name)) return { kind: 'mail', name: shortLabel, node: call };
    if (/^(send|end|write|json)$/.test(name) && (sinks.downloadCalls.some((c) => receiver.includes(`.${c}(`)) || (isDownloadFunction && /^(res|response|reply|ctx|h)\b/.test(receiver)))) {
      return { kind: 'download', name: shortLabel, node: call };
    }
    if (sinks.downloadCalls.includes(name) && /^(res|response|reply|ctx)\b/.test(receiver)) return { kind: 'download', name: shortLabel, node: call };
    return undefined;
  };

  const tainted = new Set<string>();
  const seen = new Set<ts.Node>();
  const work: ts.Node[] = [start];
  let found: ExportSink | undefined;

  /** Walks from an expression carrying the value up to where it goes. */
  const follow = (from: ts.Node): void => {
    let node = from;
    for (let guard = 0; guard < 64 && !found; guard++) {
      const parent = node.parent;
      if (!parent) return;
      if (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isTypeAssertionExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isSpreadElement(parent) || ts.isSpreadAssignment(parent) || ts.isTemplateSpan(parent) || ts.isTemplateExpression(parent) || ts.isArrayLiteralExpression(parent) || ts.isObjectLiteralExpression(parent) || ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent) || ts.isConditionalExpression(parent) || ts.isElementAccessExpression(parent) || (ts.isBinaryExpression(parent) && parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken)) {
        node = parent;
        continue;
      }
      if (ts.isPropertyAccessExpression(parent)) {
        const call = parent.parent;
        if (ts.isCallExpression(call) && call.expression === parent) {
          const sink = sinkFor(call, true);
          if (sink) {
            found = sink;
            return;
          }
          // A method on the value: `rows.map(cb)`, `rows.filter(...)`: its callback parameters carry it too.
          for (const arg of call.arguments) {
            if ((ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) && arg.parameters[0]) {
              const names = new Set<string>();
              boundNames(arg.parameters[0].name, names);
              for (const n of names) taint(n);
            }
          }
          node = call;
          continue;
        }
        node = parent;
        continue;
      }
      if (ts.isCallExpression(parent)) {
        if (parent.expression === node) return;
        const sink = sinkFor(parent, false);
        if (sink) {
          found = sink;
          return;
        }
        // A statement call that files the value into an object (`zip.file(name, csv)`,
        // `book_append_sheet(wb, ws)`): that object now carries it.
        if (ts.isExpressionStatement(parent.parent) || (ts.isAwaitExpression(parent.parent) && ts.isExpressionStatement(parent.parent.parent))) {
          const root = rootIdentifier(parent.expression);
          if (root && ts.isPropertyAccessExpression(parent.expression)) taint(root);
          for (const arg of parent.arguments) if (ts.isIdentifier(arg) && arg !== node) taint(arg.text);
        }
        node = parent;
        continue;
      }
      if (ts.isNewExpression(parent)) {
        if (/^(StreamableFile|Blob|File)$/.test(parent.expression.getText(source))) {
          found = { kind: 'download', name: `new ${parent.expression.getText(source)}`, node: parent };
          return;
        }
        node = parent;
        continue;
      }
      if (ts.isVariableDeclaration(parent) && parent.initializer === node) {
        const names = new Set<string>();
        boundNames(parent.name, names);
        for (const n of names) taint(n);
        return;
      }
      if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node) {
        const target = parent.left;
        if (ts.isIdentifier(target)) taint(target.text);
        else if (ts.isPropertyAccessExpression(target) && target.name.text !== 'body') {
          const root = rootIdentifier(target);
          if (root) taint(root);
        }
        else if (ts.isPropertyAccessExpression(target) && /^(body)$/.test(target.name.text) && isDownloadFunction) {
          found = { kind: 'download', name: target.getText(source), node: parent };
        }
        return;
      }
      if (ts.isForOfStatement(parent) && parent.expression === node) {
        const init = parent.initializer;
        if (ts.isVariableDeclarationList(init)) for (const d of init.declarations) {
          const names = new Set<string>();
          boundNames(d.name, names);
          for (const n of names) taint(n);
        }
        return;
      }
      return;
    }
  };

  const taint = (name: string): void => {
    if (tainted.has(name)) return;
    tainted.add(name);
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(n) && n.text === name && !seen.has(n) && !isDeclarationName(n)) {
        seen.add(n);
        work.push(n);
      }
      ts.forEachChild(n, visit);
    };
    visit(scope);
  };

  while (work.length > 0 && !found) follow(work.pop()!);
  return found;
}

function rootIdentifier(expr: ts.Expression): string | undefined {
  let e: ts.Expression = expr;
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e)) e = e.expression;
  return ts.isIdentifier(e) ? e.text : undefined;
}

function lastWord(receiver: string): string {
  const m = /([A-Za-z_$][\w$]*)\s*(?:\([^()]*\))?\s*$/.exec(receiver);
  return m ? m[1]! : receiver;
}

function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isVariableDeclaration(p) && p.name === id) || (ts.isParameter(p) && p.name === id) || (ts.isBindingElement(p) && p.name === id) || (ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id);
}
