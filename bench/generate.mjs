// Deterministic synthetic lab monorepo for the benchmark: Express/Nest/Next routes, TypeORM/Prisma/
// Sequelize entities, services with SQL in strings, .sql migrations, and React components with no
// findings. Every planted finding is counted, so a run can check that the scan still finds them.
//   node bench/generate.mjs OUT_DIR FILE_COUNT
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function prng(seed) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const analytes = [
  'glycemie',
  'creatinine',
  'hba1c',
  'ferritine',
  'tsh',
  'crp',
  'psa',
  'cholesterol',
  'potassium',
  'sodium',
];
const words = [
  'commande',
  'tournee',
  'automate',
  'etiquette',
  'stock',
  'facture',
  'planning',
  'reactif',
  'coursier',
  'salle',
];

/** Each kind returns [relativePath, text, plantedFindings]. */
const kinds = {
  typeormEntity(i, r) {
    const a = analytes[i % analytes.length];
    const encrypted = r() < 0.5;
    return [
      `src/entities/Resultat${i}.entity.ts`,
      `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EncryptionTransformer } from 'typeorm-encrypted';

const enc = new EncryptionTransformer({ key: process.env.KEY!, algorithm: 'aes-256-gcm', ivLength: 16 });

@Entity('resultats_${i}')
export class Resultat${i} {
  @PrimaryGeneratedColumn() id!: number;
  @Column() codeBarre!: string;
  @Column() analyte!: string;
  @Column({ type: 'text'${encrypted ? ', transformer: enc' : ''} }) interpretation${a}!: string;
  @Column({ type: 'text', transformer: enc }) diagnostic!: string;
  @Column() creeLe!: Date;
}
`,
      encrypted ? 0 : 1,
    ];
  },
  prismaSchema(i) {
    return [
      `prisma/schema/patients${i}.prisma`,
      `model Patient${i} {
  id          Int      @id @default(autoincrement())
  nom         String
  prenom      String
  nir         String   /// @encrypted
  statutVih   String?
  createdAt   DateTime @default(now())
}
`,
      1,
    ];
  },
  sequelizeModel(i) {
    return [
      `src/models/ordonnance${i}.model.js`,
      `const { DataTypes } = require('sequelize');
module.exports = (sequelize) => sequelize.define('Ordonnance${i}', {
  id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
  numero: DataTypes.STRING,
  traitement: DataTypes.TEXT,
  posologie: { type: DataTypes.TEXT, set(v) { this.setDataValue('posologie', encryptField(v)); } },
  emisLe: DataTypes.DATE,
});
`,
      1,
    ];
  },
  expressRouter(i, r) {
    const early = r() < 0.3;
    return [
      `src/server/routes/module${i}.ts`,
      `import express from 'express';
import { requireAuth } from '../middleware/auth';
import { pool } from '../../db/pool';

export const app${i} = express();
app${i}.use(express.json());
${
  early
    ? `app${i}.get('/api/module${i}/resultats/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT id, valeur, unite FROM resultats WHERE id = $1', [req.params.id]);
  res.json(rows);
});
`
    : ''
}app${i}.use(requireAuth);
app${i}.get('/api/module${i}/${words[i % words.length]}', async (req, res) => {
  const { rows } = await pool.query('SELECT id, libelle FROM ${words[i % words.length]} WHERE site = $1', [req.query.site]);
  res.json(rows);
});
app${i}.get('/health', (_req, res) => res.send('ok'));
`,
      early ? 1 : 0,
    ];
  },
  nestController(i) {
    return [
      `src/nest/module${i}.controller.ts`,
      `import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

@Controller('module${i}')
@UseGuards(AuthGuard('jwt'))
export class Module${i}Controller {
  @Get(':id')
  find(@Param('id') id: string) {
    return { id, statut: 'valide' };
  }
}
`,
      0,
    ];
  },
  nextRoute(i) {
    return [
      `app/api/tournees${i}/[id]/route.ts`,
      `import { NextResponse } from 'next/server';
import { auth } from '@/auth';

export async function GET(_req: Request, { params }: { params: { id: string } }) {
  const session = await auth();
  if (!session) return new NextResponse('Unauthorized', { status: 401 });
  return NextResponse.json({ id: params.id, etapes: [] });
}
`,
      0,
    ];
  },
  service(i, r) {
    const star = r() < 0.4;
    return [
      `src/services/export${i}.service.ts`,
      `import { createWriteStream } from 'node:fs';
import { pool } from '../db/pool';
import { logger } from '../config/logger';

export async function exporter${i}(site: string): Promise<number> {
  const { rows } = await pool.query(\`SELECT ${star ? '*' : 'id, code_barre, statut'} FROM prelevements WHERE site = \${site}\`);
  const out = createWriteStream('/var/exports/prelevements-${i}.csv');
  for (const row of rows) out.write(\`\${row.id};\${row.code_barre}\\n\`);
  out.end();
  logger.info({ count: rows.length }, 'export termine');
  return rows.length;
}
`,
      star ? 1 : 0,
    ];
  },
  migration(i) {
    return [
      `db/migrations/V${String(i).padStart(4, '0')}__module.sql`,
      `CREATE TABLE IF NOT EXISTS observations_${i} (
  id BIGSERIAL PRIMARY KEY,
  code_barre VARCHAR(20) NOT NULL,
  loinc VARCHAR(10) NOT NULL,
  valeur_chiffree BYTEA,
  interpretation TEXT,
  cree_le TIMESTAMPTZ DEFAULT now()
);
CREATE INDEX idx_obs_${i} ON observations_${i} (code_barre);
SELECT count(*) FROM observations_${i};
`,
      1,
    ];
  },
  reactComponent(i) {
    return [
      `web/components/Planning${i}.tsx`,
      `import React, { useState } from 'react';

export interface Creneau { id: number; debut: string; fin: string; salle: string }

export function Planning${i}({ creneaux }: { creneaux: Creneau[] }) {
  const [filtre, setFiltre] = useState('');
  const visibles = creneaux.filter((c) => c.salle.includes(filtre));
  return (
    <section>
      <input value={filtre} onChange={(e) => setFiltre(e.target.value)} placeholder="Salle" />
      <ul>{visibles.map((c) => <li key={c.id}>{c.debut} - {c.fin} ({c.salle})</li>)}</ul>
    </section>
  );
}
`,
      0,
    ];
  },
};

