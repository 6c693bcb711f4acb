import ts from 'typescript';

/** Joins route path pieces: `/api` + `/` + `:id` -> `/api/:id`. */
export function joinPaths(...parts: string[]): string {
  const joined = parts
    .filter((p) => p !== '' && p !== '/')
    .map((p) => '/' + p.replace(/^\/+|\/+$/g, ''))
    .join('');
  return joined === '' ? '/' : joined.replace(/\/{2,}/g, '/');
}

/** A static path written as a string or a template without substitutions. */
export function literalPath(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** The range of a string literal including its quotes. */
export function nodeRange(node: ts.Node): { start: number; end: number } {
  return { start: node.getStart(), end: node.getEnd() };
}

/** Does a `use` prefix cover a path (segment boundary)? */
export function underPrefix(path: string, prefix: string): boolean {
  const p = prefix.replace(/\/\*?$/, '').replace(/\(\.\*\)$/, '');
  if (p === '' || p === '/' || p === '*' || p === '/*') return true;
  return path === p || path.startsWith(p.endsWith('/') ? p : p + '/');
}
