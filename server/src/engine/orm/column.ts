import ts from 'typescript';
import { unwrap } from '../syntax/ast.js';
import type { ColumnFact } from '../schema.js';
import { TsProject } from '../ts-project.js';

/**
 * A column as the ORM collectors record it: the index's ColumnFact plus what the detector of
 * `plaintext-health-data` needs to explain and fix it. Extra fields travel in the index unchanged.
 */
export interface OrmColumnFact extends ColumnFact {
  /** Prisma: a field whose type is not a scalar; a relation when that type is a model. */
  relationCandidate?: boolean;
  /**
   * Where a quick fix can add protection: replace [start, end) with `template`, where `$T` stands
   * for the configured TypeORM encryption transformer (an options entry, a plugin list entry).
   */
  fixAt?: { kind: 'typeorm' | 'mongoose'; title: string; start: number; end: number; template: string };
  /** Keys of a sub-document stored in this field (`variants: [{ gene, hgvs }]`): they say what it holds. */
  nested?: string[];
  /** Where each key of `nested` is written (Mongoose sub-documents): each is its own stored field. */
  nestedAt?: Record<string, { start: number; end: number }>;
  /** The declared maximum length in characters (`length: 20`, `varchar(20)`, `@db.VarChar(20)`). */
  length?: number;
  /** Why the collector believes the column is NOT protected despite an attempt (ECB, indexed field...). */
  note?: string;
}

/** A column declared by the property `nameNode` of `sf`: its workspace path and name-token range, plus type and database name. */
export function declaredColumn(
  field: string,
  nameNode: ts.Node,
  sf: ts.SourceFile,
  type?: string,
  dbName?: string,
): OrmColumnFact {
  return {
    name: field,
    file: TsProject.relativePath(sf.fileName),
    range: { start: nameNode.getStart(sf), end: nameNode.end },
    ...(type ? { type } : {}),
    ...(dbName && dbName !== field ? { dbName } : {}),
  };
}

/** A declared length: `length: 20` (a number or a numeric string), else `varchar(20)` in the type. */
export function lengthOf(option: ts.Expression | undefined, type: string | undefined): number | undefined {
  const value = option && unwrap(option);
  const written = value && (ts.isNumericLiteral(value) || ts.isStringLiteral(value)) ? Number(value.text) : undefined;
  if (written !== undefined && Number.isInteger(written) && written > 0) return written;
  const inType =
    type && /^\s*(?:n?varchar|n?char|character(?: varying)?|varchar2|nvarchar2|string)\s*\(\s*(\d+)\s*\)/i.exec(type);
  return inType ? Number(inType[1]) : undefined;
}
