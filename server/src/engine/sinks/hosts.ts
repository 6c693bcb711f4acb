import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { vocabularyOf } from '../pack.js';
import { bindingOf } from '../names/binding.js';
import { unwrap } from '../syntax/ast.js';
import { splitWords } from '../vocabulary/words.js';

/** Where a URL points: a literal external host, a system host, a host from the environment, or unknown. */
type HostKind = 'external' | 'internal' | 'environment' | 'unknown';

export interface UrlTarget {
  kind: HostKind;
  host?: string;
  /** The env variable a host comes from (`process.env.HPRIM_GATEWAY_URL`). */
  variable?: string;
}

/** The host of a URL expression: literals, constants (also imported), templates, `env ?? 'https://...'`. */
export function urlTarget(expr: ts.Expression, ctx: DetectorContext, depth = 0): UrlTarget {
  if (depth > 4) return { kind: 'unknown' };
  const e = unwrap(expr);
  if (ts.isStringLiteralLike(e)) return hostOfText(e.text, ctx);
  if (ts.isTemplateExpression(e)) {
    if (e.head.text !== '') return hostOfText(e.head.text, ctx);
    return urlTarget(e.templateSpans[0]!.expression, ctx, depth + 1);
  }
  if (
    ts.isBinaryExpression(e) &&
    [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind)
  ) {
    const fallback = urlTarget(e.right, ctx, depth + 1);
    if (fallback.kind === 'external') return fallback;
    const left = urlTarget(e.left, ctx, depth + 1);
    return left.kind === 'unknown' ? fallback : left;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return urlTarget(e.left, ctx, depth + 1);
  if (ts.isNewExpression(e) && e.expression.getText() === 'URL' && e.arguments?.[0]) {
    const first = urlTarget(e.arguments[0], ctx, depth + 1);
    return first.kind === 'internal' && e.arguments[1] ? urlTarget(e.arguments[1], ctx, depth + 1) : first;
  }
  const env = envVariable(e);
  if (env)
    return ownApiVariable(env, ctx, true)
      ? { kind: 'internal', variable: env }
      : { kind: 'environment', variable: env };
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    const id = ts.isIdentifier(e) ? e : e.name;
    if (ts.isPrivateIdentifier(id)) return { kind: 'unknown' };
    const binding = bindingOf(id, ctx);
    const resolved = binding?.initializer
      ? urlTarget(binding.initializer, ctx, depth + 1)
      : { kind: 'unknown' as const };
    // `config.apiUrl`, `API_BASE_URL`, `environment.apiUrl`: a setting that names the application's own API, whatever deployment fills it.
    if ((resolved.kind === 'environment' || resolved.kind === 'unknown') && ownApiVariable(id.text, ctx, false))
      return { ...resolved, kind: 'internal' };
    return resolved;
  }
  return { kind: 'unknown' };
}

interface OwnBackendData {
  ownBackend: { publicPrefixes: string[]; apiNames: string[] };
}

/**
 * Does a variable name the application's own API? The name, once a frontend build prefix is
 * taken off (`NEXT_PUBLIC_`, `VITE_`...), is an unqualified API name (`API_URL`, `BASE_URL`,
 * `BACKEND_URL`, `apiBaseUrl`): a qualified one (`LAB_API_URL`, `OPENAI_BASE_URL`) names another
 * system. An environment variable counts only with a frontend prefix: the browser bundle's
 * variables point at the backend that serves it.
 */
function ownApiVariable(name: string, ctx: DetectorContext, environment: boolean): boolean {
  const data = vocabularyOf<OwnBackendData>(ctx.config.pack, 'third-party').ownBackend;
  const prefixes = data.publicPrefixes;
  const prefix = prefixes.find((p) => name.startsWith(p));
  if (environment && !prefix) return false;
  const words = splitWords(prefix ? name.slice(prefix.length) : name).join(' ');
  return data.apiNames.includes(words);
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`, `Deno.env.get('X')`. */
function envVariable(e: ts.Expression): string | undefined {
  const text = e.getText().replace(/\s+/g, '');
  const m =
    /^(?:process\.env|import\.meta\.env)(?:\.|\[['"])([A-Za-z_][A-Za-z0-9_]*)/.exec(text) ??
    /^Deno\.env\.get\(['"]([^'"]+)/.exec(text);
  return m?.[1];
}

/** The target of a URL or host written as text. */
export function hostOfText(text: string, ctx: DetectorContext): UrlTarget {
  const m = /^([a-z][a-z0-9+.-]*:)?\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^/:?#]+)/i.exec(text.trim());
  if (!m) return { kind: 'internal' }; // relative URL: same origin
  const host = m[2]!.toLowerCase();
  return { kind: isInternalHost(host, ctx) ? 'internal' : 'external', host };
}

interface ThirdPartyData {
  internalHosts: string[];
}

function isInternalHost(host: string, ctx: DetectorContext): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (!h.includes('.') && !h.includes(':')) return true; // single-label names: containers, intranet machines
  if (/^(127\.|10\.|192\.168\.|169\.254\.|0\.0\.0\.0$)/.test(h) || /^172\.(1[6-9]|2\d|3[01])\./.test(h)) return true;
  if (h === '::1' || /^f[cd][0-9a-f]{2}:/.test(h)) return true;
  const patterns = [
    ...vocabularyOf<ThirdPartyData>(ctx.config.pack, 'third-party').internalHosts,
    ...(ctx.config.thirdParty?.internalHosts ?? []),
    ...(ctx.config.thirdParty?.approvedProcessors ?? []),
  ];
  return patterns.some((p) => hostMatches(h, p.toLowerCase()));
}

function hostMatches(host: string, pattern: string): boolean {
  const p = pattern.replace(/^[a-z]+:\/\//, '').replace(/[/:].*$/, '');
  if (p.startsWith('*.')) return host.endsWith(p.slice(1)) || host === p.slice(2);
  return host === p;
}
