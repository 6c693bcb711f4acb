/** The documents the client has open: project path <-> uri, and the version each was opened at. */
export class OpenDocuments {
  private readonly uris = new Map<string, string>();
  private readonly openedAt = new Map<string, number>();

  open(path: string, uri: string, version: number): void {
    this.uris.set(path, uri);
    this.openedAt.set(uri, version);
  }

  /** Forgets the document; returns whether its path was open. */
  close(path: string | undefined, uri: string): boolean {
    this.openedAt.delete(uri);
    return path !== undefined && this.uris.delete(path);
  }

  has(path: string): boolean {
    return this.uris.has(path);
  }

  uriOf(path: string): string | undefined {
    return this.uris.get(path);
  }

  /** The client sends the opening text as a first change too: that one is not an edit. */
  isOpeningVersion(uri: string, version: number): boolean {
    return this.openedAt.get(uri) === version;
  }

  paths(): IterableIterator<string> {
    return this.uris.keys();
  }
}
