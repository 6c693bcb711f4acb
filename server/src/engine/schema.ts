import type { Range } from './types.js';

/** Where a table or field was declared from. */
export type SchemaSource =
  | 'sql' | 'prisma' | 'typeorm' | 'mikroorm' | 'sequelize' | 'mongoose' | 'knex' | 'custom';

export interface ColumnFact {
  name: string;
  /** Declared type as written (`TEXT`, `String`, `varchar(255)`...). */
  type?: string;
  file: string;
  /** The name token. */
  range: Range;
  /** What protects the stored value (e.g. `pgp_sym_encrypt`, `@encrypted`, `EncryptionTransformer`); absent = plaintext. */
  protection?: string;
}

export interface TableFact {
  /** Table, model or collection name as declared. */
  name: string;
  /** Other names the same data is queried by: the table a model maps to, plural forms. */
  aliases?: string[];
  kind: 'table' | 'view' | 'model' | 'collection';
  source: SchemaSource;
  file: string;
  range: Range;
  columns: ColumnFact[];
}

/** Normalised key of a table name: lower case, no quotes/brackets, no schema prefix. */
export function tableKey(name: string): string {
  const bare = name.replace(/["`\[\]]/g, '').trim().toLowerCase();
  const dot = bare.lastIndexOf('.');
  return dot >= 0 ? bare.slice(dot + 1) : bare;
}

/**
 * Tables and columns of the whole project, merged from per-file contributions (SQL DDL,
 * Prisma, ORM entities). Replacing one file's contribution updates the index without
 * rebuilding it; `version` changes whenever the merged content may have changed.
 */
export class SchemaIndex {
  private readonly byFile = new Map<string, TableFact[]>();
  private merged: Map<string, TableFact[]> | undefined;
  version = 0;

  replaceFile(file: string, tables: TableFact[]): void {
    const previous = this.byFile.get(file);
    if (!previous && tables.length === 0) return;
    if (previous && JSON.stringify(previous) === JSON.stringify(tables)) return;
    if (tables.length === 0) this.byFile.delete(file);
    else this.byFile.set(file, tables);
    this.merged = undefined;
    this.version++;
  }

  removeFile(file: string): void {
    this.replaceFile(file, []);
  }

  /** Every declaration of a table (DDL in several migrations, a model and its table...). */
  declarations(name: string): TableFact[] {
    return this.index().get(tableKey(name)) ?? [];
  }

  /** All columns known for a table, merged over its declarations (ALTER TABLE ADD COLUMN included). */
  columns(name: string): ColumnFact[] {
    const seen = new Map<string, ColumnFact>();
    for (const table of this.declarations(name)) {
      for (const column of table.columns) {
        const key = column.name.toLowerCase();
        const prior = seen.get(key);
        if (!prior || (column.protection && !prior.protection)) seen.set(key, column);
      }
    }
    return [...seen.values()];
  }

  has(name: string): boolean {
    return this.index().has(tableKey(name));
  }

  tables(): TableFact[] {
    return [...this.byFile.values()].flat();
  }

  private index(): Map<string, TableFact[]> {
    if (this.merged) return this.merged;
    const merged = new Map<string, TableFact[]>();
    for (const tables of this.byFile.values()) {
      for (const table of tables) {
        for (const name of [table.name, ...(table.aliases ?? [])]) {
          const key = tableKey(name);
          const list = merged.get(key);
          if (list) list.push(table);
          else merged.set(key, [table]);
        }
      }
    }
    this.merged = merged;
    return merged;
  }
}
