import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { languageOf, LineIndex, Project, type EngineConfig, type RulePack } from '../engine/index.js';
import { loadConfigFor, type LoadedConfig } from '../host/config.js';
import { CONFIG_FILE_NAMES } from '../host/config-discovery.js';
import { discoverFiles, toPosix } from '../host/discover.js';
import { excludedByPackage, packageConfigs, packageOf, type PackageConfig } from '../host/package-configs.js';
import { readSource } from '../host/read.js';

interface Folder {
  uri: string;
  /** Absolute path on disk, forward slashes. */
  root: string;
  /** Prefix of this folder's project paths: '' for a single folder, `<name>/` in a multi-root workspace. */
  prefix: string;
}

const LANGUAGE_EXTENSIONS: Record<string, string> = {
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
  sql: '.sql',
  prisma: '.prisma',
};

/**
 * The workspace as the engine sees it: one Project over every folder, fed with disk content,
 * overridden by the editor's open documents. Maps URIs to the engine's relative paths and back.
 */
export class LintWorkspace {
  project: Project;
  loaded: LoadedConfig;
  /** What the project holds: disk text, or the open document's text. */
  private readonly texts = new Map<string, string>();
  private readonly openUris = new Map<string, string>();
  /** Files set or removed since the project's facts were last refreshed. */
  private readonly dirty = new Set<string>();
  /** Monorepo packages of the first folder with their own configuration (paths with the folder's prefix). */
  private packages: PackageConfig[] = [];

  constructor(
    readonly folders: Folder[],
    private readonly pack: RulePack,
  ) {
    this.loaded = { config: { pack }, errors: [], files: [], ignore: [], include: [] };
    this.project = this.newProject();
  }

  private newProject(): Project {
    return new Project(this.loaded.config, { configFor: (path) => packageOf(this.packages, path)?.config });
  }

  static foldersOf(list: { uri: string; name?: string }[]): Folder[] {
    const used = new Set<string>();
    return list
      .flatMap((f) => {
        if (!f.uri.startsWith('file:')) return [];
        const root = toPosix(fileURLToPath(f.uri)).replace(/\/$/, '');
        let name = f.name || basename(root) || 'root';
        while (used.has(name)) name += '_';
        used.add(name);
        return [{ uri: f.uri, root, prefix: name }];
      })
      .map((f, _i, all) => ({ ...f, prefix: all.length > 1 ? `${f.prefix}/` : '' }));
  }

  get config(): EngineConfig {
    return this.project.config;
  }

  /** Loads the team configuration of the first folder (or `configFile`) and rebuilds the project with it. */
  reloadConfig(configFile: string): LoadedConfig {
    const folder = this.folders[0];
    this.loaded = folder
      ? loadConfigFor(folder.root, { pack: this.pack, ...(configFile ? { configFile } : {}) })
      : { config: { pack: this.pack }, errors: [], files: [], ignore: [], include: [] };
    this.packages = [];
    if (folder && !configFile && this.loaded.errors.length === 0) {
      // Packages with their own .gdpr-lint.yaml apply it to their files, as in the CLI.
      const files = discoverFiles(folder.root, { ignore: this.loaded.ignore, include: this.loaded.include }).map(
        (f) => f.relative,
      );
      const found = packageConfigs(folder.root, files, this.pack, (c) => c);
      this.packages = found.packages.map((p) => ({ ...p, dir: folder.prefix + p.dir }));
      this.loaded = {
        ...this.loaded,
        errors: found.errors,
        files: [...this.loaded.files, ...found.packages.flatMap((p) => p.files)],
      };
    }
    this.project = this.newProject();
    for (const [path, text] of this.texts) this.project.setFile({ path, text });
    return this.loaded;
  }

  isConfigFile(absolute: string): boolean {
    const normal = toPosix(absolute);
    return (
      this.loaded.files.some((f) => toPosix(f) === normal) ||
      (CONFIG_FILE_NAMES as readonly string[]).includes(basename(normal))
    );
  }

  /** Every analysable file on disk under the folders (gitignore and the config's ignore/include respected). */
  discover(): string[] {
    return this.folders
      .flatMap((folder) =>
        discoverFiles(folder.root, { ignore: this.loaded.ignore, include: this.loaded.include }).map(
          (f) => folder.prefix + f.relative,
        ),
      )
      .filter((path) => !excludedByPackage(this.packages, path));
  }

  pathOf(uri: string, languageId?: string): string | undefined {
    if (!uri.startsWith('file:')) {
      const ext = languageId ? LANGUAGE_EXTENSIONS[languageId] : undefined;
      return ext ? `untitled:/${encodeURIComponent(uri)}${ext}` : undefined;
    }
    const absolute = toPosix(fileURLToPath(uri));
    for (const folder of this.folders) {
      if (absolute.startsWith(`${folder.root}/`)) return folder.prefix + absolute.slice(folder.root.length + 1);
    }
    return absolute;
  }

  uriOf(path: string): string {
    const open = this.openUris.get(path);
    if (open) return open;
    return pathToFileURL(this.absoluteOf(path)).href;
  }

  absoluteOf(path: string): string {
    if (path.startsWith('/') || /^[A-Za-z]:\//.test(path)) return path;
    const folder = this.folders.find((f) => f.prefix !== '' && path.startsWith(f.prefix)) ?? this.folders[0];
    return folder ? `${folder.root}/${path.slice(folder.prefix.length)}` : path;
  }

  isOpen(path: string): boolean {
    return this.openUris.has(path);
  }

  openPaths(): string[] {
    return [...this.openUris.keys()];
  }

  /** An editor document overrides the disk. Returns false for a language the engine does not know. */
  setOpen(uri: string, path: string, text: string): boolean {
    if (!languageOf(path)) return false;
    this.openUris.set(path, uri);
    return this.setText(path, text);
  }

  /** The document closed: back to the disk content. Returns false when the file is gone. */
  setClosed(path: string): boolean {
    this.openUris.delete(path);
    return this.loadFromDisk(path);
  }

  loadFromDisk(path: string): boolean {
    if (path.startsWith('untitled:')) {
      this.remove(path);
      return false;
    }
    const outcome = readSource(this.absoluteOf(path));
    if ('skipped' in outcome) {
      this.remove(path);
      return false;
    }
    return this.setText(path, outcome.text);
  }

  remove(path: string): void {
    if (this.texts.has(path)) this.dirty.add(path);
    this.texts.delete(path);
    this.project.removeFile(path);
  }

  /** The files changed since the last call (whose facts the next refresh re-collects). */
  takeDirty(): Set<string> {
    const taken = new Set(this.dirty);
    this.dirty.clear();
    return taken;
  }

  has(path: string): boolean {
    return this.texts.has(path);
  }

  text(path: string): string | undefined {
    return this.texts.get(path);
  }

  lines(path: string): LineIndex | undefined {
    return this.project.file(path)?.lines;
  }

  paths(): string[] {
    return [...this.texts.keys()];
  }

  private setText(path: string, text: string): boolean {
    if (!this.project.setFile({ path, text })) return false;
    if (this.texts.get(path) !== text) this.dirty.add(path);
    this.texts.set(path, text);
    return true;
  }
}
