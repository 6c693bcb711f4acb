import { readFileSync, statSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { keyOf, type ConfigError } from './config-errors.js';

export type KeyPath = readonly (string | number)[];

/**
 * A parsed configuration or rule file that can say where any key or value is written.
 * `prefix` is the path of the config inside the document (`["gdprLint"]` in package.json).
 */
export interface ConfigSource {
  file: string;
  value: unknown;
  /** 1-based position of the value at `path` (or of its key with `at: 'key'`), falling back to the nearest ancestor. */
  position(path: KeyPath, at?: 'key' | 'value'): { line: number; column: number };
  /** A ConfigError at `path`. */
  error(path: KeyPath, message: string, at?: 'key' | 'value'): ConfigError;
}

type SourceOutcome = { source: ConfigSource } | { error: ConfigError };

/**
 * Reads a YAML or JSON file (`.json` must be strict JSON) with positions. With `property`, the
 * config is that top-level property (package.json `gdprLint`); `undefined` when it is absent.
 */
export function readConfigSource(file: string, property?: string): SourceOutcome | undefined {
  const fail = (message: string): SourceOutcome => ({ error: { file, line: 1, column: 1, key: '(file)', message } });
  let text: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return fail('not a regular file (expected a YAML or JSON file)');
    if (stat.size > MAX_CONFIG_BYTES)
      return fail(
        `larger than ${MAX_CONFIG_BYTES / 1024} KB: not a configuration (expected a YAML or JSON file of settings)`,
      );
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'error'})`);
  }
  return parseConfigText(file, text, property);
}

/** Configurations and rule files are small: anything bigger is refused unread. */
const MAX_CONFIG_BYTES = 256 * 1024;
/** Deeper nesting than any configuration needs; refused before parsing, which recurses. */
const MAX_CONFIG_DEPTH = 32;

function parseConfigText(file: string, text: string, property?: string): SourceOutcome | undefined {
  const deep = nestingBeyond(text, MAX_CONFIG_DEPTH);
  if (deep !== undefined)
    return {
      error: {
        file,
        line: lineOf(text, deep),
        column: 1,
        key: '(file)',
        message: `nested more than ${MAX_CONFIG_DEPTH} levels deep (expected a configuration of settings)`,
      },
    };
  const lineCounter = new LineCounter();
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (/\.json$/i.test(file)) {
    const jsonError = strictJsonError(text);
    if (jsonError) {
      parseDocument(text, { lineCounter });
      return { error: { file, ...at(jsonError.offset), key: '(file)', message: `invalid JSON: ${jsonError.message}` } };
    }
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    return {
      error: {
        file,
        ...at(first.pos[0]),
        key: '(file)',
        message: `invalid YAML: ${first.message.split('\n')[0]} (expected valid YAML)`,
      },
    };
  }
  const prefix = property ? [property] : [];
  let whole: unknown;
  try {
    whole = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return {
      error: {
        file,
        line: 1,
        column: 1,
        key: '(file)',
        message: `cannot read the YAML: ${(error as Error).message} (expected plain keys and values)`,
      },
    };
  }
  const value = property ? (whole as Record<string, unknown> | null)?.[property] : whole;
  if (property && value === undefined) return undefined;
  const position = (path: KeyPath, where: 'key' | 'value' = 'value') => at(offsetOf(doc, [...prefix, ...path], where));
  return {
    source: {
      file,
      value: value ?? {},
      position,
      error: (path, message, where) => ({ file, ...position(path, where), key: keyOf(path), message }),
    },
  };
}

/** Offset of the node at `path`, or of its key, or of the nearest ancestor that exists. */
function offsetOf(doc: Document, path: KeyPath, where: 'key' | 'value'): number {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    if (where === 'key' && n === path.length && n > 0) {
      const parent = n === 1 ? doc.contents : doc.getIn(sub.slice(0, -1), true);
      if (isMap(parent)) {
        const last = sub[sub.length - 1];
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
        const range = (pair?.key as { range?: [number, number] } | undefined)?.range;
        if (range) return range[0];
      }
    }
    const node = (n === 0 ? doc.contents : doc.getIn(sub, true)) as { range?: [number, number] } | null | undefined;
    if (node?.range) return node.range[0];
  }
  return 0;
}

/** Offset where `[`/`{` nesting (outside quotes) first exceeds `max`, if it does. */
function nestingBeyond(text: string, max: number): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function strictJsonError(text: string): { offset: number; message: string } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    let offset = position ? Number(position[1]) : 0;
    if (!position && lineCol) {
      const lines = text.split('\n').slice(0, Number(lineCol[1]) - 1);
      offset = lines.reduce((sum, l) => sum + l.length + 1, 0) + Number(lineCol[2]) - 1;
    }
    return {
      offset,
      message: message
        .replace(/^JSON\.parse: /, '')
        .replace(/ in JSON at position \d+.*$/, '')
        .replace(/, "[\s\S]*" is not valid JSON$/, ''),
    };
  }
}
