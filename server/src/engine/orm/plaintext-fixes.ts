import type { Fix } from '../types.js';
import type { OrmColumnFact } from './column.js';
import type { PrismaFieldFact } from './prisma.js';
import type { EncryptionKnowledge } from './protection.js';

/** The TypeORM transformer a fix inserts: the team's, one this file already uses, or the pack default. */
export function transformerName(known: EncryptionKnowledge, columnsOfFile: readonly OrmColumnFact[]): string {
  const used = columnsOfFile.map((c) => /^transformer (\w+)/.exec(c.protection ?? '')?.[1]).find((n): n is string => !!n && !/^(new|EncryptionTransformer|JSONEncryptionTransformer)$/.test(n));
  return used ?? known.fix.typeormTransformer;
}

/** The fix recorded by a collector (TypeORM options, a mongoose plugin list). */
export function collectorFix(column: OrmColumnFact, transformer: string): Fix | undefined {
  const at = column.fixAt;
  if (!at) return undefined;
  const newText = at.template.replace(/\$T/g, transformer);
  return { title: at.kind === 'typeorm' ? `${at.title}: transformer: ${transformer}` : at.title, edits: [{ start: at.start, end: at.end, newText }], isPreferred: true, safe: false };
}

/** Prisma: append `/// @encrypted` to the field's line (prisma-field-encryption). */
export function prismaFix(column: PrismaFieldFact): Fix {
  return { title: 'Encrypt the field with prisma-field-encryption: /// @encrypted', edits: [{ start: column.codeEnd, end: column.codeEnd, newText: ' /// @encrypted' }], isPreferred: true, safe: false };
}

/**
 * SQL: wrap each written value in `pgp_sym_encrypt(value, current_setting('app.key'))` (PostgreSQL)
 * or `AES_ENCRYPT(value, @app_key)` (MySQL). `quote` is the quote of the TS string holding the SQL, to escape.
 */
export function sqlEncryptFix(values: { start: number; end: number }[], dialect: string | undefined, known: EncryptionKnowledge, quote?: string): Fix | undefined {
  if (values.length === 0) return undefined;
  const pg = !dialect || dialect === 'postgresql';
  if (!pg && dialect !== 'mysql') return undefined;
  const key = pg ? known.fix.pgKey : '@app_key';
  const fn = pg ? known.fix.pgFunction : 'AES_ENCRYPT';
  const escaped = quote === "'" ? key.replace(/'/g, "\\'") : key;
  const edits = values.flatMap((v) => [
    { start: v.start, end: v.start, newText: `${fn}(` },
    { start: v.end, end: v.end, newText: `, ${escaped})` },
  ]);
  return { title: `Encrypt the value with ${fn}(..., ${key})`, edits, isPreferred: true, safe: false };
}
