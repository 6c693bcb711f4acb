import type { EngineConfig } from '../config.js';
import { vocabularyOf } from '../pack.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

/**
 * `rules/vocabulary/inventory.yaml`: where exports land and how code deletes them. Read by the
 * privacy inventory and by the export rules (`export-to-public-location`, `export-without-erasure`).
 */
export interface ExportKnowledge {
  /** Folders a web server publishes, as whole path segments (`www`, `public_html`, `srv/http`). */
  publicFolders: string[];
  /** Folders an FTP server publishes, as whole path segments (`srv/ftp`, `ftp/pub`). */
  ftpFolders: string[];
  /** Directories every account of the machine can read (`/tmp`), matched at the start of a path. */
  sharedFolders: string[];
  publicBuckets: string[];
  publicAcl: string[];
  /** Calls that make a stored object or bucket readable by anyone (`makePublic`). */
  publicCalls: string[];
  /** Option names whose value `blob`/`container`/`true` makes a container public (`publicAccess`, `access`). */
  publicAccessOptions: string[];
  /** Calls that make a pre-signed link to an object, with the option that sets its lifetime in seconds. */
  signedUrlCalls: string[];
  /** Directories an app serves as static content: callee paths, packages, and the options that name the folder. */
  servedDirectories: { calls: string[]; modules: string[]; options: string[] };
  deleteCalls: string[];
  ttlWords: string[];
  sqlFileDeletion: string[];
  /** Words in a table name that make an INSERT ... SELECT target an export or migration copy (`export_patients`, `tmp_reprise`). */
  copyWords: string[];
}

const EXPORTS = knowledgePart('exports', (config) => vocabularyOf<ExportKnowledge>(config.pack, 'inventory'));

export function exportKnowledge(config: EngineConfig): ExportKnowledge {
  return knowledgeOf(config).get(EXPORTS);
}

/** Whole path segments, lower case: `C:\inetpub\wwwroot\x` -> [c:, inetpub, wwwroot, x]. */
function pathSegments(path: string): string[] {
  return path
    .toLowerCase()
    .split(/[\\/]+/)
    .filter(Boolean);
}

function underFolder(path: string, folders: readonly string[]): string | undefined {
  const segments = pathSegments(path);
  return folders.find((folder) => {
    const parts = folder.toLowerCase().split('/').filter(Boolean);
    return segments.some((_s, i) => parts.every((p, j) => segments[i + j] === p));
  });
}

/** A path below a web-served folder: whole segments, case-insensitive (`/srv/www/public/x.csv`). */
export function isPublicPath(path: string, known: ExportKnowledge): boolean {
  return underFolder(path, known.publicFolders) !== undefined;
}

/** The web or FTP folder a path is below, if any: `www`, `srv/ftp`. */
export function publicFolderOf(
  path: string,
  known: ExportKnowledge,
): { folder: string; server: 'web' | 'ftp' } | undefined {
  const ftp = underFolder(path, known.ftpFolders);
  if (ftp) return { folder: ftp, server: 'ftp' };
  const web = underFolder(path, known.publicFolders);
  return web ? { folder: web, server: 'web' } : undefined;
}

/** A path in a directory every account of the machine can read (`/tmp/x.csv`, `{tmpdir()}/x.csv`). */
export function sharedFolderOf(path: string, known: ExportKnowledge): string | undefined {
  const p = path.replace(/\\/g, '/');
  return known.sharedFolders.find((f) => p === f || p.startsWith(f.endsWith('/') ? f : `${f}/`));
}
