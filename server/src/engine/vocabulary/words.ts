/** Splits an identifier into lower-case, accent-folded words: camelCase, PascalCase, snake_case, kebab-case, digits. */
export function splitWords(identifier: string): string[] {
  const folded = foldAccents(identifier)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([a-zA-Z])/g, '$1 $2');
  return folded
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

export function foldAccents(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[œ]/g, 'oe').replace(/[æ]/g, 'ae');
}
