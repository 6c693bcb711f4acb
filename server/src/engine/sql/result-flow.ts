import ts from 'typescript';
import { calledName, forEachBoundName } from '../syntax/ast.js';
import { nodesOfKind } from '../syntax/node-index.js';

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

type SinkKind = 'file' | 'stream' | 'download' | 'http' | 'queue' | 'mail';

export interface ExportSink {
  kind: SinkKind;
  /** The sink call as written, shortened: `writeFile`, `axios.post`, `res.attachment(...).send`. */
  name: string;
  node: ts.Node;
}

type FunctionNode = ts.FunctionLikeDeclaration;

/**
 * Where query rows go besides an export sink: a log call (whole records logged), an HTTP response
 * (`res.json(rows)`, `reply.send`, `ctx.body =`), or back to the caller (`return rows`, an arrow's
 * body). Only the first of each is kept.
 */
interface RowFlow {
  sink?: ExportSink;
  logged?: { label: string; node: ts.Node };
  sent?: { label: string; node: ts.Node };
  returned?: { node: ts.Node; fn: ts.Node };
}

interface RowFlowOptions {
  /** Recognises a log call (`logger.info`, `console.log`): its label, or undefined. */
  logCall?: (call: ts.CallExpression) => string | undefined;
  /**
   * Follow whole records only: a field read from a record (`contact.name`), a `map` that picks
   * fields, a field destructured out of it end the flow. (An inventory of exports follows any data.)
   */
  wholeRecords?: boolean;
  /** The file's work budget (DetectorContext.tick): one unit per node visited, one per 64 characters of the scope read. */
  tick?: (units?: number) => void;
}

/** Methods of a result whose value still holds its records (`rows.filter(...)`, `doc.toJSON()`, `query.exec()`). */
const RECORD_METHODS = new Set([
  'map',
  'flatMap',
  'join',
  'toString',
  'filter',
  'slice',
  'sort',
  'reverse',
  'concat',
  'flat',
  'find',
  'findLast',
  'at',
  'toJSON',
  'toObject',
  'get',
  'lean',
  'exec',
  'populate',
  'then',
  'values',
  'entries',
  'forEach',
  'reduce',
  'splice',
  'toArray',
  'all',
  'pipe',
]);

/** Calls that file a value into an object (`zip.file(name, csv)`, `sheet.addRows(rows)`, `book_append_sheet(wb, ws)`): that object now holds it. */
const FILING_CALLS =
  /^(append\w*|add\w*|push|unshift|set|put|file|insert\w*|attach\w*|book_append_sheet|write\w*|json_to_sheet|sheet_add_json)$/i;

/** Calls whose result is their argument in another form (serialised, copied, filtered): the records are still there. */
const TRANSPARENT_CALLS =
  /^(stringify|parse|toCsv|toCSV|toJSON|toJson|json2csv|unparse|format|from|values|entries|assign|fromEntries|structuredClone|clone|concat|flat|filter|sort|slice|reverse|json_to_sheet|jsonToSheet|aoa_to_sheet|encode|compress|gzip|gzipSync|deflate|serialize|inspect|all|resolve|then|Buffer|String|Array|Object)$/;

/** Properties of a query result that still hold whole records (`result.rows`, `res.data`, `model.dataValues`). */
const RECORD_PROPERTIES = new Set([
  'rows',
  'recordset',
  'recordsets',
  'data',
  'dataValues',
  'records',
  'items',
  'Items',
  'docs',
  'results',
  'result',
  'entities',
  'list',
  'hits',
  '_source',
  'values',
  'raw',
]);
/** Properties that count what a value holds: never the records themselves. */
const COUNT_PROPERTIES = new Set(['length', 'size']);
/** Array methods whose callback takes an accumulator first and a record second. */
const REDUCERS = new Set(['reduce', 'reduceRight']);
/** Operators whose result is a flag or a number made from the operands, not an operand. */
const COMPUTING_OPERATORS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.InstanceOfKeyword,
  ts.SyntaxKind.InKeyword,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
]);
/** Calls that send their argument to the HTTP client. */
const RESPONSE_CALLS = new Set(['json', 'send', 'jsonp', 'end', 'write']);
const RESPONSE_RECEIVER = /^(res|response|reply|ctx|h|c|context|resp)\b/;

