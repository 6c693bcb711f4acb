import type { Connection } from 'vscode-languageserver';
import { buildInventory } from '../engine/index.js';
import { formatInventoryHtml } from '../host/inventory-formats/html.js';
import type { Analyzer } from './analyzer.js';
import { INVENTORY_REQUEST, type InventoryParams, type InventoryResult } from './protocol.js';
import type { LintWorkspace } from './workspace.js';

interface InventoryDeps {
  workspace(): LintWorkspace;
  analyzer: Analyzer;
  /** Resolves when the first workspace scan is done. */
  ready(): Promise<void>;
}

/** Answers `gdprLint/inventory` from the editor's project and its current findings: nothing is analysed twice. */
export function registerInventoryRequest(connection: Connection, deps: InventoryDeps): void {
  connection.onRequest(
    INVENTORY_REQUEST,
    async (params: InventoryParams | undefined): Promise<InventoryResult | null> => {
      try {
        await deps.ready();
        await deps.analyzer.whenIdle();
        const workspace = deps.workspace();
        const findings = [...deps.analyzer.results.values()].flatMap((r) => r.findings);
        const inventory = buildInventory(workspace.project, { findings, refresh: false });
        const uris: Record<string, string> = {};
        for (const file of filesOf(inventory)) uris[file] = workspace.uriOf(file);
        const title = workspace.folders.map((f) => f.root.split('/').pop()).join(', ') || 'workspace';
        return {
          inventory,
          uris,
          ...(params?.format === 'html'
            ? { html: formatInventoryHtml(inventory, { title, toolVersion: workspace.config.pack.version }) }
            : {}),
        };
      } catch (error) {
        connection.console.error(
          `inventory failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        return null;
      }
    },
  );
}

/** Every `file` of every location in the inventory. */
function filesOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) filesOf(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'file' && typeof item === 'string') out.add(item);
      else filesOf(item, out);
    }
  }
  return out;
}
