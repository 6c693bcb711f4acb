import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';

import { INVENTORY_REQUEST, type InventoryResult } from '../../server/src/lsp/protocol.js';
import type { Inventory } from '../../server/src/engine/inventory/index.js';

export const DATA_MAP_VIEW = 'gdprLint.dataMap';
export const REFRESH_DATA_MAP_COMMAND = 'gdprLint.refreshDataMap';
export const EXPORT_INVENTORY_COMMAND = 'gdprLint.exportInventoryReport';

type Location = Inventory['stores'][number]['declared'][number];

interface Node {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: vscode.ThemeIcon;
  location?: Location;
  children?: Node[];
}

const REFRESH_DELAY_MS = 1500;
const warn = new vscode.ThemeColor('problemsWarningIcon.foreground');
const error = new vscode.ThemeColor('problemsErrorIcon.foreground');
const ok = new vscode.ThemeColor('testing.iconPassed');

/**
 * The "GDPR Data Map" view: data stores and their fields, routes, exports, third parties, logs
 * and retention, from the server's `gdprLint/inventory`; each item opens where it is declared.
 * Refreshed (while visible) after files change, and on demand.
 */
export class DataMapProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Node[] | undefined;
  private uris: Record<string, string> = {};
  private timer: NodeJS.Timeout | undefined;
  private visible = false;
  private stale = true;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.stale) this.refresh();
  }

  /** Files changed: refresh a little later (now if visible, else when next shown). */
  scheduleRefresh(): void {
    this.stale = true;
    clearTimeout(this.timer);
    if (this.visible) this.timer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  refresh(): void {
    this.stale = false;
    this.roots = undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const item = new vscode.TreeItem(
      node.label,
      node.children && node.children.length > 0
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = node.icon;
    const uri = node.location ? this.uris[node.location.file] : undefined;
    if (uri && node.location) {
      const position = new vscode.Position(Math.max(0, node.location.line - 1), Math.max(0, node.location.column - 1));
      item.command = {
        title: 'Open',
        command: 'vscode.open',
        arguments: [vscode.Uri.parse(uri), { selection: new vscode.Range(position, position) }],
      };
      item.resourceUri = undefined;
    }
    return item;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return node.children ?? [];
    if (!this.roots) this.roots = await this.load();
    return this.roots;
  }

  private async load(): Promise<Node[]> {
    const client = this.client();
    if (!client || client.state !== State.Running)
      return [{ label: 'The GDPR Lint server is not running', icon: new vscode.ThemeIcon('circle-slash') }];
    const result = await client.sendRequest<InventoryResult | null>(INVENTORY_REQUEST, { format: 'json' });
    if (!result)
      return [
        { label: 'The inventory could not be built (see GDPR Lint output)', icon: new vscode.ThemeIcon('warning') },
      ];
    this.uris = result.uris;
    return treeOf(result.inventory);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}

function section(label: string, icon: string, children: Node[]): Node {
  return {
    label,
    description: String(children.length),
    icon: new vscode.ThemeIcon(icon),
    children: children.length > 0 ? children : [{ label: 'none found' }],
  };
}

const cats = (list: string[]) => list.join(', ');

function treeOf(inv: Inventory): Node[] {
  return [
    section(
      'Data stores',
      'database',
      inv.stores.map((s) => ({
        label: s.name,
        description: `${s.protection === 'no-special-data' ? 'no special data' : s.protection}${s.categories.length > 0 ? ` · ${cats(s.categories)}` : ''}`,
        icon: new vscode.ThemeIcon(
          s.protection === 'encrypted' ? 'lock' : s.protection === 'no-special-data' ? 'table' : 'unlock',
          s.protection === 'plaintext' || s.protection === 'partly-encrypted' ? warn : undefined,
        ),
        ...(s.declared[0] ? { location: s.declared[0] } : {}),
        children: s.fields.map((f) => ({
          label: f.name,
          description: `${f.category}${f.special ? (f.protection ? ' · encrypted' : ' · in clear') : ''}`,
          tooltip: f.protection ? `encrypted by ${f.protection}` : undefined,
          icon: new vscode.ThemeIcon(
            f.special ? (f.protection ? 'lock' : 'unlock') : 'symbol-field',
            f.special && !f.protection ? error : undefined,
          ),
          location: f.location,
        })),
      })),
    ),
    section(
      'Routes',
      'globe',
      inv.routes.map((r) => ({
        label: `${r.method} ${r.path}`,
        description: `${r.auth === 'authenticated' ? r.authBy.join(', ') || 'authenticated' : r.publicReason ? `public: ${r.publicReason}` : 'no authentication'}${r.categories.length > 0 ? ` · ${cats(r.categories)}` : ''}`,
        icon: new vscode.ThemeIcon(
          r.auth === 'authenticated' ? 'shield' : 'unlock',
          r.auth === 'authenticated' ? ok : r.publicReason ? undefined : error,
        ),
        location: r.location,
      })),
    ),
    section(
      'Exports and migrations',
      'export',
      inv.exports.map((e) => ({
        label: e.job,
        description: `${e.tables.join(', ')} → ${e.destination.kind}${e.destination.target ? ` ${e.destination.target}` : ''}${e.destination.public ? ' (public)' : ''}${e.selectStar ? ' · SELECT *' : ''}${e.findings?.length ? ` · ${e.findings.map((f) => f.ruleId).join(', ')}` : ''}`,
        ...(e.destination.exposure ? { tooltip: `Public: ${e.destination.exposure}` } : {}),
        icon: new vscode.ThemeIcon(
          e.kind === 'migration' ? 'copy' : 'export',
          e.destination.public ? error : e.selectStar ? warn : undefined,
        ),
        location: e.location,
      })),
    ),
    section(
      'Third parties',
      'cloud-upload',
      inv.thirdParties.map((t) => ({
        label: t.name,
        description: cats(t.categories),
        icon: new vscode.ThemeIcon('cloud-upload', t.health ? error : warn),
        ...(t.flows[0] ? { location: t.flows[0].location } : {}),
        children: t.flows.map((f) => ({
          label: f.via,
          description: `${f.location.file}:${f.location.line}`,
          location: f.location,
        })),
      })),
    ),
    section(
      'Logs',
      'output',
      inv.logs.map((l) => ({
        label: l.sink,
        description: `${l.category}${l.path ? ` · ${l.path}` : ''}`,
        icon: new vscode.ThemeIcon('output', warn),
        location: l.location,
      })),
    ),
    section(
      'Retention',
      'history',
      inv.retention.map((r) => ({
        label: r.target,
        description: r.deletion
          ? r.deletion.scope === 'config'
            ? 'retention declared in the configuration'
            : 'deleted by the code'
          : `never deleted${r.findings?.length ? ' · export-without-erasure' : ''}`,
        icon: new vscode.ThemeIcon(r.deleted ? 'trash' : 'history', r.deleted ? ok : r.public ? error : warn),
        location: r.location,
      })),
    ),
  ];
}

/** Asks the server for the HTML report and saves it where the user says. */
async function exportReport(client: LanguageClient | undefined): Promise<void> {
  if (!client || client.state !== State.Running) {
    void vscode.window.showWarningMessage('GDPR Lint: the server is not running.');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'privacy-inventory.html') } : {}),
    filters: { HTML: ['html'] },
    title: 'Export the privacy inventory (HTML)',
  });
  if (!target) return;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'GDPR Lint: building the privacy inventory' },
    () => client.sendRequest<InventoryResult | null>(INVENTORY_REQUEST, { format: 'html' }),
  );
  if (!result?.html) {
    void vscode.window.showErrorMessage('GDPR Lint: the inventory could not be built (see the GDPR Lint output).');
    return;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.html));
  const open = await vscode.window.showInformationMessage(
    `GDPR Lint: privacy inventory written to ${vscode.workspace.asRelativePath(target)}.`,
    'Open in browser',
  );
  if (open) await vscode.env.openExternal(target);
}

/** Registers the view, its refresh and the export command; returns what to dispose. */
export function registerDataMap(languageClient: LanguageClient): vscode.Disposable {
  const client = () => languageClient;
  const provider = new DataMapProvider(client);
  const view = vscode.window.createTreeView(DATA_MAP_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  provider.setVisible(view.visible);
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,sql,prisma}');
  const onFile = () => provider.scheduleRefresh();
  return vscode.Disposable.from(
    provider,
    view,
    watcher,
    view.onDidChangeVisibility((e) => provider.setVisible(e.visible)),
    languageClient.onDidChangeState((e) => {
      if (e.newState === State.Running) provider.scheduleRefresh();
    }),
    watcher.onDidChange(onFile),
    watcher.onDidCreate(onFile),
    watcher.onDidDelete(onFile),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme === 'file' && e.contentChanges.length > 0) onFile();
    }),
    vscode.commands.registerCommand(REFRESH_DATA_MAP_COMMAND, () => provider.refresh()),
    vscode.commands.registerCommand(EXPORT_INVENTORY_COMMAND, () => exportReport(client())),
  );
}