function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (
      ts.isFunctionDeclaration(n) ||
      ts.isMethodDeclaration(n) ||
      ts.isArrowFunction(n) ||
      ts.isFunctionExpression(n) ||
      ts.isGetAccessor(n) ||
      ts.isConstructorDeclaration(n)
    )
      return n;
  }
  return undefined;
}

/** The outermost function (a callback's own enclosing function counts: `rows.forEach(r => ...)` stays in scope). */
function scopeFunction(node: ts.Node): ts.Node {
  let fn: ts.Node | undefined = enclosingFunction(node);
  // A callback passed inline (`router.get('/x', async (req, res) => ...)`) is its own scope; a `.then(cb)`/forEach is not.
  while (
    fn &&
    (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
    ts.isCallExpression(fn.parent) &&
    isChainCallback(fn.parent)
  ) {
    const outer = enclosingFunction(fn);
    if (!outer) break;
    fn = outer;
  }
  return fn ?? node.getSourceFile();
}

function isChainCallback(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) && /^(then|map|forEach|filter|flatMap|reduce|each|on)$/.test(callee.name.text)
  );
}

/** `a.b.c` of a callee's receiver, calls and `this` kept as written: `this.http`, `res.attachment('x')`. */
function receiverText(call: ts.CallExpression, source: ts.SourceFile): string {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) ? callee.expression.getText(source) : '';
}

/**
 * Follows the value of `start` (a query call, awaited or not) within its function: through
 * variables, destructuring, property reads (`.rows`), transformations (`stringify(rows)`,
 * `rows.map(...)`, `JSON.stringify`), object literals and templates, up to a call that takes it
 * out of the application: a file write, a stream, a CSV download, an HTTP call to another
 * system, a message queue, a mail. Returns that sink, or undefined when the value only goes back
 * to the caller (a screen) or nowhere known.
 */
export function exportSinkOf(
  start: ts.Node,
  source: ts.SourceFile,
  sinks: ExportSinks,
  options: RowFlowOptions = {},
): ExportSink | undefined {
  return rowFlowOf(start, source, sinks, options).sink;
}

/**
 * Where whole records read by `start` go within their function (see `RowFlow`). A named field
 * read from a record (`contact.name`, `rows.length`) is that field, not the record: the flow
 * stops there. `rows.push(...)` on an array is not a stream.
 */
