import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parseDocument, LineCounter } from 'yaml';
import type { RuleMeta, RulePack } from '../engine/index.js';
import { readPackCache } from './pack-cache.js';

/** Thrown for a rule pack or rule file that cannot be used; the message names file, line and key. */
export class PackError extends Error {}

/** The directory holding the built-in rule pack (`rules/`) and schemas, found from this module upwards. */
export function packageRoot(): string {
  const override = process.env.GDPR_LINT_HOME;
  if (override) return override;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'rules', 'vocabulary')) && existsSync(join(dir, 'schemas'))) return dir;
    dir = dirname(dir);
  }
  throw new PackError(`cannot find the gdpr-lint rule pack (rules/) above ${__dirname}`);
}

let ruleValidator: ValidateFunction | undefined;

function validateRule(): ValidateFunction {
  if (ruleValidator) return ruleValidator;
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'rule.schema.json'), 'utf8')) as object;
  ruleValidator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  return ruleValidator;
}

/** Parses a YAML file, throwing a PackError with `file:line:column` on a syntax error. */
function readYaml(file: string): { value: unknown; locate: (path: (string | number)[]) => string } {
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const pos = lineCounter.linePos(error.pos[0]);
    throw new PackError(`${file}:${pos.line}:${pos.col}: ${error.message.split('\n')[0]}`);
  }
  const locate = (path: (string | number)[]) => {
    const node = doc.getIn(path, true) as { range?: [number, number] } | undefined;
    const offset = node?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(offset);
    return `${file}:${pos.line}:${pos.col}`;
  };
  return { value: doc.toJS(), locate };
}

/** Reads and validates one rule file (built-in or team). */
function loadRuleFile(file: string): RuleMeta {
  const { value, locate } = readYaml(file);
  const validate = validateRule();
  if (!validate(value)) {
    const error = validate.errors![0]!;
    const path = error.instancePath
      .split('/')
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const key =
      [
        ...path,
        ...(error.params && 'additionalProperty' in error.params ? [String(error.params.additionalProperty)] : []),
      ].join('.') || '(root)';
    throw new PackError(`${locate(path)}: ${key}: ${error.message ?? 'invalid'}`);
  }
  return value as RuleMeta;
}

const vocabularyValidators = new Map<string, ValidateFunction>();

/**
 * Reads one knowledge file of `rules/vocabulary/` and validates it against its schema
 * (`schemas/vocabulary/<name>.schema.json`, or `category.schema.json` for a category's terms):
 * a misspelt key or a term in the wrong place fails the build, located, instead of being ignored.
 */
function loadVocabularyFile(file: string, root = packageRoot()): unknown {
  const { value, locate } = readYaml(file);
  const name = basename(file, '.yaml');
  const own = join(root, 'schemas', 'vocabulary', `${name}.schema.json`);
  const isCategory = typeof value === 'object' && value !== null && 'category' in value;
  const schemaFile = existsSync(own)
    ? own
    : isCategory
      ? join(root, 'schemas', 'vocabulary', 'category.schema.json')
      : undefined;
  if (!schemaFile)
    throw new PackError(
      `${file}:1:1: no schema for this vocabulary file (expected schemas/vocabulary/${name}.schema.json)`,
    );
  let validate = vocabularyValidators.get(schemaFile);
  if (!validate)
    vocabularyValidators.set(
      schemaFile,
      (validate = new Ajv({ allErrors: true, strict: false }).compile(
        JSON.parse(readFileSync(schemaFile, 'utf8')) as object,
      )),
    );
  if (!validate(value)) {
    const error = validate.errors![0]!;
    const path = error.instancePath
      .split('/')
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const key =
      [
        ...path,
        ...(error.params && 'additionalProperty' in error.params ? [String(error.params.additionalProperty)] : []),
      ].join('.') || '(root)';
    throw new PackError(`${locate(path)}: ${key}: ${error.message ?? 'invalid'} (schema ${basename(schemaFile)})`);
  }
  return value;
}

/** Loads the built-in pack: `rules/*.yaml` (validated) and `rules/vocabulary/*.yaml` (knowledge data). */
export function loadRulePack(root = packageRoot()): RulePack {
  return readPackCache(root) ?? parseRulePack(root);
}

/** Parses and validates the pack's YAML (what the build-time cache holds). */
export function parseRulePack(root = packageRoot()): RulePack {
  const rulesDir = join(root, 'rules');
  const rules: Record<string, RuleMeta> = {};
  for (const name of readdirSync(rulesDir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()) {
    const rule = loadRuleFile(join(rulesDir, name));
    if (rule.id !== basename(name, '.yaml'))
      throw new PackError(`${join(rulesDir, name)}:1:1: id: "${rule.id}" does not match the file name`);
    rules[rule.id] = rule;
  }
  const data: Record<string, unknown> = {};
  const vocabDir = join(rulesDir, 'vocabulary');
  for (const name of readdirSync(vocabDir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()) {
    data[basename(name, '.yaml')] = loadVocabularyFile(join(vocabDir, name), root);
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string };
  return { version: pkg.version ?? '0.0.0', rules, data };
}
