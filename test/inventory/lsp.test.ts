import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_REQUEST, type InventoryResult } from '../../server/src/lsp/protocol.js';
import { REPO_ROOT } from '../helpers.js';
import { buildEntry, makeWorkspace, TestClient, uriOf } from '../lsp/harness.js';

const SCHEMA = 'CREATE TABLE resultats (id INT PRIMARY KEY, valeur TEXT, conclusion BYTEA);\n';
const APP = `import express from 'express';
import { Pool } from 'pg';
const db = new Pool();
export const app = express();
app.get('/api/resultats/:id', async (req, res) => {
  const { rows } = await db.query('SELECT valeur FROM resultats WHERE id = $1', [req.params.id]);
  res.json(rows);
});
`;

describe('gdprLint/inventory: the GDPR Data Map view asks the language server', () => {
  let client: TestClient;
  let root: string;

  beforeAll(async () => {
    const bundle = await buildEntry('server/src/lsp/main.ts', 'lsp');
    root = makeWorkspace({ 'db/schema.sql': SCHEMA, 'src/app.ts': APP });
    ({ client } = await TestClient.start(bundle, root, { settings: { debounceMs: 0 } }));
  }, 120_000);
  afterAll(() => client?.kill());

  it('answers with the workspace inventory and the URI of every file it points to', async () => {
    const result = await client.connection.sendRequest<InventoryResult>(INVENTORY_REQUEST, { format: 'json' });
    expect(
      result.inventory.stores.map((s) => [
        s.name,
        s.protection,
        s.fields.map((f) => [f.name, f.category, f.protection !== null]),
      ]),
    ).toEqual([
      [
        'resultats',
        'partly-encrypted',
        [
          ['valeur', 'lab-result', false],
          ['conclusion', 'lab-result', true],
        ],
      ],
    ]);
    expect(result.inventory.routes.map((r) => [r.method, r.path, r.auth, r.categories, r.location.line])).toEqual([
      ['GET', '/api/resultats/:id', 'none', ['lab-result'], 5],
    ]);
    expect(result.uris).toEqual({
      'db/schema.sql': uriOf(root, 'db/schema.sql'),
      'src/app.ts': uriOf(root, 'src/app.ts'),
    });
    expect(result.html).toBeUndefined();
  }, 60_000);

  it('renders the HTML report for the export command', async () => {
    const result = await client.connection.sendRequest<InventoryResult>(INVENTORY_REQUEST, { format: 'html' });
    expect(result.html).toMatch(/^<!doctype html>/);
    expect(result.html).toContain('/api/resultats/:id');
  }, 60_000);

  it('contributes the view and commands the client registers (client/src/data-map.ts) in package.json', () => {
    const client = readFileSync(join(REPO_ROOT, 'client/src/data-map.ts'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    const view = /DATA_MAP_VIEW = '([^']+)'/.exec(client)![1];
    expect(manifest.contributes.views.explorer.map((v: { id: string }) => v.id)).toContain(view);
    for (const name of ['REFRESH_DATA_MAP_COMMAND', 'EXPORT_INVENTORY_COMMAND']) {
      const command = new RegExp(`${name} = '([^']+)'`).exec(client)![1];
      expect(manifest.contributes.commands.map((c: { command: string }) => c.command)).toContain(command);
      expect(manifest.contributes.menus['view/title']).toContainEqual(
        expect.objectContaining({ command, when: `view == ${view}` }),
      );
    }
  });
});
