import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { urlTarget } from '../sinks/hosts.js';
import { bindingOf, unwrap } from '../sinks/resolve.js';
import type { ExportSink } from '../sql/result-flow.js';
import { isPublicPath, type InventoryKnowledge } from './knowledge.js';
import type { Destination } from './model.js';
import { staticText } from './static-text.js';

const BUCKET_CALLS = new Set(['putObject', 'upload', 'uploadFrom']);
const REMOTE_PATH_CALLS = new Set(['fastPut', 'put', 'uploadFrom']);

/** Where an export sink found by the engine writes: the file path, bucket, host or queue. */
export function sinkDestination(sink: ExportSink, ctx: DetectorContext, known: InventoryKnowledge): Destination {
  const call = ts.isCallExpression(sink.node) ? sink.node : undefined;
  const args = call ? [...call.arguments] : [];
  const via = sink.name;
  switch (sink.kind) {
    case 'file': {
      const bucket = call ? bucketOf(call, ctx) : undefined;
      if (bucket) return { kind: 'bucket', target: bucket.name, public: bucket.public || isPublicBucket(bucket.name, known) || hasPublicAcl(args, ctx, known), via };
      const name = call ? calleeName(call) : '';
      const pathArg = REMOTE_PATH_CALLS.has(name) && args[1] ? args[1] : args[0];
      const target = pathArg ? staticText(pathArg, ctx) : undefined;
      return { kind: 'file', ...(target ? { target } : {}), public: !!target && isPublicPath(target, known), via };
    }
    case 'http': {
      const first = args[0];
      const target = first ? urlTarget(first, ctx) : undefined;
      const host = target?.host ?? (target?.variable ? `$${target.variable}` : undefined);
      return { kind: 'host', ...(host ? { target: host } : {}), public: false, via };
    }
    case 'stream': {
      const file = call ? streamFile(call, ctx) : undefined;
      return file !== undefined ? { kind: 'file', target: file, public: isPublicPath(file, known), via } : { kind: 'stream', public: false, via };
    }
    case 'queue': {
      const target = args[0] && ts.isStringLiteralLike(unwrap(args[0])) ? staticText(args[0], ctx) : undefined;
      return { kind: 'queue', ...(target ? { target } : {}), public: false, via };
    }
    case 'mail':
      // The recipient would be personal data: only say that it is mailed.
      return { kind: 'mail', public: false, via };
    case 'download':
      return { kind: 'download', public: false, via };
  }
}

function calleeName(call: ts.CallExpression): string {
  const callee = unwrap(call.expression);
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return ts.isIdentifier(callee) ? callee.text : '';
}

/** `s3.putObject({ Bucket: 'x' })`, `storage.bucket('x').upload(...)`, `supabase.storage.from('x').upload(...)`. */
function bucketOf(call: ts.CallExpression, ctx: DetectorContext): { name: string; public: boolean } | undefined {
  if (!BUCKET_CALLS.has(calleeName(call))) return undefined;
  for (const arg of call.arguments) {
    const value = propertyValue(arg, /^bucket(name)?$/i);
    if (value) return { name: staticText(value, ctx), public: false };
  }
  let e: ts.Expression = unwrap(call.expression);
  while (ts.isPropertyAccessExpression(e) || ts.isCallExpression(e)) {
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && /^(bucket|from)$/.test(e.expression.name.text) && e.arguments[0]) {
      return { name: staticText(e.arguments[0], ctx), public: false };
    }
    e = unwrap(e.expression);
  }
  return undefined;
}

function propertyValue(arg: ts.Expression, key: RegExp): ts.Expression | undefined {
  const e = unwrap(arg);
  if (!ts.isObjectLiteralExpression(e)) return undefined;
  for (const p of e.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) && key.test(p.name.text)) return p.initializer;
  }
  return undefined;
}

function isPublicBucket(name: string, known: InventoryKnowledge): boolean {
  const words = name.toLowerCase().split(/[^a-z0-9]+/);
  return known.publicBuckets.some((b) => words.includes(b.toLowerCase()));
}

function hasPublicAcl(args: ts.Expression[], ctx: DetectorContext, known: InventoryKnowledge): boolean {
  return args.some((arg) => {
    const acl = propertyValue(arg, /^acl$/i) ?? propertyValue(arg, /^predefinedAcl$/i);
    return !!acl && known.publicAcl.map((a) => a.toLowerCase()).includes(staticText(acl, ctx).toLowerCase());
  });
}

/** `rows.pipe(createWriteStream(path))`, `pipeline(src, csv, out)` where `out = fs.createWriteStream(path)`. */
function streamFile(call: ts.CallExpression, ctx: DetectorContext): string | undefined {
  const candidates: ts.Expression[] = [...call.arguments];
  const callee = unwrap(call.expression);
  if (ts.isPropertyAccessExpression(callee)) candidates.push(callee.expression);
  for (const candidate of candidates) {
    const found = writeStreamPath(candidate, ctx, 0);
    if (found !== undefined) return found;
  }
  return undefined;
}

function writeStreamPath(expr: ts.Expression, ctx: DetectorContext, depth: number): string | undefined {
  const e = unwrap(expr);
  if (depth > 3) return undefined;
  if (ts.isCallExpression(e)) {
    if (/createWriteStream$/.test(e.expression.getText()) && e.arguments[0]) return staticText(e.arguments[0], ctx);
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const init = bindingOf(e, ctx)?.initializer;
    return init ? writeStreamPath(init, ctx, depth + 1) : undefined;
  }
  return undefined;
}
