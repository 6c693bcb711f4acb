import {
  categoryText,
  type Category,
  type Location,
  type RouteAuth,
  type StoreProtection,
} from '../../engine/index.js';

/** What every inventory format is given besides the inventory. */
export interface InventoryMeta {
  /** The project, as the report's title names it (`lab-app`). */
  title: string;
  toolVersion: string;
  /** A link to a line of a file (CI links), when the host knows one. */
  link?: (file: string, line: number) => string;
}

export const PROTECTION_TEXT: Record<StoreProtection, string> = {
  encrypted: 'encrypted',
  'partly-encrypted': 'partly encrypted',
  plaintext: 'in clear',
  'no-special-data': 'no special-category data',
};

export const AUTH_TEXT: Record<RouteAuth, string> = {
  authenticated: 'authenticated',
  none: 'none',
  'opted-out': 'none (opts out)',
  optional: 'optional',
  unmounted: 'not mounted',
  unverified: 'could not be verified',
};

export function where(location: Location): string {
  return `${location.file}:${location.line}`;
}

export function categoriesText(categories: readonly Category[]): string {
  return categories.length > 0 ? categories.join(', ') : '-';
}

export { categoryText };
