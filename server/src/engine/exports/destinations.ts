import ts from 'typescript';
import { ruleOptions } from '../config.js';
import type { DetectorContext } from '../detector.js';
import type { Destination } from '../inventory/model.js';
import { urlTarget } from '../sinks/hosts.js';
import { accessChain, bindingOf } from '../names/binding.js';
import { calledName, enclosingFunction, propertyValueMatching, unwrap } from '../syntax/ast.js';
import type { ExportSink } from '../sql/result-flow.js';
import type { Range } from '../types.js';
import { publicFolderOf, sharedFolderOf, type ExportKnowledge } from './knowledge.js';
import { servedDirectories, servedDirectoryOf } from './served.js';
import { staticText } from './static-text.js';

const BUCKET_CALLS = new Set(['putObject', 'upload', 'uploadFrom', 'uploadData', 'uploadStream', 'save']);
const BUCKET_COMMANDS = /^(PutObjectCommand|UploadPartCommand|CreateMultipartUploadCommand|Upload)$/;
const REMOTE_PATH_CALLS = new Set(['fastPut', 'put', 'uploadFrom']);

/** Why others can read what an export wrote. */
export interface Exposure {
  kind: 'web-folder' | 'ftp-folder' | 'served' | 'shared-folder' | 'public-bucket' | 'public-acl' | 'signed-url';
  /** For messages and the inventory: `a folder a web server publishes (www)`. */
  reason: string;
  /** Where the code makes it readable: the `express.static` call, the ACL option, the signed URL. */
  declared?: { file: string; range: Range; what: string };
  /** Only other accounts of the same machine can read it (a shared /tmp): a lesser risk. */
  local?: boolean;
}

/** A destination with what the export rules need: why it is public, and where it is written in the code. */
export interface Placed {
  destination: Destination;
  exposure?: Exposure;
  /** The destination as written: the path argument, the bucket name, the write call. */
  anchor?: Range;
  temporary?: boolean;
}

/** Where an export sink found by the engine writes: the file path, bucket, host or queue. */
export function sinkDestination(sink: ExportSink, ctx: DetectorContext, known: ExportKnowledge): Placed {
  const call = ts.isCallExpression(sink.node) ? sink.node : undefined;
  const args = call ? [...call.arguments] : [];
  const via = sink.name;
  const source = ctx.file.ts!;
  // An anchor in another file (a constant imported from elsewhere) cannot be where this file's finding points.
  const range = (e: ts.Node): Range | undefined =>
    e.getSourceFile() === source ? { start: e.getStart(source), end: e.end } : undefined;
  const withExposure = (destination: Destination, exposure: Exposure | undefined, anchor?: Range): Placed => ({
    destination: { ...destination, public: !!exposure, ...(exposure ? { exposure: exposure.reason } : {}) },
    ...(exposure ? { exposure } : {}),
    ...(anchor ? { anchor } : {}),
  });
  switch (sink.kind) {
    case 'file': {
      const bucket = call ? bucketOf(call, ctx) : undefined;
      if (bucket)
        return withExposure(
          { kind: 'bucket', target: bucket.name, public: false, via },
          call && bucketExposure(call, bucket.name, ctx, known),
          range(bucket.expr),
        );
      const name = call ? calledName(unwrap(call.expression)) : '';
      // XLSX.writeFile(workbook, path): the workbook first.
      const workbookFirst =
        call && /^(XLSX|xlsx)\.writeFile(Sync|XLSX)?$/.test(call.expression.getText(source).replace(/\s+/g, ''));
      const pathArg = workbookFirst && args[1] ? args[1] : args[0];
      // An upload to another machine (sftp.fastPut(local, remote), ftp.uploadFrom(stream, remote)): the data leaves for that host.
      if (REMOTE_PATH_CALLS.has(name) && args[1] !== undefined)
        return { destination: { kind: 'host', public: false, via } };
      const target = pathArg ? staticText(pathArg, ctx) : undefined;
      const exposure = target && call ? fileExposure(target, ctx, known, { write: call }) : undefined;
      return withExposure(
        { kind: 'file', ...(target ? { target } : {}), public: false, via },
        exposure,
        pathArg ? range(pathArg) : undefined,
      );
    }
    case 'http': {
      const first = args[0];
      const target = first ? urlTarget(first, ctx) : undefined;
      const host = target?.host ?? (target?.variable ? `$${target.variable}` : undefined);
      return { destination: { kind: 'host', ...(host ? { target: host } : {}), public: false, via } };
    }
    case 'stream': {
      const found = call ? streamFile(call, ctx) : undefined;
      if (!found) return { destination: { kind: 'stream', public: false, via } };
      return withExposure(
        { kind: 'file', target: found.path, public: false, via },
        fileExposure(found.path, ctx, known, { write: found.creation }),
        range(found.pathExpr),
      );
    }
    case 'queue': {
      const bucketSend = call ? commandBucket(call, ctx) : undefined;
      if (bucketSend)
        return withExposure(
          { kind: 'bucket', target: bucketSend.name, public: false, via },
          bucketExposure(call!, bucketSend.name, ctx, known, bucketSend.options),
          range(bucketSend.expr),
        );
      const target = args[0] && ts.isStringLiteralLike(unwrap(args[0])) ? staticText(args[0], ctx) : undefined;
      return { destination: { kind: 'queue', ...(target ? { target } : {}), public: false, via } };
    }
    case 'mail':
      // The recipient would be personal data: only say that it is mailed.
      return { destination: { kind: 'mail', public: false, via } };
    case 'download':
      return { destination: { kind: 'download', public: false, via } };
  }
}

