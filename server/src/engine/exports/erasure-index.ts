import { PerFileFacts } from '../per-file-facts.js';
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
export class ErasureIndex extends PerFileFacts<ErasureFact> {
  private flat: ErasureFact[] | undefined;

  protected invalidate(): void {
    this.flat = undefined;
  }

  all(): ErasureFact[] {
    return (this.flat ??= [...this.byFile.values()].flat());
  }

  /** A file's deletions. */
  factsOf(file: string): readonly ErasureFact[] {
    return this.byFile.get(file) ?? [];
  }

  /**
   * The words another file must mention for its results to depend on a file's deletions: the
   * tables it drops, the last literal folder or file name of the paths and buckets it deletes.
   */
  namesOf(file: string): string[] {
    return (this.byFile.get(file) ?? []).flatMap((f) => {
      if (f.kind === 'table')
        return [
          f.name
            .replace(/["`[\]]/g, '')
            .split('.')
            .pop()!
            .toLowerCase(),
        ];
      const literal = f.name.split(/[\\/]/).filter((part) => part && !/[{}$]/.test(part));
      return literal.length > 0 ? [literal[literal.length - 1]!.toLowerCase()] : [];
    });
  }
}