export function rowFlowOf(
  start: ts.Node,
  source: ts.SourceFile,
  sinks: ExportSinks,
  options: RowFlowOptions = {},
): RowFlow {
  const scope = scopeFunction(start);
  const { streamReceivers, httpReceivers, queueReceivers, downloadMarkers } = sinkPatterns(sinks);
  options.tick?.(1 + ((scope.getEnd() - scope.getStart(source)) >> 6));
  const isDownloadFunction = scopeIsDownload(scope, source, sinks, downloadMarkers);
  const flow: RowFlow = {};
  /** Does a word of the receiver's last segment (`csvStream`, `out_file`, `partnerApi`) name such a receiver? */
  const receiverIs = (receiver: string, pattern: RegExp) =>
    splitIdentifier(lastWord(receiver)).some((w) => pattern.test(w));

  const sinkFor = (call: ts.CallExpression, asReceiver: boolean): ExportSink | undefined => {
    const name = calledName(call.expression);
    if (!name) return undefined;
    const receiver = receiverText(call, source);
    const short = receiver.replace(/\((?:[^()]|\([^()]*\))*\)/g, '(...)').replace(/\s+/g, '');
    const shortLabel = short ? `${short.length > 48 ? '…' + short.slice(-47) : short}.${name}` : name;
    // `stream.pipe(out)`; `workbook.xlsx.writeFile(path)` writes what was filed into the workbook.
    if (asReceiver)
      return sinks.streams.includes(name)
        ? { kind: 'stream', name: shortLabel, node: call }
        : sinks.files.includes(name)
          ? { kind: 'file', name: shortLabel, node: call }
          : undefined;
    if (sinks.files.includes(name)) return { kind: 'file', name: shortLabel, node: call };
    if (sinks.streams.includes(name)) return { kind: 'stream', name: shortLabel, node: call };
    // `out.write(row)`, `csvStream.push(row)`: a stream by its name; `rows.push(row)` fills an array.
    if ((name === 'write' || name === 'end') && receiverIs(receiver, streamReceivers))
      return { kind: 'stream', name: shortLabel, node: call };
    if (
      name === 'push' &&
      splitIdentifier(lastWord(receiver)).some((w) => /^(stream|readable|duplex|transform)$/i.test(w))
    )
      return { kind: 'stream', name: shortLabel, node: call };
    if (sinks.httpFunctions.includes(name) && ts.isIdentifier(call.expression))
      return { kind: 'http', name: shortLabel, node: call };
    if (sinks.httpMethods.includes(name) && receiverIs(receiver, httpReceivers))
      return { kind: 'http', name: shortLabel, node: call };
    if (sinks.queues.includes(name) || ((name === 'send' || name === 'add') && receiverIs(receiver, queueReceivers)))
      return { kind: 'queue', name: shortLabel, node: call };
    if (sinks.mail.includes(name)) return { kind: 'mail', name: shortLabel, node: call };
    if (
      /^(send|end|write|json)$/.test(name) &&
      (sinks.downloadCalls.some((c) => receiver.includes(`.${c}(`)) ||
        (isDownloadFunction && /^(res|response|reply|ctx|h)\b/.test(receiver)))
    ) {
      return { kind: 'download', name: shortLabel, node: call };
    }
    if (sinks.downloadCalls.includes(name) && /^(res|response|reply|ctx)\b/.test(receiver))
      return { kind: 'download', name: shortLabel, node: call };
    return undefined;
  };

  /** A call that sends its argument to the HTTP client: `res.json(rows)`, `reply.send(rows)`, `NextResponse.json(rows)`. */
  const responseFor = (call: ts.CallExpression): string | undefined => {
    const name = calledName(call.expression);
    if (!name || !RESPONSE_CALLS.has(name)) return undefined;
    const receiver = receiverText(call, source).replace(/\s+/g, '');
    if (RESPONSE_RECEIVER.test(receiver) || /^(NextResponse|Response)$/.test(receiver))
      return `${receiver.replace(/\((?:[^()]|\([^()]*\))*\)/g, '(...)')}.${name}`;
    return undefined;
  };

  const tainted = new Set<string>();
  const seen = new Set<ts.Node>();
  const work: ts.Node[] = [start];
  /** Nodes of objects the records were filed into (a workbook, a zip): any of their properties carries them. */
  const carrierNodes = new Set<ts.Node>();
  /** Nodes holding what a function made from the records (`makeReport(rows)`): a file of it is an export, a log line of it is not the records. */
  const derivedNodes = new Set<ts.Node>();
  let deriving = false;
  let found: ExportSink | undefined;

  /** Walks from an expression carrying the value up to where it goes. */
  const follow = (from: ts.Node): void => {
    let node = from;
    const records = options.wholeRecords === true && !carrierNodes.has(from);
    let derived = derivedNodes.has(from);
    deriving = derived;
    for (let guard = 0; guard < 64 && !found; guard++) {
      const parent = node.parent;
      if (!parent) return;
      // A record tested (`patient ? 'Found' : 'Not found'`, `rows.length > 0`, `doc && { id: doc._id }`)
      // gives a flag, a number or the other operand: not the records.
      if (options.wholeRecords && !feedsValue(parent, node)) return;
      if (
        ts.isAwaitExpression(parent) ||
        ts.isParenthesizedExpression(parent) ||
        ts.isAsExpression(parent) ||
        ts.isNonNullExpression(parent) ||
        ts.isTypeAssertionExpression(parent) ||
        ts.isSatisfiesExpression(parent) ||
        ts.isSpreadElement(parent) ||
        ts.isSpreadAssignment(parent) ||
        ts.isTemplateSpan(parent) ||
        ts.isTemplateExpression(parent) ||
        ts.isArrayLiteralExpression(parent) ||
        ts.isObjectLiteralExpression(parent) ||
        ts.isPropertyAssignment(parent) ||
        ts.isShorthandPropertyAssignment(parent) ||
        ts.isConditionalExpression(parent) ||
        ts.isElementAccessExpression(parent) ||
        (ts.isBinaryExpression(parent) && parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
      ) {
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
          // A method on the value: `rows.map(cb)`, `rows.filter(...)`: its callback parameters carry it too
          // (the second of `reduce((total, row) => ...)`: the first is the accumulator).
          const element = REDUCERS.has(parent.name.text) ? 1 : 0;
          for (const arg of call.arguments) {
            const param = ts.isArrowFunction(arg) || ts.isFunctionExpression(arg) ? arg.parameters[element] : undefined;
            if (param) {
              const names = new Set<string>();
              forEachBoundName(param.name, (id) => names.add(id.text));
              for (const n of names) taint(n);
            }
          }
          // `rows.map((r) => ({ id: r.id }))` keeps fields, not records; `record.getReportId()` is a field too.
          if (records && parent.name.text === 'map' && !mapKeepsRecords(call)) return;
          // `rows.reduce((sum, r) => sum + r.amount, 0)` is a total, not the rows (a grouping that keeps `r` whole is).
          if (options.wholeRecords && REDUCERS.has(parent.name.text) && !reduceKeepsRecords(call)) return;
          if (records && !RECORD_METHODS.has(parent.name.text)) return;
          node = call;
          continue;
        }
        // A field of the record (`contact.name`, `rows.length`) is not the record.
        if (records && parent.expression === node && !RECORD_PROPERTIES.has(parent.name.text)) return;
        // The size of an array the records were pushed into (`list.length`) is a count.
        if (options.wholeRecords && parent.expression === node && COUNT_PROPERTIES.has(parent.name.text)) return;
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
        const logged = options.logCall?.(parent);
        if (logged) {
          if (!derived || !options.wholeRecords) flow.logged ??= { label: logged, node: parent };
          return;
        }
        const sent = responseFor(parent);
        if (sent) {
          flow.sent ??= { label: sent, node: parent };
          return;
        }
        // A helper of this file that reads only fields of what it is given (`hasRole(user, 'admin')`,
        // `menuFor(user)` reading `user.role`): what it returns is not the record.
        if (options.wholeRecords && readsOnlyFields(parent, node, source)) return;
        // `resolve(rows)` in `new Promise((resolve) => ...)`: the rows are what the enclosing function returns.
        const promise = promiseOf(parent);
        if (promise) {
          flow.returned ??= { node: parent, fn: enclosingFunction(promise) ?? source };
          return;
        }
        // The value handed to a helper with callbacks (`this.getAll(query, (rows) => ...)`,
        // `db.query(sql, (err, rows) => ...)`): the callbacks receive the rows.
        for (const arg of parent.arguments) if (arg !== node) taintCallbackData(arg);
        // A statement call that files the value into an object (`zip.file(name, csv)`,
        // `book_append_sheet(wb, ws)`): that object now carries it.
        // (Not the query text given to the client that runs it: `db.query(sql, cb)` files nothing into `db`.)
        const withCallback = parent.arguments.some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
        const filing = !options.wholeRecords || FILING_CALLS.test(calledName(parent.expression));
        if (
          node !== start &&
          !withCallback &&
          filing &&
          (ts.isExpressionStatement(parent.parent) ||
            (ts.isAwaitExpression(parent.parent) && ts.isExpressionStatement(parent.parent.parent)))
        ) {
          const root = rootIdentifier(parent.expression);
          // A class or a model (`Task.generate(tasks)`) receives the rows, it does not hold them.
          if (root && ts.isPropertyAccessExpression(parent.expression) && !/^[A-Z]/.test(root)) taint(root, true);
          for (const arg of parent.arguments) if (ts.isIdentifier(arg) && arg !== node) taint(arg.text, true);
        }
        // (The query call that runs the SQL text is where the rows come from, not a transformation.)
        if (node !== start && !TRANSPARENT_CALLS.test(calledName(parent.expression))) derived = deriving = true;
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
        if (records) recordBindings(parent.name, names);
        else forEachBoundName(parent.name, (id) => names.add(id.text));
        for (const n of names) taint(n);
        return;
      }
      if (
        ts.isBinaryExpression(parent) &&
        parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        parent.right === node
      ) {
        const target = parent.left;
        if (ts.isIdentifier(target)) taint(target.text);
        else if (ts.isPropertyAccessExpression(target) && target.name.text !== 'body') {
          const root = rootIdentifier(target);
          if (root) taint(root, true);
        } else if (ts.isPropertyAccessExpression(target) && /^(body)$/.test(target.name.text) && isDownloadFunction) {
          found = { kind: 'download', name: target.getText(source), node: parent };
        } else if (
          ts.isPropertyAccessExpression(target) &&
          target.name.text === 'body' &&
          RESPONSE_RECEIVER.test(target.expression.getText(source))
        ) {
          flow.sent ??= { label: `${target.getText(source)} =`, node: parent };
        }
        return;
      }
      if (ts.isReturnStatement(parent) && parent.expression === node) {
        flow.returned ??= { node: parent, fn: enclosingFunction(parent) ?? source };
        return;
      }
      if (ts.isArrowFunction(parent) && parent.body === node) {
        flow.returned ??= { node, fn: parent };
        return;
      }
      if (ts.isForOfStatement(parent) && parent.expression === node) {
        const init = parent.initializer;
        if (ts.isVariableDeclarationList(init))
          for (const d of init.declarations) {
            const names = new Set<string>();
            // `for (const [key, group] of Object.entries(byStatus))`: the key is a name, the group holds the records.
            const entries = options.wholeRecords && ts.isArrayBindingPattern(d.name) && isEntries(node);
            if (entries && ts.isArrayBindingPattern(d.name))
              d.name.elements.slice(1).forEach((e) => {
                if (!ts.isOmittedExpression(e)) forEachBoundName(e.name, (id) => names.add(id.text));
              });
            else forEachBoundName(d.name, (id) => names.add(id.text));
            for (const n of names) taint(n);
          }
        return;
      }
      return;
    }
  };

  /** A callback API (mysql, sqlite3, a helper): the callback's data parameter (after an `err`) receives the rows. */
  const taintCallbackData = (arg: ts.Expression): void => {
    if (!(ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) || arg.parameters.length === 0) return;
    const [first, second] = arg.parameters;
    const errorFirst = first && ts.isIdentifier(first.name) && /^(e|er|err|error|errors|_)$/i.test(first.name.text);
    const data = errorFirst ? second : first;
    if (!data) return;
    const names = new Set<string>();
    forEachBoundName(data.name, (id) => names.add(id.text));
    for (const n of names) taint(n);
  };

  const taint = (name: string, carrier = false): void => {
    if (tainted.has(name)) return;
    tainted.add(name);
    // The uses and declarations of `name` in the scope, in walk order (see `scopeNameIndex`).
    for (const n of scopeNameIndex(scope).get(name) ?? []) {
      if (found) return;
      options.tick?.();
      if (ts.isIdentifier(n)) {
        if (seen.has(n)) continue;
        seen.add(n);
        work.push(n);
        if (carrier) carrierNodes.add(n);
        if (deriving) derivedNodes.add(n);
        continue;
      }
      // A carrier made from another object (`const sheet = workbook.addWorksheet()`) is part of it.
      if (carrier) {
        let init: ts.Expression = n.initializer!;
        while (ts.isAwaitExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
        if (ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression)) {
          const owner = rootIdentifier(init.expression.expression);
          if (owner && owner !== name) taint(owner, true);
        }
      }
    }
  };

  // A read that hands its rows to a callback (`Model.find().exec((err, docs) => ...)`).
  if (ts.isCallExpression(start)) for (const arg of start.arguments) taintCallbackData(arg);
  while (work.length > 0 && !found) follow(work.pop()!);
  if (found) flow.sink = found;
  return flow;
}

