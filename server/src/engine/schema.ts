import type { Range } from './types.js';
import { PerFileFacts } from './per-file-facts.js';

/** Where a table or field was declared from. */
export type SchemaSource = 'sql' | 'prisma' | 'typeorm' | 'mikroorm' | 'sequelize' | 'mongoose' | 'knex' | 'custom';

export interface ColumnFact {
  name: string;
  /** The column's name in the database when the declared field is named otherwise (`@map`, `name:`, `field:`). */
  dbName?: string;
  /** Declared as a quoted identifier (`"firstName"`): its letter case is part of its name. */
  quoted?: boolean;
  /** Declared type as written (`TEXT`, `String`, `varchar(255)`...). */
  type?: string;
  file: string;
  /** The name token. */
  range: Range;
  /** What protects the stored value (e.g. `pgp_sym_encrypt`, `@encrypted`, `EncryptionTransformer`); absent = plaintext. */
  protection?: string;
  /** The table this column points to (`REFERENCES patients (id)`, `.references('patients.id')`). */
  references?: string;
}

/**
 * A link from a table's rows to another table's: a foreign key (`fk`), an ORM relation
 * (`relation`: Prisma, TypeORM, Sequelize associations...), a document reference (`ref`:
 * Mongoose `ref`), or a sub-document or sub-schema stored inside the row (`embedded`).
 */
export interface RelationFact {
  /** The field or column that holds the link, as declared (`patientId`, `patient`, `medicalInfo`). */
  field: string;
  /** The table, model or collection it points to, as written. */
  target: string;
  kind: 'fk' | 'relation' | 'ref' | 'embedded';
  /** The other side holds the key: a list (`records MedicalRecord[]`, `hasMany`) or an inverse side. */
  inverse?: boolean;
  /** The ORM property that holds the related rows when it is not `field` (Prisma `patient` for the key `patientId`). */
  property?: string;
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
  /** Links to other tables declared here (foreign keys, ORM relations, document refs). */
  relations?: RelationFact[];
  /**
   * What this statement removes (SQL migrations): the whole table (`DROP TABLE`), or some of its
   * columns (`ALTER TABLE ... DROP COLUMN`); `renamedTo` for `ALTER TABLE ... RENAME TO`.
   * A fact that only removes declares no columns.
   */
  dropped?: { table?: boolean; columns?: string[]; renamedTo?: string; renamedColumns?: Record<string, string> };
  /**
   * SQL a tool wrote from something else: `prisma migrate`, `typeorm migration:generate`, a
   * `pg_dump`/`mysqldump`, a generator's banner. Where a model declares the same table, the model
   * is where the storage is decided.
   */
  generatedBy?: string;
}

/** Normalised key of a table name: lower case, no quotes/brackets, no schema prefix. */
export function tableKey(name: string): string {
  const bare = name
    .replace(/["`[\]]/g, '')
    .trim()
    .toLowerCase();
  const dot = bare.lastIndexOf('.');
  return dot >= 0 ? bare.slice(dot + 1) : bare;
}

/**
 * Tables and columns of the whole project, merged from per-file contributions (SQL DDL,
 * Prisma, ORM entities). Replacing one file's contribution updates the index without
 * rebuilding it; `version` changes whenever the merged content may have changed.
 */
export class SchemaIndex extends PerFileFacts<TableFact> {
  private merged: Map<string, TableFact[]> | undefined;

  protected invalidate(): void {
    this.merged = undefined;
  }

  /** Every declaration of a table (DDL in several migrations, a model and its table...). */
  declarations(name: string): TableFact[] {
    return this.index().get(tableKey(name)) ?? [];
  }

  /**
   * All columns known for a table, merged over its declarations (ALTER TABLE ADD COLUMN included);
   * a model's field and the SQL column it maps to (`dateNaissance` on `date_naissance`) are one.
   */
  columns(name: string): ColumnFact[] {
    const seen = new Map<string, ColumnFact>();
    for (const table of this.declarations(name)) {
      for (const column of table.columns) {
        const key = (column.dbName ?? column.name).toLowerCase();
        const prior = seen.get(key);
        if (!prior || (column.protection && !prior.protection)) seen.set(key, column);
      }
    }
    return [...seen.values()];
  }

  has(name: string): boolean {
    return this.index().has(tableKey(name));
  }

  /** Every declaration (a statement that only drops or renames is not one: see `history`). */
  tables(): TableFact[] {
    return [...this.byFile.values()].flat().filter((t) => !onlyRemoves(t));
  }

  /** Every fact, drops and renames included, by declaring file (what `tables/current.ts` replays). */
  history(): ReadonlyMap<string, readonly TableFact[]> {
    return this.byFile;
  }

  private index(): Map<string, TableFact[]> {
    if (this.merged) return this.merged;
    const merged = new Map<string, TableFact[]>();
    for (const tables of this.byFile.values()) {
      for (const table of tables) {
        if (onlyRemoves(table)) continue;
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

/** A fact that declares nothing: `DROP TABLE`, or an ALTER that only drops or renames. */
function onlyRemoves(table: TableFact): boolean {
  return !!table.dropped && table.columns.length === 0 && !table.relations?.length;
}
