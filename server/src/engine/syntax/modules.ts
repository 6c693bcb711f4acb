/**
 * How a module specifier names a file, for every resolver of the engine (the TypeScript
 * program's fallbacks in `TsProject`, flow's `resolveModule`, the routes' `Resolver`): one list of
 * extensions, tried in this order after the specifier's stem.
 */

/** The file extensions a specifier may leave out, TypeScript before JavaScript. */
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** What resolution appends to a stem: an extension, then a folder's index file. */
export const MODULE_SUFFIXES: readonly string[] = [...SOURCE_EXTENSIONS, ...SOURCE_EXTENSIONS.map((e) => `/index${e}`)];

/** The workspace path a relative specifier names from a file, before extensions: `src/a.ts` + `../b` -> `b`. */
export function relativeModulePath(fromFile: string, specifier: string): string {
  const dir = fromFile.includes('/') ? fromFile.slice(0, fromFile.lastIndexOf('/')) : '';
  const out: string[] = [];
  for (const part of `${dir}/${specifier}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}
