import ts from 'typescript';
import type { FileView } from '../detector.js';
import type { Fix } from '../types.js';
import type { OrmColumnFact } from './column.js';
import type { PrismaFieldFact } from './prisma.js';
import type { EncryptionKnowledge } from './protection.js';

const RULE = 'plaintext-health-data';

/**
 * `// gdpr-lint-disable-next-line plaintext-health-data -- reason` above the finding's line, with
 * the line's indentation; `--` in SQL (and inside SQL embedded in a multi-line template).
 */
export function suppressionFix(file: FileView, offset: number): Fix {
  const line = file.lines.position(offset).line;
  const start = file.lines.lineStart(line);
  const indent = /^[ \t]*/.exec(file.lines.lineText(line))![0];
  const marker = file.language === 'sql' || insideMultilineString(file, start) ? '--' : '//';
  return {
    title: `Suppress ${RULE} on this line (with a justification)`,
    edits: [{ start, end: start, newText: `${indent}${marker} gdpr-lint-disable-next-line ${RULE} -- reason: explain why this data may stay in clear\n` }],
  };
}

function insideMultilineString(file: FileView, offset: number): boolean {
  const sf = file.ts;
  if (!sf) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || offset < node.pos || offset > node.end) return;
    if ((ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.getStart(sf) < offset && offset < node.end) {
      found = true;
      return;
    }
    // A file or block of 40,000 statements: the one holding the offset, found by bisection, not each in turn.
    if (ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node)) {
      const statement = statementAt(node.statements, offset);
      if (statement) visit(statement);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The last statement starting at or before `offset` (statements are in document order). */
function statementAt(statements: ts.NodeArray<ts.Statement>, offset: number): ts.Statement | undefined {
  let low = 0;
  let high = statements.length - 1;
  let found: ts.Statement | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const statement = statements[mid]!;
    if (statement.pos <= offset) {
      found = statement;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/** The TypeORM transformer a fix inserts: the team's, one this file already uses, or the pack default. */
export function transformerName(known: EncryptionKnowledge, columnsOfFile: readonly OrmColumnFact[]): string {
  const used = columnsOfFile.map((c) => /^transformer (\w+)/.exec(c.protection ?? '')?.[1]).find((n): n is string => !!n && !/^(new|EncryptionTransformer|JSONEncryptionTransformer)$/.test(n));
  return used ?? known.fix.typeormTransformer ?? 'encryptionTransformer';
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
  const key = pg ? (known.fix.pgKey ?? "current_setting('app.key')") : '@app_key';
  const fn = pg ? (known.fix.pgFunction ?? 'pgp_sym_encrypt') : 'AES_ENCRYPT';
  const escaped = quote === "'" ? key.replace(/'/g, "\\'") : key;
  const edits = values.flatMap((v) => [
    { start: v.start, end: v.start, newText: `${fn}(` },
    { start: v.end, end: v.end, newText: `, ${escaped})` },
  ]);
  return { title: `Encrypt the value with ${fn}(..., ${key})`, edits, isPreferred: true, safe: false };
}
