import type { Range } from '../types.js';

/** One deletion somewhere in the project, by what it names. */
export interface ErasureFact {
  kind: 'path' | 'table' | 'bucket';
  /** The path as the code tells it (`/data/exports/{f}`), the table, the bucket. */
  name: string;
  how: string;
  file: string;
  range: Range;
}

/** The deletions of every file of the project, replaced file by file (fed with the schema by `Project.refreshFacts`). */
export class ErasureIndex {
  private readonly byFile = new Map<string, ErasureFact[]>();
  private flat: ErasureFact[] | undefined;
  version = 0;

  replaceFile(file: string, facts: ErasureFact[]): void {
    const previous = this.byFile.get(file);
    if (!previous && facts.length === 0) return;
    if (previous && JSON.stringify(previous) === JSON.stringify(facts)) return;
    if (facts.length === 0) this.byFile.delete(file);
    else this.byFile.set(file, facts);
    this.flat = undefined;
    this.version++;
  }

  removeFile(file: string): void {
    this.replaceFile(file, []);
  }

  all(): ErasureFact[] {
    return (this.flat ??= [...this.byFile.values()].flat());
  }

  /** The names a file's deletions mention (what other files' results may depend on). */
  namesOf(file: string): string[] {
    return (this.byFile.get(file) ?? []).map((f) => f.name);
  }
}
