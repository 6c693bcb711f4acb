import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { staticText } from '../exports/static-text.js';
import { vocabularyOf } from '../pack.js';
import { accessChain, bindingOf, requireOf } from '../names/binding.js';
import { unwrap } from '../syntax/ast.js';
import { thirdPartySinkOf } from '../sinks/third-party.js';
import { callsOf, nodesOfKind } from '../syntax/node-index.js';
import { rethrowTimeout, typeChecker } from '../budget.js';
import { relativePath } from '../names/top-level.js';
import type { Range } from '../types.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

/** `rules/vocabulary/transit.yaml`. */
interface TransitKnowledge {
  localHosts: string[];
  clearSchemes: string[];
  tlsOff: { option: string; value: boolean | string }[];
  tlsOffEnvironment: string[];
  ftpClients: { modules: string[]; connect: string[]; secure?: string; sends: string[] }[];
  mail: { factories: string[]; clearOptions: string[]; sends: string[] };
  databases: { schemes: string[]; sslOffParameters: string[]; sslOffOptions: string[] };
}

const TRANSIT = knowledgePart('transit', (config) => vocabularyOf<TransitKnowledge>(config.pack, 'transit'));

function transitKnowledge(ctx: DetectorContext): TransitKnowledge {
  return knowledgeOf(ctx.config).get(TRANSIT);
}

/** Where a channel goes: the machine or deployment itself, a private network, a public host, or unknown. */
type Network = 'local' | 'private' | 'public' | 'unknown';

/** A call that sends data over a channel, and the arguments that carry the data. */
export interface Send {
  call: ts.CallExpression | ts.NewExpression;
  payload: ts.Expression[];
}

/** A channel without encryption or without server verification, and what goes over it. */
export interface ClearChannel {
  kind: 'http' | 'ftp' | 'smtp' | 'database' | 'tls-off' | 'tls-off-process';
  /** For the message: `plain HTTP (http://) to lis.example.org`, `TLS verification turned off (rejectUnauthorized: false)`. */
  what: string;
  host?: string;
  network: Network;
  /** Where a finding points: the URL, the option, the assignment. */
  range: Range;
  /** The option or URL text to fix, when a quick fix can fix it in place. */
  fix?: { title: string; range: Range; newText: string };
  sends: Send[];
  /** A whole database connection: it carries every table (no payload to inspect). */
  carriesDatabase?: boolean;
  /**
   * TLS options followed out of a config module: the constants that hold them and the calls that
   * hand them to a client elsewhere (`FTP_EMR` -> `ftpEmrOptions` -> `ftp.download(ftpEmrOptions, path)`),
   * whose names and functions say what the channel is for.
   */
  trail?: ts.Node[];
}

/** Every clear or unverified channel of the file that something is sent over (sends may be empty for databases). */
export function clearChannels(ctx: DetectorContext): ClearChannel[] {
  const source = ctx.file.ts;
  if (!source) return [];
  const known = transitKnowledge(ctx);
  const out: ClearChannel[] = [];
  out.push(...httpChannels(ctx, source, known));
  out.push(...tlsOffChannels(ctx, source, known));
  out.push(...ftpChannels(ctx, source, known));
  out.push(...mailChannels(ctx, source, known));
  out.push(...databaseChannels(ctx, source, known));
  return out;
}

const rangeOf = (node: ts.Node, source: ts.SourceFile): Range => ({ start: node.getStart(source), end: node.end });

/** `scheme://host` of a URL as far as the code tells it. */
function parseUrl(text: string): { scheme: string; host: string } | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#{}]*@)?(\[[^\]]+\]|[^/:?#]*)/i.exec(text.trim());
  return m ? { scheme: m[1]!.toLowerCase(), host: m[2]!.toLowerCase() } : undefined;
}

/** Where a host is: loopback and deployment-local names, the team's `localHosts`, a private network, or the internet. */
function networkOf(host: string | undefined, ctx: DetectorContext, known: TransitKnowledge): Network {
  if (!host || host.includes('{') || host.startsWith('$')) return 'unknown';
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === '::1' || /^127\./.test(h) || h === '0.0.0.0') return 'local';
  if (!h.includes('.') && !h.includes(':')) return 'local';
  const option = ctx.options['localHosts'];
  const patterns = [...known.localHosts, ...(Array.isArray(option) ? option.map(String) : [])];
  if (patterns.some((p) => hostMatches(h, p.toLowerCase()))) return 'local';
  return onPrivateNetwork(h, ctx) ? 'private' : 'public';
}

