import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import type { ConfigError } from './config-errors.js';
import type { ConfigSource, KeyPath } from './config-source.js';
import { packageRoot } from './rulepack.js';

const validators = new Map<string, ValidateFunction>();

/** The compiled validator of `schemas/<name>.schema.json`. */
export function schemaValidator(name: 'config' | 'rule'): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', `${name}.schema.json`), 'utf8')) as object;
    validate = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema);
    validators.set(name, validate);
  }
  return validate;
}

/** "did you mean" for a mistyped name, when one candidate is close enough. */
export function suggestion(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const lower = name.toLowerCase();
  const extended = candidates.filter((c) => lower.length >= 3 && (c.startsWith(lower) || lower.startsWith(c)));
  if (extended.length === 1) return extended[0];
  const best = closest(name, [...candidates]);
  return distance(name, best) <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export function didYouMean(name: string, candidates: readonly string[]): string {
  const best = suggestion(name, candidates);
  return best ? `, did you mean "${best}"?` : '';
}

/** Validates `source.value` (or `value`) with a schema; one located error per problem. */
export function validateAgainst(
  name: 'config' | 'rule',
  source: ConfigSource,
  value: unknown = source.value,
  base: KeyPath = [],
): ConfigError[] {
  const validate = schemaValidator(name);
  if (validate(value)) return [];
  return explain(validate.errors ?? []).map(({ path, message, at }) => source.error([...base, ...path], message, at));
}

const compiled = new WeakMap<object, ValidateFunction>();

/** Validates a value written at `base` in `source` against a schema given as data (a rule's options). */
export function validateWithSchema(schema: object, source: ConfigSource, value: unknown, base: KeyPath): ConfigError[] {
  let validate = compiled.get(schema);
  if (!validate)
    compiled.set(schema, (validate = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema)));
  if (validate(value)) return [];
  return explain(validate.errors ?? []).map(({ path, message, at }) => source.error([...base, ...path], message, at));
}

interface Explained {
  path: (string | number)[];
  message: string;
  at: 'key' | 'value';
}

const NOISE = new Set(['oneOf', 'anyOf', 'if', 'allOf', 'propertyNames']);
const PRIORITY = [
  'additionalProperties',
  'enum',
  'const',
  'pattern',
  'minLength',
  'minItems',
  'minimum',
  'uniqueItems',
  'required',
  'type',
];

/** Turns ajv's errors (with the noise of oneOf/if branches) into one message per problem. */
function explain(errors: ErrorObject[]): Explained[] {
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    if (NOISE.has(error.keyword)) continue;
    const key = errorPath(error).join('/');
    byPath.set(key, [...(byPath.get(key) ?? []), error]);
  }
  const paths = [...byPath.keys()];
  const out: Explained[] = [];
  for (const [key, list] of byPath) {
    const best = [...list].sort((a, b) => rank(a) - rank(b))[0]!;
    // A type/enum mismatch of a oneOf branch above a deeper, more precise error is noise.
    if (
      (best.keyword === 'type' || best.keyword === 'enum') &&
      paths.some((p) => p !== key && p.startsWith(key === '' ? '' : `${key}/`) && p.length > key.length)
    )
      continue;
    if (best.keyword === 'required') {
      const missing = list.filter((e) => e.keyword === 'required').map((e) => String(e.params.missingProperty));
      const path = errorPath(best);
      if (anyOfAt.has(best.instancePath) && missing.length > 1) {
        out.push({
          path: path.slice(0, -1),
          message: `needs at least one of these keys (expected one of ${missing.join(', ')})`,
          at: 'key',
        });
      } else {
        out.push({ path, message: `missing required key${describe(best)}`, at: 'value' });
      }
      continue;
    }
    out.push({
      path: errorPath(best),
      message: messageOf(best),
      at: best.keyword === 'additionalProperties' || best.propertyName !== undefined ? 'key' : 'value',
    });
  }
  return out;
}

function rank(error: ErrorObject): number {
  const i = PRIORITY.indexOf(error.keyword);
  return i < 0 ? PRIORITY.length : i;
}

function errorPath(error: ErrorObject): (string | number)[] {
  const path: (string | number)[] = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  if (error.propertyName !== undefined) path.push(error.propertyName);
  return path;
}

function describe(error: ErrorObject): string {
  const parent = error.parentSchema as { properties?: Record<string, { description?: string }> } | undefined;
  const description = parent?.properties?.[String(error.params.missingProperty)]?.description;
  return description ? ` (expected ${lowerFirst(description.replace(/\.$/, ''))})` : '';
}

function messageOf(error: ErrorObject): string {
  const parent = error.parentSchema as { properties?: Record<string, unknown>; description?: string } | undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(error.params.additionalProperty);
      const known = Object.keys(parent?.properties ?? {}).filter((k) => k !== '$schema');
      return `unknown key${didYouMean(name, known)} (expected one of ${known.join(', ')})`;
    }
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      const got = error.propertyName ?? error.data;
      const what = error.propertyName !== undefined ? 'unknown name' : `${JSON.stringify(got)} is not allowed`;
      return `${what}${typeof got === 'string' ? didYouMean(got, allowed) : ''} (expected one of ${allowed.join(', ')})`;
    }
    case 'type':
      return `${JSON.stringify(error.data)?.slice(0, 40) ?? 'value'} has the wrong type (expected ${article(String(error.params.type))})`;
    case 'pattern':
      return error.propertyName !== undefined
        ? `"${error.propertyName}" is not a valid rule id (expected kebab-case, e.g. select-star-export)`
        : `${JSON.stringify(error.data)} does not match the expected form (expected ${describedForm(error)})`;
    case 'const':
      return `must be ${JSON.stringify(error.params.allowedValue)}`;
    case 'minLength':
      return 'must not be empty (expected a non-empty string)';
    case 'minItems':
      return 'must not be empty (expected at least one item)';
    case 'uniqueItems':
      return 'has duplicate items (expected each item once)';
    case 'minimum':
      return `${JSON.stringify(error.data)} is too small (expected at least ${String(error.params.limit)})`;
    default:
      return `${error.message ?? 'is invalid'}`;
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    array: 'a list',
    object: 'a mapping of keys',
    string: 'a string',
    boolean: 'true or false',
    integer: 'an integer',
    number: 'a number',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** What a pattern stands for: the schema's description of the value when it has one, else the pattern. */
function describedForm(error: ErrorObject): string {
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  return typeof description === 'string'
    ? description.replace(/\.$/, '').replace(/^A /, 'a ')
    : String(error.params.pattern);
}
