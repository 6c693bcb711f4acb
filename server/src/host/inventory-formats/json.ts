import type { Inventory } from '../../engine/index.js';
import type { InventoryMeta } from './labels.js';

/** The inventory for other tools: the engine's object as is (shape documented in README.md), with the tool and project. */
export function formatInventoryJson(inventory: Inventory, meta: InventoryMeta): string {
  return (
    JSON.stringify(
      { tool: { name: 'gdpr-lint', version: meta.toolVersion }, project: meta.title, ...inventory },
      null,
      2,
    ) + '\n'
  );
}