/**
 * Why others can read a file written at `target`, if they can: a directory the application
 * serves, a folder a web or FTP server publishes, or (code running on the server only) a
 * directory every account of the machine reads, unless the write restricts the file's mode.
 * Nothing below the team's private export directory (`exports.privateDir`) is public.
 */
export function fileExposure(
  target: string,
  ctx: DetectorContext,
  known: ExportKnowledge,
  options: { serverSide?: boolean; write?: ts.CallExpression | ts.NewExpression } = {},
): Exposure | undefined {
  const privateDir = ctx.config.exports?.privateDir;
  if (privateDir && isBelow(target, privateDir)) return undefined;
  const served = servedDirectoryOf(target, servedDirectories(ctx.project));
  if (served) {
    const place = `${served.file}:${lineOf(ctx, served)}`;
    return {
      kind: 'served',
      reason: `a directory the application serves as static content (${served.via} in ${place})`,
      declared: { file: served.file, range: served.range, what: `served as static content by ${served.via}` },
    };
  }
  const folder = publicFolderOf(target, known);
  if (folder) {
    return folder.server === 'ftp'
      ? { kind: 'ftp-folder', reason: `a folder an FTP server publishes (${folder.folder})` }
      : { kind: 'web-folder', reason: `a folder a web server publishes (${folder.folder})` };
  }
  if (options.serverSide) return undefined;
  const shared = sharedFolderOf(target, known);
  if (shared && !(options.write && restrictsMode(options.write, ctx))) {
    const place = /^[{$]/.test(shared)
      ? `the system's temporary directory (${shared.replace(/^\{|\}$/g, '')})`
      : shared;
    return {
      kind: 'shared-folder',
      reason: `${place}, which every account of the server can read (the file is created world-readable)`,
      local: true,
    };
  }
  return undefined;
}

function isBelow(target: string, dir: string): boolean {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const t = norm(target);
  const d = norm(dir);
  return t === d || t.startsWith(`${d}/`);
}

function lineOf(ctx: DetectorContext, served: { file: string; range: Range }): number {
  const source = ctx.project.ts.sourceFile(served.file);
  return source ? source.getLineAndCharacterOfPosition(served.range.start).line + 1 : 0;
}

/** `writeFile(p, data, { mode: 0o600 })`, `createWriteStream(p, { mode: 0o640 })`, a chmod in the same function: not world-readable. */
function restrictsMode(write: ts.CallExpression | ts.NewExpression, ctx: DetectorContext): boolean {
  for (const arg of write.arguments ?? []) {
    const e = unwrap(arg);
    if (!ts.isObjectLiteralExpression(e)) continue;
    for (const p of e.properties) {
      if (ts.isPropertyAssignment(p) && p.name.getText() === 'mode') {
        const mode = numberOf(p.initializer, ctx);
        if (mode !== undefined && (mode & 0o004) === 0) return true;
      }
    }
  }
  let fn: ts.Node | undefined = write.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  return !!fn && /\b(?:chmod|chmodSync|fchmod)\s*\(/.test(fn.getText(ctx.file.ts));
}

/** The number an expression is, as far as constants tell: `0o600`, `384`, `7 * 24 * 3600`. */
function numberOf(expr: ts.Expression, ctx: DetectorContext, depth = 0): number | undefined {
  const e = unwrap(expr);
  if (depth > 4) return undefined;
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
  if (ts.isStringLiteralLike(e) && /^0?[0-7]{3}$/.test(e.text)) return parseInt(e.text, 8);
  if (ts.isBinaryExpression(e)) {
    const a = numberOf(e.left, ctx, depth + 1);
    const b = numberOf(e.right, ctx, depth + 1);
    if (a === undefined || b === undefined) return undefined;
    switch (e.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken:
        return a * b;
      case ts.SyntaxKind.PlusToken:
        return a + b;
      case ts.SyntaxKind.MinusToken:
        return a - b;
      case ts.SyntaxKind.SlashToken:
        return b === 0 ? undefined : a / b;
      default:
        return undefined;
    }
  }
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    const id = ts.isIdentifier(e) ? e : e.name;
    if (ts.isPrivateIdentifier(id)) return undefined;
    const init = bindingOf(id, ctx)?.initializer;
    return init ? numberOf(init, ctx, depth + 1) : undefined;
  }
  return undefined;
}

interface BucketRef {
  name: string;
  /** The expression that names the bucket (where a finding points). */
  expr: ts.Expression;
}

/** `s3.putObject({ Bucket: 'x' })`, `storage.bucket('x').upload(...)`, `supabase.storage.from('x').upload(...)`, `minio.putObject('x', key, body)`. */
function bucketOf(call: ts.CallExpression, ctx: DetectorContext): BucketRef | undefined {
  if (!BUCKET_CALLS.has(calledName(unwrap(call.expression)))) return undefined;
  for (const arg of call.arguments) {
    const value = propertyValueMatching(arg, /^bucket(name)?$/i);
    if (value) return { name: staticText(value, ctx), expr: value };
  }
  let e: ts.Expression = unwrap(call.expression);
  while (ts.isPropertyAccessExpression(e) || ts.isCallExpression(e)) {
    if (
      ts.isCallExpression(e) &&
      ts.isPropertyAccessExpression(e.expression) &&
      /^(bucket|from|getContainerClient|file)$/.test(e.expression.name.text) &&
      e.arguments[0]
    ) {
      if (e.expression.name.text === 'file') {
        e = unwrap(e.expression.expression);
        continue;
      }
      return { name: staticText(e.arguments[0], ctx), expr: e.arguments[0] };
    }
    e = unwrap(e.expression);
  }
  // minio: putObject(bucket, objectName, stream)
  if (
    calledName(unwrap(call.expression)) === 'putObject' &&
    call.arguments.length >= 3 &&
    !ts.isObjectLiteralExpression(unwrap(call.arguments[0]!))
  ) {
    return { name: staticText(call.arguments[0]!, ctx), expr: call.arguments[0]! };
  }
  return undefined;
}

/** `s3.send(new PutObjectCommand({ Bucket, Key, Body }))`, `new Upload({ client, params: { Bucket } }).done()`. */
function commandBucket(
  call: ts.CallExpression,
  ctx: DetectorContext,
): (BucketRef & { options: ts.Expression }) | undefined {
  for (const arg of call.arguments) {
    const e = unwrap(arg);
    if (!ts.isNewExpression(e) || !BUCKET_COMMANDS.test(accessChain(e.expression).names.pop() ?? '')) continue;
    const options = e.arguments?.[0];
    if (!options) continue;
    const params = propertyValueMatching(options, /^params$/) ?? options;
    const value = propertyValueMatching(params, /^bucket(name)?$/i);
    if (value) return { name: staticText(value, ctx), expr: value, options: params };
  }
  return undefined;
}

/**
 * Why an object written to a bucket is readable by anyone: a bucket named public, a public ACL
 * on the write, a `makePublic()` or a container made public in the same function, or a signed
 * link valid longer than the rule's limit.
 */
function bucketExposure(
  call: ts.CallExpression,
  bucket: string,
  ctx: DetectorContext,
  known: ExportKnowledge,
  options?: ts.Expression,
): Exposure | undefined {
  const source = ctx.file.ts!;
  const declared = (node: ts.Node, what: string) => ({
    file: ctx.file.path,
    range: { start: node.getStart(source), end: node.end },
    what,
  });
  const words = bucket.toLowerCase().split(/[^a-z0-9]+/);
  if (known.publicBuckets.some((b) => words.includes(b.toLowerCase())))
    return { kind: 'public-bucket', reason: `a bucket named as public (${bucket})` };
  const acls = known.publicAcl.map((a) => a.toLowerCase());
  for (const arg of [...call.arguments, ...(options ? [options] : [])]) {
    const acl = propertyValueMatching(arg, /^acl$/i) ?? propertyValueMatching(arg, /^predefinedAcl$/i);
    if (acl && acls.includes(staticText(acl, ctx).toLowerCase()))
      return {
        kind: 'public-acl',
        reason: `a public ACL (${staticText(acl, ctx)})`,
        declared: declared(acl, `public ACL ${staticText(acl, ctx)}`),
      };
  }
  const fn = enclosingFunction(call);
  if (!fn) return undefined;
  let found: Exposure | undefined;
  const limit = signedUrlLimit(ctx);
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const name = calledName(unwrap(node.expression));
      if (known.publicCalls.includes(name))
        found = {
          kind: 'public-acl',
          reason: `${name}() makes it readable by anyone`,
          declared: declared(node, `${name}()`),
        };
      else if (known.signedUrlCalls.includes(name)) {
        const seconds = signedUrlLifetime(node, ctx);
        if (seconds !== undefined && seconds > limit)
          found = {
            kind: 'signed-url',
            reason: `a signed link valid ${duration(seconds)}, usable by anyone who has it`,
            declared: declared(node, `signed link valid ${duration(seconds)}`),
          };
      }
    }
    if (ts.isPropertyAssignment(node) && known.publicAccessOptions.includes(node.name.getText().replace(/['"]/g, ''))) {
      const value = staticText(node.initializer, ctx).toLowerCase();
      if (value === 'blob' || value === 'container' || node.initializer.kind === ts.SyntaxKind.TrueKeyword)
        found = {
          kind: 'public-acl',
          reason: `public access (${node.getText(source)})`,
          declared: declared(node, node.getText(source)),
        };
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/** `maxSignedUrlSeconds` of export-to-public-location (its default is in the rule's YAML). */
function signedUrlLimit(ctx: DetectorContext): number {
  return Number(ruleOptions(ctx.config, 'export-to-public-location')['maxSignedUrlSeconds']);
}

/**
 * A signed link's lifetime in seconds: `{ expiresIn }` / `{ Expires }` (seconds), `{ expires: Date.now() + ms }`,
 * or a last numeric argument (minio, Supabase).
 */
function signedUrlLifetime(call: ts.CallExpression, ctx: DetectorContext): number | undefined {
  for (const arg of call.arguments) {
    const seconds = propertyValueMatching(arg, /^(expiresIn|Expires|expiry|expirySeconds)$/);
    if (seconds) return numberOf(seconds, ctx);
    const expires = propertyValueMatching(arg, /^(expires|expiresOn)$/);
    if (expires) {
      const e = unwrap(expires);
      if (
        ts.isBinaryExpression(e) &&
        e.operatorToken.kind === ts.SyntaxKind.PlusToken &&
        /Date\.now\(\)|getTime\(\)/.test(e.left.getText())
      ) {
        const ms = numberOf(e.right, ctx);
        return ms === undefined ? undefined : ms / 1000;
      }
      return undefined;
    }
  }
  const last = call.arguments[call.arguments.length - 1];
  return last && call.arguments.length >= 2 ? numberOf(last, ctx) : undefined;
}

function duration(seconds: number): string {
  if (seconds >= 86_400) return `${Math.round(seconds / 86_400)} days`;
  return `${Math.round(seconds / 3600)} hours`;
}

/** `rows.pipe(createWriteStream(path))`, `pipeline(src, csv, out)` where `out = fs.createWriteStream(path)`. */
function streamFile(
  call: ts.CallExpression,
  ctx: DetectorContext,
): { path: string; pathExpr: ts.Expression; creation: ts.CallExpression } | undefined {
  const candidates: ts.Expression[] = [...call.arguments];
  const callee = unwrap(call.expression);
  if (ts.isPropertyAccessExpression(callee)) candidates.push(callee.expression);
  for (const candidate of candidates) {
    const found = writeStreamPath(candidate, ctx, 0);
    if (found !== undefined) return found;
  }
  return undefined;
}

function writeStreamPath(
  expr: ts.Expression,
  ctx: DetectorContext,
  depth: number,
): { path: string; pathExpr: ts.Expression; creation: ts.CallExpression } | undefined {
  const e = unwrap(expr);
  if (depth > 3) return undefined;
  if (ts.isCallExpression(e)) {
    if (/createWriteStream$/.test(e.expression.getText()) && e.arguments[0])
      return { path: staticText(e.arguments[0], ctx), pathExpr: e.arguments[0], creation: e };
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const init = bindingOf(e, ctx)?.initializer;
    return init ? writeStreamPath(init, ctx, depth + 1) : undefined;
  }
  return undefined;
}
