import type { Connection } from 'vscode-languageserver';

/** The `gdprLint.*` settings, one typed object per resource. */
export interface Settings {
  enable: boolean;
  /** When diagnostics are computed for open documents. */
  run: 'onType' | 'onSave';
  codeLens: boolean;
  /** Team configuration file, relative to the workspace folder; empty = look for `.gdpr-lint.yaml`. */
  configFile: string;
  debounceMs: number;
  trace: { server: 'off' | 'messages' | 'verbose' };
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  run: 'onType',
  codeLens: true,
  configFile: '',
  debounceMs: 150,
  trace: { server: 'off' },
};

/** Normalises what a client sends (any shape) into Settings. */
function toSettings(raw: unknown): Settings {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const trace = (typeof value.trace === 'object' && value.trace !== null ? value.trace : {}) as Record<string, unknown>;
  const debounce = Number(value.debounceMs);
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULT_SETTINGS.enable,
    run: value.run === 'onSave' ? 'onSave' : 'onType',
    codeLens: typeof value.codeLens === 'boolean' ? value.codeLens : DEFAULT_SETTINGS.codeLens,
    configFile: typeof value.configFile === 'string' ? value.configFile.trim() : '',
    debounceMs: Number.isFinite(debounce) && debounce >= 0 ? Math.min(debounce, 10_000) : DEFAULT_SETTINGS.debounceMs,
    trace: { server: trace.server === 'messages' || trace.server === 'verbose' ? trace.server : 'off' },
  };
}

/**
 * Settings fetched per resource with `workspace/configuration` and cached until the client says
 * they changed. Clients without that request get what `didChangeConfiguration` last pushed.
 */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<Settings>>();
  private pushed: Settings = DEFAULT_SETTINGS;

  constructor(
    private readonly connection: Connection,
    private readonly pull: boolean,
  ) {}

  get(resource: string): Promise<Settings> {
    if (!this.pull) return Promise.resolve(this.pushed);
    let settings = this.cache.get(resource);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: resource, section: 'gdprLint' })
        .then(toSettings, () => DEFAULT_SETTINGS);
      this.cache.set(resource, settings);
    }
    return settings;
  }

  /** `workspace/didChangeConfiguration`: forget everything; keep what a push-only client sent. */
  changed(pushed: unknown): void {
    this.cache.clear();
    const section =
      typeof pushed === 'object' && pushed !== null ? (pushed as Record<string, unknown>).gdprLint : undefined;
    if (section !== undefined) this.pushed = toSettings(section);
  }
}