/**
 * A host of the organisation's own network: a private address, an intranet suffix (`*.local`,
 * `*.internal`, `*.lan`: the third-party vocabulary's internal hosts) or the team's
 * `thirdParty.internalHosts`. An approved processor is outside: plain HTTP to it crosses the internet.
 */
function onPrivateNetwork(host: string, ctx: DetectorContext): boolean {
  if (
    /^(10\.|192\.168\.|169\.254\.)/.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
    /^f[cd][0-9a-f]{2}:/.test(host)
  )
    return true;
  const internal = [
    ...vocabularyOf<{ internalHosts: string[] }>(ctx.config.pack, 'third-party').internalHosts,
    ...(ctx.config.thirdParty?.internalHosts ?? []),
  ];
  return internal.some((p) =>
    hostMatches(
      host,
      p
        .toLowerCase()
        .replace(/^[a-z]+:\/\//, '')
        .replace(/[/:].*$/, ''),
    ),
  );
}

function hostMatches(host: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) || host === pattern.slice(2);
  return host === pattern;
}

// ---- HTTP, WebSocket and FTP URLs --------------------------------------------------------

function httpChannels(ctx: DetectorContext, source: ts.SourceFile, known: TransitKnowledge): ClearChannel[] {
  // The URL may be a constant of another file (a config module): every HTTP call is a candidate.
  const out: ClearChannel[] = [];
  for (const node of callsOf(source)) {
    ctx.tick();
    const sink = thirdPartySinkOf(node, ctx);
    if (!sink || sink.kind !== 'http' || !sink.url) continue;
    const text = staticText(sink.url, ctx);
    const url = parseUrl(text);
    if (!url || !known.clearSchemes.includes(url.scheme)) continue;
    const network = networkOf(url.host, ctx, known);
    if (network === 'local' || network === 'unknown') continue;
    const literal = literalWithScheme(sink.url, ctx, url.scheme);
    const secure =
      url.scheme === 'ftp' ? 'ftps' : url.scheme === 'ws' ? 'wss' : url.scheme === 'http' ? 'https' : undefined;
    out.push({
      kind: 'http',
      what: `${url.scheme === 'http' ? 'plain HTTP' : url.scheme === 'ws' ? 'an unencrypted WebSocket' : url.scheme.toUpperCase()} (${url.scheme}://) to ${url.host}`,
      host: url.host,
      network,
      range: sink.url.getSourceFile() === source ? rangeOf(sink.url, source) : rangeOf(node, source),
      ...(literal && secure ? { fix: { title: `Use ${secure}:// (TLS)`, range: literal.range, newText: secure } } : {}),
      sends: [{ call: node, payload: sink.payload }],
    });
  }
  return out;
}

/** The `http` of `'http://host/x'` in this file (the literal itself, or a constant's initializer here), for the fix. */
function literalWithScheme(
  expr: ts.Expression,
  ctx: DetectorContext,
  scheme: string,
  depth = 0,
): { range: Range } | undefined {
  const source = ctx.file.ts!;
  const e = unwrap(expr);
  if (depth > 3) return undefined;
  const head = ts.isStringLiteralLike(e) ? e : ts.isTemplateExpression(e) ? e.head : undefined;
  if (head) {
    if (head.getSourceFile() !== source || !head.text.toLowerCase().startsWith(`${scheme}://`)) return undefined;
    const start = head.getStart(source) + 1;
    return source.text.slice(start, start + scheme.length).toLowerCase() === scheme
      ? { range: { start, end: start + scheme.length } }
      : undefined;
  }
  if (ts.isTemplateExpression(e) || ts.isBinaryExpression(e))
    return ts.isBinaryExpression(e) ? literalWithScheme(e.left, ctx, scheme, depth + 1) : undefined;
  if (ts.isIdentifier(e)) {
    const init = bindingOf(e, ctx)?.initializer;
    return init ? literalWithScheme(init, ctx, scheme, depth + 1) : undefined;
  }
  return undefined;
}