/**
 * One 1,000-line service (the file the LSP benchmark edits): 40 functions of 25 lines, each with
 * a `// step` anchor line where an edit can insert a statement. One planted finding: the CSV
 * export of `SELECT *` in the first function.
 */
export const BIG_FILE = 'packages/pkg0/src/services/worklist.service.ts';
export const BIG_FILE_LINES = 1000;

function bigService() {
  const lines = [
    "import { createWriteStream } from 'node:fs';",
    "import { pool } from '../../../../src/db/pool';",
    "import { logger } from '../../../../src/config/logger';",
    '',
    'export interface Ligne { id: number; codeBarre: string; statut: string; automate: string }',
    '',
  ];
  for (let f = 0; lines.length < BIG_FILE_LINES - 25; f++) {
    const w = words[f % words.length];
    const columns = f === 0 ? '*' : 'id, code_barre, statut, automate';
    lines.push(
      `/** Worklist step ${f}: ${w}. */`,
      `export async function etape${f}(site: string, limite = ${50 + f}): Promise<Ligne[]> {`,
      `  const { rows } = await pool.query(\`SELECT ${columns} FROM ${w}_${f} WHERE site = $1 LIMIT $2\`, [site, limite]);`,
      '  const lignes: Ligne[] = [];',
      '  for (const row of rows) {',
      '    // step',
      '    if (!row.code_barre) continue;',
      "    const statut = row.statut === 'valide' ? 'valide' : 'en_attente';",
      '    lignes.push({ id: row.id, codeBarre: row.code_barre, statut, automate: row.automate });',
      '  }',
      `  if (lignes.length > limite) lignes.length = limite;`,
      `  const parAutomate = new Map<string, number>();`,
      '  for (const l of lignes) parAutomate.set(l.automate, (parAutomate.get(l.automate) ?? 0) + 1);',
      `  logger.info({ etape: ${f}, total: lignes.length, automates: parAutomate.size }, 'etape ${w} terminee');`,
      f === 0
        ? `  const out = createWriteStream('/var/exports/${w}.csv'); for (const row of rows) out.write(\`\${row.id};\${row.code_barre}\\n\`); out.end();`
        : `  const enRetard = lignes.filter((l) => l.statut === 'en_attente').length;`,
      f === 0
        ? '  const enRetard = 0;'
        : `  if (enRetard > ${10 + (f % 7)}) logger.warn({ etape: ${f}, enRetard }, 'retard');`,
      '  return lignes',
      '    .slice()',
      '    .sort((a, b) => a.codeBarre.localeCompare(b.codeBarre))',
      "    .map((l) => ({ ...l, statut: enRetard > 0 ? l.statut : 'valide' }));",
      '}',
      '',
      `export const ETAPE_${f}_NOM = '${w}';`,
      `export const ETAPE_${f}_ORDRE = ${f};`,
      '',
    );
  }
  while (lines.length < BIG_FILE_LINES) lines.push(`// fin du module (${lines.length})`);
  return [BIG_FILE, `${lines.join('\n')}\n`, 1];
}

// Weights: most files in a real monorepo have no findings.
const mix = [
  ['reactComponent', 30],
  ['service', 14],
  ['expressRouter', 10],
  ['nestController', 10],
  ['nextRoute', 8],
  ['typeormEntity', 10],
  ['sequelizeModel', 6],
  ['migration', 10],
  ['prismaSchema', 2],
];
const total = mix.reduce((s, [, w]) => s + w, 0);

export function generateCorpus(out, count, seed = 42) {
  const r = prng(seed);
  let planted = 0;
  const shared = [
    ['src/db/pool.ts', "import { Pool } from 'pg';\nexport const pool = new Pool();\n"],
    [
      'src/server/middleware/auth.ts',
      "import jwt from 'jsonwebtoken';\nexport function requireAuth(req: any, res: any, next: any) {\n  try { req.user = jwt.verify(req.headers.authorization, process.env.JWT_SECRET!); next(); } catch { res.status(401).end(); }\n}\n",
    ],
    ['src/config/logger.ts', "import pino from 'pino';\nexport const logger = pino({ redact: ['*.valeur'] });\n"],
  ];
  for (const [path, text] of shared) write(out, path, text);
  const [bigPath, bigText, bigFindings] = bigService();
  write(out, bigPath, bigText);
  planted += bigFindings;
  for (let i = 0; i < count - shared.length - 1; i++) {
    let pick = r() * total;
    let kind = mix[0][0];
    for (const [k, w] of mix) {
      if ((pick -= w) < 0) {
        kind = k;
        break;
      }
    }
    const [path, text, findings] = kinds[kind](i, r);
    write(out, `packages/pkg${i % 40}/${path}`, text);
    planted += findings;
  }
  return { files: count, planted };
}

function write(root, path, text) {
  const abs = join(root, path);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, count] = process.argv.slice(2);
  console.log(JSON.stringify(generateCorpus(out, Number(count ?? 500))));
}
