import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';

const identifiers = [
  'patients',
  'resultats',
  'p',
  'r',
  'diagnostic',
  'nir',
  'valeur',
  'id',
  'nom',
  'statut_vih',
  'app_settings',
  'x',
];
const ident = fc.constantFrom(...identifiers);

/** SQL statements in four dialects: valid shapes, then cut, mixed and glued together. */
export const sqlText = fc
  .array(
    fc.oneof(
      fc.tuple(ident, ident).map(([c, t]) => `SELECT ${c}, * FROM ${t} WHERE id = $1`),
      fc.tuple(ident, ident).map(([a, t]) => `SELECT ${a}.* FROM ${t} ${a} JOIN x ON x.id = ${a}.id`),
      ident.map((t) => `COPY (SELECT * FROM ${t}) TO '/srv/www/public/${t}.csv' WITH CSV HEADER`),
      ident.map((t) => `SELECT * INTO OUTFILE '/tmp/${t}.csv' FROM \`${t}\``),
      ident.map((t) => `SELECT TOP 10 * FROM [dbo].[${t}] FOR JSON PATH\nGO`),
      fc
        .tuple(ident, ident)
        .map(
          ([t, c]) =>
            `CREATE TABLE IF NOT EXISTS ${t} (id INTEGER PRIMARY KEY AUTOINCREMENT, ${c} TEXT NOT NULL, nir VARBINARY(256) ENCRYPTED WITH (COLUMN_ENCRYPTION_KEY = k, ENCRYPTION_TYPE = RANDOMIZED, ALGORITHM = 'AEAD_AES_256_CBC_HMAC_SHA_256'))`,
        ),
      fc
        .tuple(ident, ident)
        .map(
          ([t, c]) => `INSERT INTO ${t} (${c}, nir) VALUES ('VIH positif', pgp_sym_encrypt('184127645108946', 'k'))`,
        ),
      fc.tuple(ident, ident).map(([t, c]) => `UPDATE ${t} SET ${c} = 'cancer' WHERE EXISTS (SELECT * FROM x)`),
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '/* unterminated',
        "'unterminated",
        '$$ dollar',
        '-- comment only',
        '((((',
        '))))',
        ';;;',
        '`',
        '[',
        'GO',
      ),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(';\n'));