// ---- TLS verification turned off ---------------------------------------------------------

function tlsOffChannels(ctx: DetectorContext, source: ts.SourceFile, known: TransitKnowledge): ClearChannel[] {
  const out: ClearChannel[] = [];
  const options = new Set(known.tlsOff.map((t) => t.option));
  const env = known.tlsOffEnvironment;
  const quick = new RegExp(
    `\\b(?:${[...options, ...env].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`,
  );
  if (!quick.test(source.text)) return out;
  for (const p of nodesOfKind<ts.PropertyAssignment>(source, ts.SyntaxKind.PropertyAssignment)) {
    const name = p.name.getText(source).replace(/['"]/g, '');
    if (!options.has(name)) continue;
    const off = known.tlsOff.find((t) => t.option === name)!;
    if (!isValue(p.initializer, off.value)) continue;
    ctx.tick();
    const trail: ts.Node[] = [];
    const sends = sendsOfConfigured(p, ctx, source, 0, trail);
    if (sends.length === 0) continue;
    const hosts = sends
      .map((s) => thirdPartySinkOf(s.call, ctx))
      .map((sink) => (sink?.url ? parseUrl(staticText(sink.url, ctx))?.host : undefined));
    const networks = hosts.map((h) => (h ? networkOf(h, ctx, known) : 'unknown'));
    if (networks.length > 0 && networks.every((n) => n === 'local')) continue;
    out.push({
      kind: 'tls-off',
      what: `TLS without verifying the server (${p.getText(source).replace(/\s+/g, ' ')}): anyone on the path can pose as the server`,
      network: networks.includes('public') ? 'public' : networks.includes('private') ? 'private' : 'unknown',
      range: rangeOf(p, source),
      fix: {
        title: `Verify the server's certificate (${name}: ${off.value === false ? 'true' : 'default'})`,
        range: rangeOf(p.initializer, source),
        newText: off.value === false ? 'true' : 'undefined',
      },
      sends,
      ...(trail.length > 0 ? { trail } : {}),
    });
  }
  for (const node of nodesOfKind<ts.BinaryExpression>(source, ts.SyntaxKind.BinaryExpression)) {
    if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const target = node.left.getText(source).replace(/\s+/g, '');
    const variable = env.find(
      (v) => target === `process.env.${v}` || target === `process.env['${v}']` || target === `process.env["${v}"]`,
    );
    if (!variable || !isValue(node.right, '0')) continue;
    const sends = [...callsOf(source)]
      .map((call) => ({ call, sink: thirdPartySinkOf(call, ctx) }))
      .filter(
        ({ sink }) =>
          sink?.kind === 'http' &&
          !(sink.url && networkOf(parseUrl(staticText(sink.url, ctx))?.host, ctx, known) === 'local'),
      )
      .map(({ call, sink }) => ({ call, payload: sink!.payload }));
    if (sends.length === 0) continue;
    out.push({
      kind: 'tls-off-process',
      what: `${variable}=0, which turns off the verification of every server's certificate for the whole process`,
      network: 'unknown',
      range: rangeOf(node, source),
      sends,
    });
  }
  return out;
}

function isValue(expr: ts.Expression, value: boolean | string): boolean {
  const e = unwrap(expr);
  if (value === false) return e.kind === ts.SyntaxKind.FalseKeyword;
  if (value === true) return e.kind === ts.SyntaxKind.TrueKeyword;
  if (value === '0') return (ts.isNumericLiteral(e) && e.text === '0') || (ts.isStringLiteralLike(e) && e.text === '0');
  return e.getText().replace(/\s+/g, ' ') === value;
}

/**
 * The calls that use what an option configures: the request it is passed to, or the client, agent
 * or transport created with it (`new https.Agent({...})` assigned to `agent`, then
 * `axios.post(url, body, { httpsAgent: agent })`), followed through a few names. A constant
 * exported by a config module is followed into the project files that read it, and an argument of
 * a project function into what the function does with its parameter (`client.access({ ...options })`).
 */
function sendsOfConfigured(
  option: ts.Node,
  ctx: DetectorContext,
  source: ts.SourceFile,
  depth: number,
  trail: ts.Node[] = [],
): Send[] {
  let n: ts.Node = option;
  while (
    n.parent &&
    (ts.isObjectLiteralExpression(n.parent) ||
      ts.isPropertyAssignment(n.parent) ||
      ts.isParenthesizedExpression(n.parent) ||
      ts.isAsExpression(n.parent) ||
      ts.isSatisfiesExpression(n.parent) ||
      ts.isSpreadAssignment(n.parent))
  )
    n = n.parent;
  const holder = n.parent;
  if (!holder || depth > 4) return [];
  if ((ts.isCallExpression(holder) || ts.isNewExpression(holder)) && (holder.arguments ?? []).some((a) => a === n)) {
    const direct = ts.isCallExpression(holder) ? thirdPartySinkOf(holder, ctx) : undefined;
    if (direct) return [{ call: holder, payload: direct.payload }];
    const inside = ts.isCallExpression(holder)
      ? viaParameter(holder, holder.arguments.indexOf(n as ts.Expression), ctx, depth, trail)
      : undefined;
    return inside && inside.length > 0 ? inside : usesOf(holder, ctx, source, depth);
  }
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) {
    const local = usesOfName(holder.name.text, holder, ctx, source, depth);
    if (local.length > 0) return local;
    return readsElsewhere(holder, keysFrom(option, holder), ctx, depth, trail);
  }
  return [];
}

/** The property keys from a declaration's initializer down to `node` (`{ TLS: { rejectUnauthorized } }` -> `['TLS']`). */
function keysFrom(node: ts.Node, declaration: ts.Node): string[] {
  const keys: string[] = [];
  for (let n: ts.Node | undefined = node.parent; n && n !== declaration; n = n.parent) {
    if (ts.isPropertyAssignment(n) && n !== node) keys.unshift(n.name.getText().replace(/['"]/g, ''));
  }
  return keys;
}

/**
 * Reads of an exported constant in the other project files (`FTP_EMR.TLS`, `FTP_EMR`) that take
 * the option along (not `FTP_EMR.HOST`), each followed like the option itself.
 */
function readsElsewhere(
  declaration: ts.VariableDeclaration,
  keys: string[],
  ctx: DetectorContext,
  depth: number,
  trail: ts.Node[],
): Send[] {
  const statement = declaration.parent.parent;
  if (
    !ts.isVariableStatement(statement) ||
    !ts.isSourceFile(statement.parent) ||
    !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  )
    return [];
  const name = (declaration.name as ts.Identifier).text;
  const init = declaration.initializer ? unwrap(declaration.initializer) : undefined;
  if (!init) return [];
  const out: Send[] = [];
  const home = declaration.getSourceFile();
  for (const path of ctx.project.ts.paths()) {
    if (!ctx.project.inScope(path)) continue;
    const sf = ctx.project.ts.sourceFile(path);
    if (!sf || sf === home || !sf.text.includes(name)) continue;
    ctx.tick();
    for (const id of nodesOfKind<ts.Identifier>(sf, ts.SyntaxKind.Identifier)) {
      if (
        id.text !== name ||
        ts.isImportSpecifier(id.parent) ||
        ts.isImportClause(id.parent) ||
        (ts.isPropertyAccessExpression(id.parent) && id.parent.name === id)
      )
        continue;
      ctx.tick();
      if (bindingOf(id, ctx)?.initializer !== init) continue;
      let read: ts.Expression = id;
      let k = 0;
      while (ts.isPropertyAccessExpression(read.parent) && read.parent.expression === read) {
        if (k < keys.length && read.parent.name.text !== keys[k]) break;
        read = read.parent;
        k++;
      }
      if (ts.isPropertyAccessExpression(read.parent) && read.parent.expression === read) continue; // another key
      trail.push(declaration);
      out.push(...sendsOfConfigured(read, ctx, sf, depth + 1, trail));
    }
  }
  return out;
}

/**
 * `ftp.download(ftpEmrOptions, path)` where `download` is a function of the project: what it does
 * with the matching parameter (`client.access({ ...options })` configures its client). Undefined
 * when the callee is not a function of the project.
 */
function viaParameter(
  call: ts.CallExpression,
  index: number,
  ctx: DetectorContext,
  depth: number,
  trail: ts.Node[],
): Send[] | undefined {
  if (index < 0) return undefined;
  const callee = unwrap(call.expression);
  const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
  if (!nameNode || !ts.isIdentifier(nameNode)) return undefined;
  let declaration: ts.Declaration | undefined;
  try {
    declaration = typeChecker(ctx, call).getSymbolAtLocation(nameNode)?.declarations?.[0];
  } catch (error) {
    rethrowTimeout(error);
    return undefined;
  }
  const fn =
    declaration && (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration))
      ? declaration
      : declaration &&
          ts.isVariableDeclaration(declaration) &&
          declaration.initializer &&
          (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer))
        ? declaration.initializer
        : undefined;
  if (!fn?.body || fn.getSourceFile().isDeclarationFile || !ctx.project.inScope(relativePath(fn.getSourceFile())))
    return undefined;
  const parameter = fn.parameters[index];
  if (!parameter || !ts.isIdentifier(parameter.name)) return [];
  const name = parameter.name.text;
  const body = fn.body;
  const sf = fn.getSourceFile();
  trail.push(call);
  const out: Send[] = [];
  for (const inner of callsOf(sf)) {
    if (
      !ts.isCallExpression(inner) ||
      inner.pos < body.pos ||
      inner.end > body.end ||
      !inner.arguments.some((a) => mentions(a, name))
    )
      continue;
    ctx.tick();
    const sink = thirdPartySinkOf(inner, ctx);
    if (sink) out.push({ call: inner, payload: sink.payload });
    else out.push(...usesOf(inner, ctx, sf, depth + 1));
  }
  return out;
}

/** What a client, agent or transport made by `made` is then used for. */
function usesOf(
  made: ts.CallExpression | ts.NewExpression,
  ctx: DetectorContext,
  source: ts.SourceFile,
  depth: number,
): Send[] {
  let p: ts.Node = made.parent;
  while (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isAsExpression(p)) p = p.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return usesOfName(p.name.text, p, ctx, source, depth);
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const names = accessChain(p.left).names;
    const last = names[names.length - 1];
    return last ? usesOfName(last, p, ctx, source, depth) : [];
  }
  if (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isObjectLiteralExpression(p))
    return sendsOfConfigured(made, ctx, source, depth + 1);
  // client.access({...}): the receiver is the configured client.
  if (ts.isCallExpression(made) && ts.isPropertyAccessExpression(made.expression)) {
    const names = accessChain(made.expression.expression).names;
    const last = names[names.length - 1];
    if (last) return usesOfName(last, made, ctx, source, depth);
  }
  return [];
}

/** Calls in the file whose receiver is `name` (`agent.x()`, `this.client.put()`) or that take it as an argument or option. */
function usesOfName(
  name: string,
  declaration: ts.Node,
  ctx: DetectorContext,
  source: ts.SourceFile,
  depth: number,
): Send[] {
  const out: Send[] = [];
  for (const call of callsOf(source)) {
    if (
      call === declaration ||
      !ts.isCallExpression(call) ||
      (call.pos <= declaration.pos && call.end >= declaration.end)
    )
      continue;
    const callee = unwrap(call.expression);
    const receiverNames = ts.isPropertyAccessExpression(callee) ? accessChain(callee.expression).names : [];
    const asReceiver = receiverNames[receiverNames.length - 1] === name;
    const asArgument = call.arguments.some((a) => mentions(a, name));
    if (!asReceiver && !asArgument) continue;
    const sink = thirdPartySinkOf(call, ctx);
    if (sink) {
      out.push({ call, payload: sink.payload });
      continue;
    }
    if (asReceiver) {
      out.push({ call, payload: [...call.arguments] });
      continue;
    }
    // axios.create({ httpsAgent: agent }): the instance it makes is the client.
    if (depth < 2) out.push(...usesOf(call, ctx, source, depth + 1));
  }
  return out;
}

function mentions(expr: ts.Expression, name: string): boolean {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e.text === name;
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.some(
      (p) =>
        (ts.isShorthandPropertyAssignment(p) && p.name.text === name) ||
        (ts.isPropertyAssignment(p) && mentions(p.initializer, name)) ||
        (ts.isSpreadAssignment(p) && mentions(p.expression, name)),
    );
  }
  return false;
}