/** What a flow's scope holds under a name: its uses (identifiers that declare nothing) and its variable declarations with an initializer. */
type NameEntry = ts.Identifier | ts.VariableDeclaration;

const scopeNameIndexes = new WeakMap<ts.Node, Map<string, NameEntry[]>>();

/**
 * Every name of a scope (a function or a file) with its entries in walk order, built by one walk
 * of the scope and shared by every flow in it: tainting a name reads its entries instead of
 * walking the scope again, so a file of many queries is not walked once per query. (A scope node
 * is never changed in place: an edit re-parses it into a new node.)
 */
function scopeNameIndex(scope: ts.Node): Map<string, NameEntry[]> {
  let index = scopeNameIndexes.get(scope);
  if (index) return index;
  const built = new Map<string, NameEntry[]>();
  const add = (name: string, entry: NameEntry): void => {
    const list = built.get(name);
    if (list) list.push(entry);
    else built.set(name, [entry]);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && !isDeclarationName(n)) add(n.text, n);
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) add(n.name.text, n);
    ts.forEachChild(n, visit);
  };
  visit(scope);
  index = built;
  scopeNameIndexes.set(scope, index);
  return index;
}

interface SinkPatterns {
  streamReceivers: RegExp;
  httpReceivers: RegExp;
  queueReceivers: RegExp;
  downloadMarkers: RegExp;
}

