import { relative } from 'node:path';

/** One problem in a configuration or team rule file, located for the CLI and the editor. */
export interface ConfigError {
  /** Absolute path of the file. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Dotted path of the key, e.g. `rules.select-star-export`; `(file)` for the file as a whole. */
  key: string;
  /** What is wrong, with what was expected: `"fatal" is not a severity (expected off, note, warning or error)`. */
  message: string;
}

/** `file:line:column: key: what is wrong (expected ...)`, the file relative to `cwd` when given. */
export function formatConfigError(error: ConfigError, cwd?: string): string {
  const file = cwd ? relative(cwd, error.file) || error.file : error.file;
  return `${file.split('\\').join('/')}:${error.line}:${error.column}: ${error.key}: ${error.message}`;
}

export function keyOf(path: readonly (string | number)[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}