// ---- FTP clients -------------------------------------------------------------------------

function ftpChannels(ctx: DetectorContext, source: ts.SourceFile, known: TransitKnowledge): ClearChannel[] {
  const out: ClearChannel[] = [];
  if (!known.ftpClients.some((c) => c.modules.some((m) => source.text.includes(m)))) return out;
  for (const call of callsOf(source)) {
    if (!ts.isNewExpression(call) && !ts.isCallExpression(call)) continue;
    const spec = ftpClientMade(call, ctx, known);
    if (!spec) continue;
    ctx.tick();
    const clientName = declaredName(call);
    if (!clientName) continue;
    // The connect call and its options: secure, host.
    let connect: ts.CallExpression | undefined;
    const sends: Send[] = [];
    for (const use of callsOf(source)) {
      if (!ts.isCallExpression(use) || !ts.isPropertyAccessExpression(use.expression)) continue;
      const names = accessChain(use.expression.expression).names;
      if (names[names.length - 1] !== clientName) continue;
      const method = use.expression.name.text;
      if (spec.connect.includes(method)) connect = use;
      if (spec.sends.includes(method)) sends.push({ call: use, payload: [...use.arguments] });
    }
    if (sends.length === 0) continue;
    const options = connect?.arguments[0] ? unwrap(connect.arguments[0]) : undefined;
    const objectOptions = options && ts.isObjectLiteralExpression(options) ? options : undefined;
    const secure = spec.secure && objectOptions ? property(objectOptions, spec.secure) : undefined;
    if (secure && unwrap(secure).kind !== ts.SyntaxKind.FalseKeyword) continue;
    if (spec.secure && options && !objectOptions) continue; // options from elsewhere: unknown
    const hostExpr = objectOptions ? property(objectOptions, 'host') : undefined;
    const host = hostExpr ? staticText(hostExpr, ctx).toLowerCase() : undefined;
    const network = host ? networkOf(host, ctx, known) : 'unknown';
    if (network === 'local') continue;
    const where = secure ? secure.parent : (connect ?? call);
    out.push({
      kind: 'ftp',
      what: `FTP without TLS (${spec.modules[0]}${secure ? `, ${secure.parent.getText(source)}` : spec.secure ? `, no ${spec.secure} option` : ''})${host && !host.startsWith('{') ? ` to ${host}` : ''}`,
      ...(host ? { host } : {}),
      network,
      range: rangeOf(where, source),
      ...(secure
        ? { fix: { title: `Use FTPS (${spec.secure}: true)`, range: rangeOf(secure, source), newText: 'true' } }
        : {}),
      sends,
    });
  }
  return out;
}