const sinkPatternCache = new WeakMap<ExportSinks, SinkPatterns>();

/** The receiver and marker patterns of a sink vocabulary, compiled once per vocabulary. */
function sinkPatterns(sinks: ExportSinks): SinkPatterns {
  let patterns = sinkPatternCache.get(sinks);
  if (patterns) return patterns;
  const wordsOf = (pattern: string) => new RegExp(`^(?:${pattern.replace(/^\(|\)$/g, '')})$`, 'i');
  patterns = {
    streamReceivers: wordsOf(sinks.streamReceivers),
    httpReceivers: wordsOf(sinks.httpReceivers),
    queueReceivers: wordsOf(sinks.queueReceivers),
    downloadMarkers: new RegExp(sinks.downloadMarkers, 'i'),
  };
  sinkPatternCache.set(sinks, patterns);
  return patterns;
}

const downloadScopes = new WeakMap<ts.Node, Map<string, boolean>>();

/** Does the scope's text speak of a download (`res.attachment(`, `text/csv`)? Read once per scope and vocabulary. */
function scopeIsDownload(scope: ts.Node, source: ts.SourceFile, sinks: ExportSinks, downloadMarkers: RegExp): boolean {
  const key = `${sinks.downloadCalls.join('\0')}\u0001${sinks.downloadMarkers}`;
  let byKey = downloadScopes.get(scope);
  const known = byKey?.get(key);
  if (known !== undefined) return known;
  const scopeText = scope.getText(source);
  const value = sinks.downloadCalls.some((c) => scopeText.includes(`.${c}(`)) || downloadMarkers.test(scopeText);
  if (!byKey) downloadScopes.set(scope, (byKey = new Map<string, boolean>()));
  byKey.set(key, value);
  return value;
}

