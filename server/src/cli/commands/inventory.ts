import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { buildInventory, type Inventory } from '../../engine/index.js';
import { toPosix } from '../../host/discover.js';
import { loadProject } from '../../host/scan.js';
import { UsageError } from '../../host/workspace.js';
import { formatInventoryCsv } from '../../host/inventory-formats/csv.js';
import { formatInventoryHtml } from '../../host/inventory-formats/html.js';
import { formatInventoryJson } from '../../host/inventory-formats/json.js';
import type { InventoryMeta } from '../../host/inventory-formats/labels.js';
import { formatInventoryMarkdown } from '../../host/inventory-formats/markdown.js';
import { VERSION, type RegisterCommand } from '../run.js';
import { addConfigOptions, discoveryOf, scanConfig } from '../scan-config.js';
import { lineLink } from '../scan-command.js';

const INVENTORY_FORMATS: Record<string, (inventory: Inventory, meta: InventoryMeta) => string> = {
  markdown: formatInventoryMarkdown,
  html: formatInventoryHtml,
  json: formatInventoryJson,
  csv: formatInventoryCsv,
};

/** `gdpr-lint inventory [path]`: the privacy inventory (data map) of a project, for the DPO. */
export const registerInventory: RegisterCommand = (program, io, exit) => {
  addConfigOptions(
    program
      .command('inventory')
      .description(
        'write the privacy inventory: data stores, routes, exports, third parties, logs, retention (Art. 30 record, DPIA input)',
      )
      .argument('[path]', 'project directory', '.')
      .option('-f, --format <format>', `markdown, html, json or csv`, 'markdown')
      .option('-o, --output <file>', 'write the report to this file instead of stdout'),
  ).action((path: string, options: { format: string; output?: string; config?: string }) => {
    const format = INVENTORY_FORMATS[options.format];
    if (!format)
      throw new UsageError(
        `unknown inventory format "${options.format}" (known: ${Object.keys(INVENTORY_FORMATS).join(', ')})`,
      );
    const { config } = scanConfig([path], { rule: [], ...(options.config ? { config: options.config } : {}) }, io);
    const { project, target } = loadProject({ paths: [path], cwd: io.cwd, config, ...discoveryOf(config) });
    const inventory = buildInventory(project);
    const link = repositoryLink(io.cwd, target.base);
    const text = format(inventory, {
      title: basename(target.base) || target.base,
      toolVersion: VERSION,
      ...(link ? { link } : {}),
    });
    if (options.output) {
      const file = resolve(io.cwd, options.output);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      io.stderr.write(
        `gdpr-lint: inventory written to ${options.output} (${inventory.stores.length} stores, ${inventory.routes.length} routes, ${inventory.exports.length} exports, ${inventory.thirdParties.length} third parties)\n`,
      );
    } else {
      io.stdout.write(text);
    }
    exit(0);
  });
};

/** CI links (see `lineLink`) point into the repository: inventory paths are relative to the scanned directory. */
function repositoryLink(cwd: string, base: string): InventoryMeta['link'] {
  const link = lineLink(process.env);
  const rel = toPosix(relative(cwd, base));
  if (!link || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return (file, line) => link(rel ? `${rel}/${file}` : file, line);
}
