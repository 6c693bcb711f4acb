import { readFileSync } from 'node:fs';
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

export type SourceOutcome = { source: ConfigSource } | { error: ConfigError };

/**
 * Reads a YAML or JSON file (`.json` must be strict JSON) with positions. With `property`, the
 * config is that top-level property (package.json `gdprLint`); `undefined` when it is absent.
 */
export function readConfigSource(file: string, property?: string): SourceOutcome | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: { file, line: 1, column: 1, key: '(file)', message: code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'error'})` } };
  }
  return parseConfigText(file, text, property);
}

export function parseConfigText(file: string, text: string, property?: string): SourceOutcome | undefined {
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
    return { error: { file, ...at(first.pos[0]), key: '(file)', message: `invalid YAML: ${first.message.split('\n')[0]} (expected valid YAML)` } };
  }
  const prefix = property ? [property] : [];
  let whole: unknown;
  try {
    whole = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { error: { file, line: 1, column: 1, key: '(file)', message: `cannot read the YAML: ${(error as Error).message} (expected plain keys and values)` } };
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
    return { offset, message: message.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/, '').replace(/, "[\s\S]*" is not valid JSON$/, '') };
  }
}