/** `resolve(x)` where `resolve` is the first parameter of a `new Promise((resolve, reject) => ...)` executor: that promise. */
function promiseOf(call: ts.CallExpression): ts.NewExpression | undefined {
  if (!ts.isIdentifier(call.expression)) return undefined;
  const name = call.expression.text;
  for (let n: ts.Node | undefined = call.parent; n; n = n.parent) {
    if (
      (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) &&
      ts.isNewExpression(n.parent) &&
      n.parent.expression.getText() === 'Promise'
    ) {
      const first = n.parameters[0];
      return first && ts.isIdentifier(first.name) && first.name.text === name ? n.parent : undefined;
    }
  }
  return undefined;
}

/**
 * `helper(record)` where `helper` is a function declared in this file (by `function helper`, or
 * `const helper = (...) =>`) whose parameter at that position is used only through its fields.
 */
function readsOnlyFields(call: ts.CallExpression, arg: ts.Node, source: ts.SourceFile, depth = 0): boolean {
  if (!ts.isIdentifier(call.expression) || depth > 3) return false;
  const index = call.arguments.indexOf(arg as ts.Expression);
  if (index < 0) return false;
  const name = call.expression.text;
  const fns: ts.FunctionLikeDeclaration[] = [];
  for (const d of nodesOfKind<ts.FunctionDeclaration>(source, ts.SyntaxKind.FunctionDeclaration))
    if (d.name?.text === name) fns.push(d);
  for (const v of nodesOfKind<ts.VariableDeclaration>(source, ts.SyntaxKind.VariableDeclaration)) {
    if (!ts.isIdentifier(v.name) || v.name.text !== name || !v.initializer) continue;
    if (ts.isArrowFunction(v.initializer) || ts.isFunctionExpression(v.initializer)) fns.push(v.initializer);
  }
  // One declaration only: a name declared twice may be either.
  if (fns.length !== 1) return false;
  const fn = fns[0]!;
  const param = fn.parameters[index];
  if (!fn.body || !param || !ts.isIdentifier(param.name) || param.dotDotDotToken) return false;
  return !usedWhole(param.name.text, fn.body, undefined, { source, depth });
}

