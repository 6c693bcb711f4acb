import { describe, expect, it } from 'vitest';
import { Project, type TableFact } from '../../server/src/engine/index.js';
import { ORM_COLLECTORS } from '../../server/src/engine/orm/index.js';
import { testConfig } from '../helpers.js';

/** Tables collected from in-memory files by the ORM collectors only; columns as `name: protection`. */
function collect(files: Record<string, string>, extra = {}): Record<string, Record<string, string>> {
  const project = new Project(testConfig(extra), { collectors: ORM_COLLECTORS, detectors: [] });
  for (const [path, text] of Object.entries(files)) project.setFile({ path, text });
  project.refreshFacts();
  const out: Record<string, Record<string, string>> = {};
  for (const t of project.facts.schema.tables())
    out[`${t.source}:${t.name}`] = Object.fromEntries(t.columns.map((c) => [c.name, c.protection ?? '-']));
  return out;
}

function tables(files: Record<string, string>): TableFact[] {
  const project = new Project(testConfig(), { collectors: ORM_COLLECTORS, detectors: [] });
  for (const [path, text] of Object.entries(files)) project.setFile({ path, text });
  project.refreshFacts();
  return project.facts.schema.tables();
}

describe('ORM schema collectors', () => {
  it('Prisma: models, @map/@@map, @encrypted above and trailing, hash, Bytes, relations skipped', () => {
    const files = {
      'prisma/schema.prisma':
        'model P {\n  id String @id\n  /// @encrypted\n  a String\n  b String /// @encrypted?mode=strict\n  c String? @map("c_col") /// @encryption:hash(a)\n  d Bytes\n  e String\n  q Q[]\n  r Q @relation(fields: [e], references: [id])\n  @@map("p_table")\n}',
    };
    expect(collect(files)).toEqual({
      'prisma:P': {
        id: '-',
        a: 'prisma-field-encryption @encrypted',
        b: 'prisma-field-encryption @encrypted',
        c: 'prisma-field-encryption @encryption:hash',
        d: 'binary ciphertext column (Bytes)',
        e: '-',
      },
    });
    const [p] = tables(files);
    expect(p!.aliases).toEqual(['p_table']);
    expect(p!.columns.find((c) => c.name === 'c')).toMatchObject({ dbName: 'c_col' });
  });

  it('TypeORM: class name, @Entity name and snake alias; library, project and inline transformers', () => {
    const files = {
      'src/e.ts': `import { EncryptionTransformer } from 'typeorm-encrypted';
import { sealed } from './t';
const aes = new EncryptionTransformer({ key: 'k', algorithm: 'aes-256-gcm', ivLength: 12 });
@Entity({ name: 'visit_rows' }) export class VisitRow {
  @PrimaryGeneratedColumn() id: number;
  @Column({ transformer: aes }) a: string;
  @Column({ transformer: sealed }) b: string;
  @Column({ transformer: { to: (v: string) => encryptValue(v), from: (v: string) => v } }) c: string;
  @Column({ transformer: [lower, aes] }) d: string;
  @Column({ name: 'e_col', type: 'bytea' }) e: Buffer;
  @Column() f: string;
}`,
      'src/t.ts': `import { createCipheriv } from 'crypto';\nexport const sealed = { to: (v: string) => createCipheriv('aes-256-gcm', k, iv).update(v), from: (v: string) => v };`,
    };
    expect(collect(files)['typeorm:VisitRow']).toEqual({
      a: 'transformer aes (EncryptionTransformer)',
      b: 'transformer sealed (a transformer calling createCipheriv)',
      c: 'transformer a transformer calling encryptValue',
      d: 'transformer aes (EncryptionTransformer)',
      e: '-',
      f: '-',
    });
    expect(tables(files)[0]!.aliases).toEqual(['visit_row', 'visit_rows']);
  });

  it('TypeORM: an ECB or createCipher helper is not a transformer that encrypts', () => {
    const files = {
      'src/e.ts': `import { ecb, legacy } from './t';\n@Entity() export class A { @Column({ transformer: ecb }) a: string; @Column({ transformer: legacy }) b: string; }`,
      'src/t.ts': `import { createCipheriv, createCipher } from 'crypto';\nexport const ecb = { to: (v: string) => createCipheriv('aes-128-ecb', k, null).update(v) };\nexport const legacy = { to: (v: string) => createCipher('aes192', 'p').update(v) };`,
    };
    expect(collect(files)['typeorm:A']).toEqual({ a: '-', b: '-' });
  });

  it('MikroORM: source, custom Type resolved in another file', () => {
    const files = {
      'src/e.ts': `import { Entity, Property } from '@mikro-orm/core';\nimport { Sealed } from './types';\n@Entity({ tableName: 'cr' }) export class Cr { @Property({ type: Sealed }) a!: string; @Property() b!: string; @Property({ type: 'EncryptedType' }) c!: string; }`,
      'src/types.ts': `export class Sealed extends Type { convertToDatabaseValue(v: string) { return encryptField(v); } }`,
    };
    expect(collect(files)).toEqual({ 'mikroorm:Cr': { a: 'custom type Sealed (calls encryptField)', b: '-', c: '-' } });
  });

  it('Sequelize: define with setter, init with modelName and tableName', () => {
    const files = {
      'src/m.js': `const A = sequelize.define('A', { x: { type: DataTypes.TEXT, set(v) { this.setDataValue('x', encryptField(v)); } }, y: DataTypes.TEXT, id: { type: DataTypes.INTEGER, primaryKey: true } }, { tableName: 'a_rows' });\nB.init({ z: DataTypes.BLOB }, { sequelize, modelName: 'Bee' });`,
    };
    expect(collect(files)).toEqual({
      'sequelize:A': { x: 'setter calling encryptField', y: '-' },
      'sequelize:Bee': { z: '-' },
    });
    expect(tables(files).map((t) => t.aliases)).toEqual([['a_rows', 'as'], ['bees']]);
  });

  it('Mongoose: plugins by import, model name and collection; CSFLE map as its own collection', () => {
    const files = {
      'src/m.ts': `import encrypt from 'mongoose-encryption';\nconst S = new Schema({ a: String, b: { type: String, index: true }, c: Number }, { collection: 'ess' });\nS.plugin(encrypt, { secret: 's', excludeFromEncryption: ['c'] });\nexport const M = model('Ess', S);`,
      'src/client.ts': `new MongoClient(u, { autoEncryption: { encryptedFieldsMap: { 'db.notes': { fields: [{ path: 'body', bsonType: 'string' }] } } } });`,
    };
    expect(collect(files)).toEqual({
      'mongoose:Ess': { a: 'mongoose-encryption (whole document)', b: '-', c: '-' },
      'mongoose:notes': { body: 'MongoDB CSFLE' },
    });
  });

  it('knex migrations and Drizzle tables', () => {
    const files = {
      'm.ts': `export const up = (knex) => knex.schema.alterTable('t', (table) => { table.text('a'); table.binary('b'); table.specificType('c', 'BYTEA'); table.dropColumn('d'); table.timestamps(); });`,
      'd.ts': `export const t2 = sqliteTable('t2', { a: text('a_col'), b: blob('b') });`,
    };
    expect(collect(files)).toEqual({
      'knex:t': { a: '-', b: 'binary ciphertext column (binary)', c: 'binary ciphertext column (BYTEA)' },
      'custom:t2': { a: '-', b: 'binary ciphertext column (blob)' },
    });
  });

  it('ignores classes without an entity decorator and schemas without fields', () => {
    expect(collect({ 'a.ts': 'export class Dto { @IsString() diagnosis: string; }\nconst s = new Schema();' })).toEqual(
      {},
    );
  });
});
