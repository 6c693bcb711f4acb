import { createHash } from 'node:crypto';
import { UsageError } from './workspace.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parses `--shard i/n` (1 <= i <= n), as CI matrices number their jobs. */
export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard must be i/n with 1 <= i <= n (e.g. 2/4), not "${value}"`);
  return { index, count };
}

/**
 * Whether a file belongs to a shard: a hash of its relative path, so the partition is stable
 * across runs and machines and does not move files when others are added or removed.
 */
export function inShard(path: string, shard: Shard): boolean {
  if (shard.count === 1) return true;
  const hash = createHash('sha1').update(path).digest().readUInt32BE(0);
  return hash % shard.count === shard.index - 1;
}