/** `Object.entries(x)`, `map.entries()`: pairs of a key and a value. */
function isEntries(node: ts.Node): boolean {
  let e = node;
  while (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  return ts.isCallExpression(e) && calledName(e.expression) === 'entries';
}

/**
 * Is the value of `parent` made of `node` itself, or only computed from it? The condition of a
 * conditional (`rec ? 'Found' : 'Not found'`), the left side of `&&` (`rec && { id: rec._id }`)
 * and the operands of a comparison or arithmetic are tested or counted, not passed on.
 */
function feedsValue(parent: ts.Node, node: ts.Node): boolean {
  if (ts.isConditionalExpression(parent)) return parent.condition !== node;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return parent.left !== node;
    if (op === ts.SyntaxKind.CommaToken) return parent.right === node;
    return !COMPUTING_OPERATORS.has(op);
  }
  return true;
}

/**
 * Does `rows.reduce(cb, init)` keep whole records (`(groups, r) => { groups[r.k].push(r); ... }`,
 * `(all, r) => [...all, r]`), rather than totalling fields (`(sum, r) => sum + r.amount`)?
 * Kept when the callback is not written here or uses its record other than through its fields.
 */
function reduceKeepsRecords(call: ts.CallExpression): boolean {
  const cb = call.arguments[0];
  if (!cb || !(ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) return true;
  const record = cb.parameters[1];
  if (!record) return false;
  if (!ts.isIdentifier(record.name)) return true;
  return usedWhole(record.name.text, cb.body);
}

/** Does `rows.map(cb)` keep whole records (`(r) => r`, `(r) => ({ ...r, age })`, `(r) => format(r)`) rather than picking fields? */
function mapKeepsRecords(call: ts.CallExpression): boolean {
  const cb = call.arguments[0];
  if (
    !cb ||
    !(ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) ||
    !cb.parameters[0] ||
    !ts.isIdentifier(cb.parameters[0].name)
  )
    return true;
  const param = cb.parameters[0].name.text;
  const results: ts.Expression[] = [];
  if (!ts.isBlock(cb.body)) results.push(cb.body);
  else {
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n)) return;
      if (ts.isReturnStatement(n) && n.expression) results.push(n.expression);
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(cb.body, visit);
  }
  // The record is kept when it is used whole (`r`, `{ ...r }`, `Object.values(r)`, `format(r)`),
  // not only through its fields (`{ id: r.id }`, `[r.a, r.b].join(';')`).
  return results.length === 0 || results.some((e) => usedWhole(param, e, cb));
}