/** TypeScript/JavaScript: plausible lab code, then broken by random cuts and noise. */
export const tsText = fc
  .array(
    fc.oneof(
      fc
        .tuple(ident, ident)
        .map(([t, c]) => `const rows = await pool.query(\`SELECT * FROM ${t} WHERE ${c} = \${id}\`);`),
      ident.map((t) => `app.get('/api/${t}/:id', async (req, res) => res.json(await db.${t}.findMany()));`),
      ident.map(
        (c) => `@Entity() export class E { @Column() ${c}: string; @Column({ transformer: enc }) nir: string; }`,
      ),
      ident.map((c) => `logger.info(\`result \${patient.${c}}\`); localStorage.setItem('k', JSON.stringify(r));`),
      ident.map((c) => `axios.post('https://api.example.com/x', { ${c}: r.${c} }); throw new Error(r.${c});`),
      fc.constantFrom(
        'function (( {',
        '`${',
        '/*',
        '"',
        'class {',
        '@Decorator(',
        'export default async function handler(req, res) {',
        '<div>{x}</div>',
        'import x from "./y";',
      ),
      fc.string({ maxLength: 60 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join('\n'));

export const prismaText = fc
  .array(
    fc.oneof(
      fc
        .tuple(ident, ident)
        .map(([m, f]) => `model ${m} {\n  id Int @id\n  ${f} String /// @encrypted\n  diagnostic String?\n}`),
      fc.constantFrom('model {', '}', '/// @encrypted', 'datasource db { provider = "postgresql" }', 'enum X {'),
      fc.string({ maxLength: 30 }),
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join('\n'));

/** Every file of a directory tree with a language gdpr-lint analyses. */
export function sourceFilesUnder(root: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      if (name === 'node_modules') continue;
      if (statSync(abs).isDirectory()) walk(abs);
      else if (/\.(ts|tsx|js|sql|prisma)$/.test(name))
        out.push({ path: relative(root, abs), text: readFileSync(abs, 'utf8') });
    }
  };
  walk(root);
  return out;
}

/** Truncation, character flips, deletion of brackets/quotes. */
export function mutation(text: string) {
  return fc.oneof(
    fc.nat({ max: Math.max(0, text.length) }).map((n) => text.slice(0, n)),
    fc
      .array(fc.tuple(fc.nat({ max: Math.max(0, text.length - 1) }), fc.integer({ min: 0, max: 0xffff })), {
        minLength: 1,
        maxLength: 8,
      })
      .map((flips) => {
        const chars = [...text];
        for (const [at, code] of flips) if (at < chars.length) chars[at] = String.fromCharCode(code);
        return chars.join('');
      }),
    fc.constantFrom('(', ')', '{', '}', '[', ']', '"', "'", '`').map((ch) => text.split(ch).join('')),
  );
}

/** Regular expression sources as code writes them, and as an attacker would: nested quantifiers, lookarounds, backreferences, broken syntax. */
const regexSource = fc.oneof(
  fc.constantFrom(
    '^\\/(a+)+$',
    '(a|a)*$',
    '^(x+x+)+y$',
    '^\\/api\\/(.*)',
    '^/((?!api|_next/static|favicon.ico).*)$',
    '(?<=a)b',
    '(a)\\1',
    '[',
    '(',
    '*',
    'a{2,1}',
    '\\',
    '(?<n>a)\\k<n>',
    '^/(.+)*\\d$',
    '.*.*.*.*.*=.*',
  ),
  fc
    .array(
      fc.constantFrom(
        'a',
        '+',
        '*',
        '(',
        ')',
        '|',
        '?',
        '.',
        '\\/',
        '^',
        '$',
        '[a-z]',
        '{2,}',
        '(?!',
        '(?=',
        '\\d',
        '\\1',
      ),
      { maxLength: 24 },
    )
    .map((parts) => parts.join('')),
);
const literal = (source: string) => `/${source.replace(/\//g, '\\/').replace(/\n/g, '')}/`;
const quoted = (source: string) => `'${source.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const routePath = fc.oneof(
  fc.constantFrom('/api/patients/:id', '/', '*', '/(.*)', '/api/:rest*', '/{*splat}'),
  fc.string({ maxLength: 20 }).map((s) => `/${s}`),
);

/** Route code whose paths, mounts and exceptions are regular expressions (express-jwt `unless`, Next.js `matcher`, `new RegExp`). */
export const regexRouteText = fc
  .array(
    fc.oneof(
      regexSource.map((r) => `app.get(${literal(r)}, (req, res) => res.json(req.body.diagnosis));`),
      regexSource.map((r) => `app.use(new RegExp(${quoted(r)}), requireAuth);`),
      fc
        .array(regexSource, { maxLength: 3 })
        .map(
          (rs) =>
            `app.use(expressjwt({ secret: 's', algorithms: ['HS256'] }).unless({ path: [${rs.map(literal).join(', ')}] }));`,
        ),
      fc
        .array(regexSource, { maxLength: 3 })
        .map((rs) => `export const config = { matcher: [${rs.map(quoted).join(', ')}] };`),
      fc
        .tuple(routePath, fc.constantFrom('get', 'post', 'delete', 'all'))
        .map(([p, m]) => `router.${m}(${quoted(p)}, async (req, res) => res.json(await db.patients.findMany()));`),
      regexSource.map(
        (r) => `const allowed = ${literal(r)}.test(req.path) || new RegExp(${quoted(r)}, 'i').exec(req.url);`,
      ),
    ),
    { maxLength: 8 },
  )
  .map((parts) =>
    [
      "import express from 'express';",
      "import { expressjwt } from 'express-jwt';",
      'const app = express();',
      'const router = express.Router();',
      ...parts,
      "app.use('/api', router);",
    ].join('\n'),
  );

/** Code nested up to 3,000 levels: parentheses, calls, arrays, objects, blocks, arrows, ternaries, concatenations, around a health value. */
export const deepText = fc
  .tuple(
    fc.array(
      fc.constantFrom('paren', 'call', 'array', 'object', 'arrow', 'ternary', 'plus', 'template', 'await', 'not'),
      { minLength: 1, maxLength: 6 },
    ),
    fc.integer({ min: 1, max: 3000 }),
    fc.boolean(),
  )
  .map(([kinds, depth, inBlocks]) => {
    let expression = 'patient.diagnosis';
    for (let i = 0; i < depth; i++) {
      switch (kinds[i % kinds.length]) {
        case 'paren':
          expression = `(${expression})`;
          break;
        case 'call':
          expression = `f(${expression})`;
          break;
        case 'array':
          expression = `[${expression}]`;
          break;
        case 'object':
          expression = `{ k: ${expression} }`;
          break;
        case 'arrow':
          expression = `() => ${expression}`;
          break;
        case 'ternary':
          expression = `c ? ${expression} : 0`;
          break;
        case 'plus':
          expression = `'x' +\n ${expression}`;
          break;
        case 'template':
          expression = `\`a\${${expression}}\``;
          break;
        case 'await':
          expression = `await ${expression}`;
          break;
        case 'not':
          expression = `!${expression}`;
          break;
      }
    }
    const statement = `console.log(${expression});`;
    const body = inBlocks
      ? `${'{\n'.repeat(Math.min(depth, 2000))}${statement}\n${'}\n'.repeat(Math.min(depth, 2000))}`
      : statement;
    return `export async function f(patient: { diagnosis: string }, c: boolean) {\n${body}\n}\n`;
  });