function ftpClientMade(
  call: ts.CallExpression | ts.NewExpression,
  ctx: DetectorContext,
  known: TransitKnowledge,
): TransitKnowledge['ftpClients'][number] | undefined {
  const callee = unwrap(call.expression);
  const root = accessChain(callee).root;
  let module: string | undefined;
  if (ts.isCallExpression(callee)) module = requireOf(callee);
  else if (ts.isIdentifier(root)) module = bindingOf(root, ctx)?.module;
  if (!module) return undefined;
  const name = module;
  return known.ftpClients.find((c) => c.modules.includes(name));
}

function declaredName(call: ts.Node): string | undefined {
  let p: ts.Node = call.parent;
  while (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p)) p = p.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    return accessChain(p.left).names.pop();
  return undefined;
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && p.name.getText().replace(/['"]/g, '') === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

// ---- Mail --------------------------------------------------------------------------------

function mailChannels(ctx: DetectorContext, source: ts.SourceFile, known: TransitKnowledge): ClearChannel[] {
  const out: ClearChannel[] = [];
  if (!known.mail.clearOptions.some((o) => source.text.includes(o))) return out;
  for (const call of callsOf(source)) {
    if (!ts.isCallExpression(call)) continue;
    const names = accessChain(unwrap(call.expression)).names;
    if (!known.mail.factories.includes(names[names.length - 1] ?? '')) continue;
    const options = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
    if (!options || !ts.isObjectLiteralExpression(options)) continue;
    const clear = known.mail.clearOptions
      .map((o) => ({ o, v: property(options, o) }))
      .find(({ v }) => v && unwrap(v).kind === ts.SyntaxKind.TrueKeyword);
    if (!clear) continue;
    const hostExpr = property(options, 'host');
    const host = hostExpr ? staticText(hostExpr, ctx).toLowerCase() : undefined;
    const network = host ? networkOf(host, ctx, known) : 'unknown';
    if (network === 'local') continue;
    ctx.tick();
    const name = declaredName(call);
    const sends = name
      ? usesOfName(name, call, ctx, source, 0).filter((s) =>
          known.mail.sends.includes(accessChain(unwrap(s.call.expression)).names.pop() ?? ''),
        )
      : [];
    if (sends.length === 0) continue;
    out.push({
      kind: 'smtp',
      what: `SMTP without TLS (${clear.o}: true)${host && !host.startsWith('{') ? ` to ${host}` : ''}`,
      ...(host ? { host } : {}),
      network,
      range: rangeOf(clear.v!.parent, source),
      fix: { title: `Require TLS (${clear.o}: false)`, range: rangeOf(clear.v!, source), newText: 'false' },
      sends,
    });
  }
  return out;
}

// ---- Databases ---------------------------------------------------------------------------

function databaseChannels(ctx: DetectorContext, source: ts.SourceFile, known: TransitKnowledge): ClearChannel[] {
  const out: ClearChannel[] = [];
  const db = known.databases;
  const schemes = new RegExp(`^(?:${db.schemes.map((s) => s.replace(/[+.]/g, '\\$&')).join('|')})://`, 'i');
  for (const literal of nodesOfKind<ts.StringLiteral | ts.NoSubstitutionTemplateLiteral>(
    source,
    ts.SyntaxKind.StringLiteral,
    ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  )) {
    if (!schemes.test(literal.text)) continue;
    const query = literal.text.split('?')[1]?.toLowerCase() ?? '';
    const off = db.sslOffParameters.find((p) => query.split('&').includes(p.toLowerCase()));
    if (!off) continue;
    const url = parseUrl(literal.text);
    const network = networkOf(url?.host, ctx, known);
    if (network === 'local' || network === 'unknown') continue;
    ctx.tick();
    out.push({
      kind: 'database',
      what: `a database connection without TLS (${off}) to ${url!.host}`,
      host: url!.host,
      network,
      range: rangeOf(literal, source),
      sends: [],
      carriesDatabase: true,
    });
  }
  for (const object of nodesOfKind<ts.ObjectLiteralExpression>(source, ts.SyntaxKind.ObjectLiteralExpression)) {
    const hostExpr = property(object, 'host') ?? property(object, 'server');
    if (!hostExpr) continue;
    const off = db.sslOffOptions
      .map((o) => ({ o, v: property(object, o) }))
      .find(({ v }) => v && unwrap(v).kind === ts.SyntaxKind.FalseKeyword);
    if (!off || !looksLikeDatabaseOptions(object)) continue;
    const host = staticText(hostExpr, ctx).toLowerCase();
    const network = networkOf(host, ctx, known);
    if (network === 'local' || network === 'unknown') continue;
    ctx.tick();
    out.push({
      kind: 'database',
      what: `a database connection without TLS (${off.o}: false) to ${host}`,
      host,
      network,
      range: rangeOf(off.v!.parent, source),
      sends: [],
      carriesDatabase: true,
    });
  }
  return out;
}

/** `{ host, database | user | port, ssl: false }`: the options of a database client, not of a web server. */
function looksLikeDatabaseOptions(object: ts.ObjectLiteralExpression): boolean {
  const keys = new Set(object.properties.map((p) => (p.name ? p.name.getText().replace(/['"]/g, '') : '')));
  return (
    keys.has('database') ||
    keys.has('dbName') ||
    keys.has('dialect') ||
    (keys.has('user') && keys.has('password') && !keys.has('secure'))
  );
}