/**
 * Is the variable `name` used whole in `node` (`r`, `{ ...r }`, `{ r }`, `format(r)`), not only
 * through its fields (`r.id`, `r['id']`)? A key or member spelled like it (`{ r: 1 }`, `x.r`) is not
 * a use. Functions nested in `node` are skipped, except `own` (the callback whose body it is).
 */
function usedWhole(
  name: string,
  node: ts.Node,
  own?: ts.Node,
  helpers?: { source: ts.SourceFile; depth: number },
): boolean {
  let whole = false;
  const visit = (n: ts.Node): void => {
    if (whole || (own && ts.isFunctionLike(n) && n !== own)) return;
    if (ts.isIdentifier(n) && n.text === name) {
      const p = n.parent;
      // `r.toObject()`, `r.map(...)` hand on the record; `r.name`, `r['name']` are fields.
      const method =
        ts.isPropertyAccessExpression(p) &&
        ts.isCallExpression(p.parent) &&
        p.parent.expression === p &&
        RECORD_METHODS.has(p.name.text);
      const field =
        (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n && !method;
      const key =
        (ts.isPropertyAssignment(p) && p.name === n) ||
        (ts.isPropertyAccessExpression(p) && p.name === n) ||
        (ts.isBindingElement(p) && p.propertyName === n);
      // Handed to a helper of the file that itself reads only its fields.
      const read =
        !field &&
        !key &&
        helpers !== undefined &&
        ts.isCallExpression(p) &&
        p.expression !== n &&
        readsOnlyFields(p, n, helpers.source, helpers.depth + 1);
      if (!field && !key && !read) whole = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return whole;
}

/** `csvStream` -> [csv, stream], `out_file` -> [out, file]. */
function splitIdentifier(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

/**
 * Names that still hold records after destructuring a result: `rows` (`{ rows }`, `{ rows: list }`),
 * `[rows]` (mysql2), `...rest`; not a field picked out of a record (`{ name } = contact`).
 */
function recordBindings(name: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) {
    out.add(name.text);
    return;
  }
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (ts.isArrayBindingPattern(name) || element.dotDotDotToken) {
      forEachBoundName(element.name, (id) => out.add(id.text));
      continue;
    }
    const key =
      element.propertyName && ts.isIdentifier(element.propertyName)
        ? element.propertyName.text
        : ts.isIdentifier(element.name)
          ? element.name.text
          : undefined;
    if (key && RECORD_PROPERTIES.has(key)) forEachBoundName(element.name, (id) => out.add(id.text));
  }
}

function rootIdentifier(expr: ts.Expression): string | undefined {
  let e: ts.Expression = expr;
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e))
    e = e.expression;
  return ts.isIdentifier(e) ? e.text : undefined;
}

function lastWord(receiver: string): string {
  const m = /([A-Za-z_$][\w$]*)\s*(?:\([^()]*\))?\s*$/.exec(receiver);
  return m ? m[1]! : receiver;
}

function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (
    (ts.isVariableDeclaration(p) && p.name === id) ||
    (ts.isParameter(p) && p.name === id) ||
    (ts.isBindingElement(p) && p.name === id) ||
    (ts.isPropertyAccessExpression(p) && p.name === id) ||
    (ts.isPropertyAssignment(p) && p.name === id)
  );
}
