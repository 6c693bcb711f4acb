/**
 * Facts that each file of the project contributes to a project-wide index (the schema's tables,
 * the deletions), replaced file by file: `version` changes whenever a contribution does, and what
 * the index derived from all of them is dropped then.
 */
export abstract class PerFileFacts<T> {
  protected readonly byFile = new Map<string, T[]>();
  version = 0;

  replaceFile(file: string, facts: T[]): void {
    const previous = this.byFile.get(file);
    if (!previous && facts.length === 0) return;
    if (previous && JSON.stringify(previous) === JSON.stringify(facts)) return;
    if (facts.length === 0) this.byFile.delete(file);
    else this.byFile.set(file, facts);
    this.invalidate();
    this.version++;
  }

  removeFile(file: string): void {
    this.replaceFile(file, []);
  }

  /** Drops what the index derived from the files' facts. */
  protected abstract invalidate(): void;
}
