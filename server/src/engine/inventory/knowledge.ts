import type { EngineConfig } from '../config.js';
import { packData } from '../pack.js';

/** `rules/vocabulary/inventory.yaml`. */
export interface InventoryKnowledge {
  publicFolders: string[];
  publicBuckets: string[];
  publicAcl: string[];
  deleteCalls: string[];
  ttlWords: string[];
  sqlFileDeletion: string[];
}

const DEFAULTS: InventoryKnowledge = {
  publicFolders: ['public', 'www', 'public_html', 'htdocs', 'wwwroot', 'webroot', 'static'],
  publicBuckets: ['public'],
  publicAcl: ['public-read', 'public-read-write'],
  deleteCalls: ['unlink', 'unlinkSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'deleteObject', 'deleteObjects'],
  ttlWords: ['ttl', 'expireAfterSeconds', 'LifecycleConfiguration'],
  sqlFileDeletion: ['\\\\!\\s*(?:rm|del)\\b'],
};

const cache = new WeakMap<EngineConfig, InventoryKnowledge>();

export function inventoryKnowledge(config: EngineConfig): InventoryKnowledge {
  let known = cache.get(config);
  if (!known) {
    known = { ...DEFAULTS, ...packData<Partial<InventoryKnowledge>>(config.pack, 'inventory', {}) };
    cache.set(config, known);
  }
  return known;
}

/** A path below a web-served folder: whole segments, case-insensitive (`/srv/www/public/x.csv`). */
export function isPublicPath(path: string, known: InventoryKnowledge): boolean {
  const segments = path.toLowerCase().split(/[\\/]+/).filter(Boolean);
  return known.publicFolders.some((folder) => {
    const parts = folder.toLowerCase().split('/').filter(Boolean);
    return segments.some((_s, i) => parts.every((p, j) => segments[i + j] === p));
  });
}
