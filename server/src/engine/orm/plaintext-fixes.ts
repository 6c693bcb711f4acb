import type { Fix, TextEdit } from '../types.js';
import { lengthOf, type OrmColumnFact } from './column.js';
import type { PrismaFieldFact } from './prisma.js';
import type { EncryptionKnowledge } from './protection.js';

/** The TypeORM transformer a fix inserts: the team's, one this file already uses, or the pack default. */
export function transformerName(known: EncryptionKnowledge, columnsOfFile: readonly OrmColumnFact[]): string {
  const used = columnsOfFile
    .map((c) => /^transformer (\w+)/.exec(c.protection ?? '')?.[1])
    .find((n): n is string => !!n && !/^(new|EncryptionTransformer|JSONEncryptionTransformer)$/.test(n));
  return used ?? known.fix.typeormTransformer;
}

/**
 * Whether a column can hold what an encryption writes (a string, or bytes, longer than the value):
 * not a number, boolean, date, uuid or enum column (not offered), and a column whose declared
 * length caps it holds only short values' ciphertexts (offered, saying the column must be widened,
 * and never applied by a fix run: not preferred).
 */
export function ciphertextFit(
  column: { type?: string; length?: number },
  writes: 'string' | 'bytes' = 'string',
): { offer: false } | { offer: true; note?: string } {
  const type = (column.type ?? '')
    .replace(/\s*\|\s*(null|undefined)\b/g, '')
    .replace(/[?!]|\[\]/g, '')
    .trim();
  const base = type
    .replace(/\(.*$/, '')
    .replace(/^['"`]|['"`]$/g, '')
    .trim()
    .toLowerCase();
  if (NOT_TEXT.has(base) || /^(big|small|tiny|medium)?int\d*$/.test(base) || /^(timestamp|time|datetime)/.test(base))
    return { offer: false };
  // Bytes go into text (as hex) or binary columns, not into JSON or XML.
  if (writes === 'bytes' && /^(json|jsonb|xml)$/.test(base)) return { offer: false };
  const length = column.length ?? lengthOf(undefined, column.type);
  if (length)
    return {
      offer: true,
      note: `the column holds ${length} characters, too few for the ciphertext: widen it in a migration`,
    };
  return { offer: true };
}

const NOT_TEXT = new Set(
  [
    'number',
    'boolean',
    'bool',
    'date',
    'int',
    'integer',
    'bigint',
    'smallint',
    'tinyint',
    'mediumint',
    'float',
    'double',
    'double precision',
    'real',
    'decimal',
    'numeric',
    'money',
    'bit',
    'serial',
    'bigserial',
    'smallserial',
    'uuid',
    'enum',
    'simple-enum',
    'interval',
    'year',
    'inet',
    'cidr',
    'point',
    'float4',
    'float8',
    'int2',
    'int4',
    'int8',
    'timestamptz',
    'timetz',
    'decimal128',
    'objectid',
    'datetime2',
    'datetimeoffset',
    'smalldatetime',
    'datetime',
  ].map((t) => t.toLowerCase()),
);

/** The fix recorded by a collector (TypeORM options, a mongoose plugin list). */
export function collectorFix(
  column: OrmColumnFact,
  transformer: string,
  importOf: (name: string) => TextEdit[] | undefined,
): Fix | undefined {
  const at = column.fixAt;
  if (!at) return undefined;
  if (at.kind !== 'typeorm')
    return {
      title: at.title,
      edits: [{ start: at.start, end: at.end, newText: at.template }],
      isPreferred: true,
      safe: false,
    };
  // A transformer writes a string: only where the column can hold it, and with its import.
  const fit = ciphertextFit(column);
  if (!fit.offer) return undefined;
  const imported = importOf(transformer);
  if (!imported) return undefined;
  const newText = at.template.replace(/\$T/g, transformer);
  // A column to widen first: offered with the reason, never applied by a fix run.
  return {
    title: `${at.title}: transformer: ${transformer}${fit.note ? ` (${fit.note})` : ''}`,
    edits: [{ start: at.start, end: at.end, newText }, ...imported],
    isPreferred: !fit.note,
    safe: false,
  };
}

/** Prisma: append `/// @encrypted` to the field's line (prisma-field-encryption). */
export function prismaFix(column: PrismaFieldFact): Fix | undefined {
  // prisma-field-encryption encrypts String fields only.
  if (column.type !== 'String') return undefined;
  const fit = ciphertextFit(column);
  const note = fit.offer ? fit.note : undefined;
  return {
    title: `Encrypt the field with prisma-field-encryption: /// @encrypted${note ? ` (${note})` : ''}`,
    edits: [{ start: column.codeEnd, end: column.codeEnd, newText: ' /// @encrypted' }],
    isPreferred: !note,
    safe: false,
  };
}

/**
 * SQL: wrap each written value in `pgp_sym_encrypt(value, current_setting('app.key'))` (PostgreSQL)
 * or `AES_ENCRYPT(value, @app_key)` (MySQL). `quote` is the quote of the TS string holding the SQL, to escape.
 */
export function sqlEncryptFix(
  values: { start: number; end: number }[],
  dialect: string | undefined,
  known: EncryptionKnowledge,
  quote?: string,
  column?: { type?: string; length?: number },
): Fix | undefined {
  if (values.length === 0) return undefined;
  const pg = !dialect || dialect === 'postgresql';
  if (!pg && dialect !== 'mysql') return undefined;
  // The ciphertext is bytes: not into a number, date or boolean column; a capped text column must be widened.
  const fit = column ? ciphertextFit(column, 'bytes') : { offer: true as const };
  if (!fit.offer) return undefined;
  const binary = /^\s*(bytea|blob|longblob|mediumblob|varbinary|binary)\b/i.test(column?.type ?? '');
  const note = fit.note ?? (!pg && !binary ? 'the column must become VARBINARY or BLOB: a migration' : undefined);
  const key = pg ? known.fix.pgKey : '@app_key';
  const fn = pg ? known.fix.pgFunction : 'AES_ENCRYPT';
  const escaped = quote === "'" ? key.replace(/'/g, "\\'") : key;
  const edits = values.flatMap((v) => [
    { start: v.start, end: v.start, newText: `${fn}(` },
    { start: v.end, end: v.end, newText: `, ${escaped})` },
  ]);
  return {
    title: `Encrypt the value with ${fn}(..., ${key})${note ? ` (${note})` : ''}`,
    edits,
    isPreferred: !note,
    safe: false,
  };
}
