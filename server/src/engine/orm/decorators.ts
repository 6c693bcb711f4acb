import ts from 'typescript';
import type { FileView } from '../detector.js';
import type { ProjectFacts, SchemaCollector } from '../facts.js';
import type { RelationFact, SchemaSource, TableFact } from '../schema.js';
import { importSource, resolveName } from '../names/top-level.js';
import { calleeName, lastSegment, property, propertyName, propertyValue, stringValue, unwrap } from '../syntax/ast.js';
import { lengthOf, type OrmColumnFact } from './column.js';
import {
  codeEncrypts,
  encryptionOf,
  isEncryptionName,
  transformerProtection,
  type EncryptionKnowledge,
} from './protection.js';
import { optionsFix } from './typeorm-fix.js';
import { TsProject } from '../ts-project.js';
import { nodesOfKind } from '../syntax/node-index.js';

const ENTITY_DECORATORS = new Set(['Entity', 'ViewEntity', 'Table', 'Embeddable', 'Schema', 'Model']);
const TYPEORM_COLUMNS = new Set([
  'Column',
  'PrimaryColumn',
  'PrimaryGeneratedColumn',
  'CreateDateColumn',
  'UpdateDateColumn',
  'DeleteDateColumn',
  'VersionColumn',
  'ObjectIdColumn',
  'ViewColumn',
]);
const MIKRO_COLUMNS = new Set(['Property', 'PrimaryKey', 'SerializedPrimaryKey', 'Enum', 'Formula']);
const OTHER_COLUMNS = new Set(['Prop', 'Attribute']);
/** Relation decorators: the property holds the key (`ManyToOne`, `BelongsTo`, a `OneToOne` with `@JoinColumn`) or the other side does. */
const OWNING_RELATIONS = new Set(['ManyToOne', 'BelongsTo']);
const OTHER_SIDE_RELATIONS = new Set(['OneToMany', 'HasMany', 'HasOne']);
const GENERATED = new Set([
  'PrimaryGeneratedColumn',
  'CreateDateColumn',
  'UpdateDateColumn',
  'DeleteDateColumn',
  'VersionColumn',
  'ObjectIdColumn',
  'PrimaryKey',
  'SerializedPrimaryKey',
  'Formula',
]);

interface DecoratorInfo {
  name: string;
  call?: ts.CallExpression;
  node: ts.Decorator;
}

/**
 * Entity classes declared with decorators: TypeORM (`@Entity` + `@Column`), MikroORM
 * (`@Property`, `@Enum`), sequelize-typescript (`@Table` + `@Column`), NestJS Mongoose (`@Prop`).
 */
export const decoratedEntityCollector: SchemaCollector = {
  name: 'decorated-entities',
  languages: ['typescript', 'javascript'],
  collect(file: FileView, facts: ProjectFacts): TableFact[] {
    const sf = file.ts;
    if (!sf || !/@\w*(Entity|Table|Schema|Embeddable)\b/.test(file.text)) return [];
    const known = encryptionOf(facts.config);
    const tables: TableFact[] = [];
    for (const node of nodesOfKind(sf, ts.SyntaxKind.ClassDeclaration)) {
      if (ts.isClassDeclaration(node) && node.name) {
        const table = entityOf(node, sf, facts, known);
        if (table) tables.push(table);
      }
    }
    return tables;
  },
};

function decoratorsOf(node: ts.Node): DecoratorInfo[] {
  const list = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
  return list.flatMap((d) => {
    const e = d.expression;
    if (ts.isCallExpression(e)) {
      const name = calleeName(e.expression);
      return name ? [{ name: lastSegment(name), call: e, node: d }] : [];
    }
    const name = calleeName(e);
    return name ? [{ name: lastSegment(name), node: d }] : [];
  });
}

function entityOf(
  node: ts.ClassDeclaration,
  sf: ts.SourceFile,
  facts: ProjectFacts,
  known: EncryptionKnowledge,
): TableFact | undefined {
  const classDecorators = decoratorsOf(node);
  const entity = classDecorators.find((d) => ENTITY_DECORATORS.has(d.name));
  if (!entity) return undefined;
  const className = node.name!.text;
  const aliases = new Set<string>([snake(className)]);
  const first = entity.call?.arguments[0];
  const literalName = stringValue(first);
  if (literalName) aliases.add(literalName);
  const options = first && ts.isObjectLiteralExpression(first) ? first : undefined;
  for (const key of ['name', 'tableName', 'collection']) {
    const v = stringValue(propertyValue(options, key));
    if (v) aliases.add(v);
  }
  const columns: OrmColumnFact[] = [];
  const relations: RelationFact[] = [];
  let source: SchemaSource = entity.name === 'Table' ? 'sequelize' : entity.name === 'Schema' ? 'mongoose' : 'typeorm';
  for (const member of node.members) {
    if (!ts.isPropertyDeclaration(member) || !member.name) continue;
    const decorators = decoratorsOf(member);
    const relation = relationOf(member, decorators, sf);
    if (relation) relations.push(relation);
    const column = decorators.find(
      (d) =>
        TYPEORM_COLUMNS.has(d.name) ||
        MIKRO_COLUMNS.has(d.name) ||
        OTHER_COLUMNS.has(d.name) ||
        known.decorators.includes(d.name),
    );
    if (!column || GENERATED.has(column.name)) continue;
    if (MIKRO_COLUMNS.has(column.name)) source = 'mikroorm';
    const name = propertyName(member.name);
    if (!name) continue;
    columns.push(columnOf(name, member, column, decorators, node, sf, facts, known));
  }
  if (source === 'typeorm' && importSource(entity.name, sf)?.module.includes('mikro-orm')) source = 'mikroorm';
  aliases.delete(className);
  return {
    name: className,
    aliases: [...aliases],
    kind: source === 'mongoose' ? 'collection' : 'model',
    source,
    file: TsProject.relativePath(sf.fileName),
    range: { start: node.name!.getStart(sf), end: node.name!.end },
    columns,
    ...(relations.length > 0 ? { relations } : {}),
  };
}

/**
 * `@ManyToOne(() => Patient) patient`, `@OneToOne(() => Patient) @JoinColumn() patient`,
 * MikroORM `@ManyToOne({ entity: () => Patient })`, sequelize-typescript `@BelongsTo(() => Patient)`;
 * `@OneToMany(() => Result, ...)` says the other side holds the key.
 */
function relationOf(
  member: ts.PropertyDeclaration,
  decorators: DecoratorInfo[],
  sf: ts.SourceFile,
): RelationFact | undefined {
  const field = member.name && propertyName(member.name);
  if (!field) return undefined;
  for (const d of decorators) {
    const owning =
      OWNING_RELATIONS.has(d.name) || (d.name === 'OneToOne' && decorators.some((o) => o.name === 'JoinColumn'));
    const other = OTHER_SIDE_RELATIONS.has(d.name) || d.name === 'OneToOne';
    if (!owning && !other) continue;
    const target = relationTarget(d.call, member, sf);
    if (!target) return undefined;
    return { field, target, kind: 'relation', ...(owning ? {} : { inverse: true }) };
  }
  return undefined;
}

/** The entity a relation decorator names: `() => Patient`, `'Patient'`, `{ entity: () => Patient }`, else the property's type. */
function relationTarget(
  call: ts.CallExpression | undefined,
  member: ts.PropertyDeclaration,
  sf: ts.SourceFile,
): string | undefined {
  const named = (e: ts.Expression | undefined): string | undefined => {
    if (!e) return undefined;
    const u = unwrap(e);
    if (ts.isArrowFunction(u) && !ts.isBlock(u.body)) return named(u.body);
    if (ts.isIdentifier(u)) return u.text;
    if (ts.isPropertyAccessExpression(u)) return u.name.text;
    const text = stringValue(u);
    if (text) return text;
    if (ts.isObjectLiteralExpression(u)) return named(propertyValue(u, 'entity') ?? propertyValue(u, 'target'));
    return undefined;
  };
  const fromCall = named(call?.arguments[0]);
  if (fromCall) return fromCall;
  const type = member.type
    ?.getText(sf)
    .replace(/\[\]|\s*\|\s*(null|undefined)/g, '')
    .trim();
  return type && /^[A-Z]\w*$/.test(type) ? type : undefined;
}

function columnOf(
  name: string,
  member: ts.PropertyDeclaration,
  column: DecoratorInfo,
  decorators: DecoratorInfo[],
  owner: ts.ClassDeclaration,
  sf: ts.SourceFile,
  facts: ProjectFacts,
  known: EncryptionKnowledge,
): OrmColumnFact {
  const args = column.call?.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  const options = args.map(unwrap).find(ts.isObjectLiteralExpression);
  const typeArg = stringValue(args[0]);
  const typeOption = propertyValue(options, 'type');
  const columnType = stringValue(propertyValue(options, 'columnType'));
  const type = columnType ?? typeArg ?? (typeOption ? typeText(typeOption, sf) : member.type?.getText(sf));
  const dbName =
    stringValue(propertyValue(options, 'name')) ??
    stringValue(propertyValue(options, 'fieldName')) ??
    stringValue(propertyValue(options, 'field'));
  const length = lengthOf(propertyValue(options, 'length'), type);
  const fact: OrmColumnFact = {
    name,
    file: TsProject.relativePath(sf.fileName),
    range: { start: member.name.getStart(sf), end: member.name.end },
    ...(type ? { type } : {}),
    ...(length ? { length } : {}),
    ...(dbName && dbName !== name ? { dbName } : {}),
  };
  const protection = protectionOf(name, options, typeOption, decorators, owner, sf, facts, known);
  if (protection) fact.protection = protection;
  else if (TYPEORM_COLUMNS.has(column.name) && column.call) fact.fixAt = optionsFix(column.call, options, sf);
  return fact;
}

function protectionOf(
  name: string,
  options: ts.ObjectLiteralExpression | undefined,
  typeOption: ts.Expression | undefined,
  decorators: DecoratorInfo[],
  owner: ts.ClassDeclaration,
  sf: ts.SourceFile,
  facts: ProjectFacts,
  known: EncryptionKnowledge,
): string | undefined {
  const decorator = decorators.find((d) => known.decorators.includes(d.name));
  if (decorator) return `@${decorator.name}`;
  const transformer = propertyValue(options, 'transformer');
  if (transformer) {
    const p = transformerProtection(transformer, sf, facts);
    if (p) return `transformer ${p}`;
  }
  if (typeOption) {
    const p = customTypeProtection(typeOption, sf, facts, known);
    if (p) return p;
  }
  // sequelize-typescript / plain classes: a setter of the same name that encrypts.
  for (const member of settersOf(owner).get(name) ?? []) {
    const p = codeEncrypts(member, sf, facts);
    if (p) return `setter calling ${p}`;
  }
  // `set: (v) => ...` or the method form `set(v) { ... }` (sequelize-typescript `@Column({ set })`).
  const setter = property(options, 'set');
  if (setter) {
    const p = codeEncrypts(setter, sf, facts);
    if (p) return `setter calling ${p}`;
  }
  return undefined;
}

const settersByClass = new WeakMap<ts.ClassDeclaration, Map<string, ts.SetAccessorDeclaration[]>>();

/** The setters of a class by property name, listed once per class (not once per column: a class may have 40,000). */
function settersOf(owner: ts.ClassDeclaration): Map<string, ts.SetAccessorDeclaration[]> {
  let setters = settersByClass.get(owner);
  if (setters) return setters;
  setters = new Map();
  for (const member of owner.members) {
    const name = ts.isSetAccessorDeclaration(member) && member.name ? propertyName(member.name) : undefined;
    if (name === undefined) continue;
    const list = setters.get(name);
    if (list) list.push(member as ts.SetAccessorDeclaration);
    else setters.set(name, [member as ts.SetAccessorDeclaration]);
  }
  settersByClass.set(owner, setters);
  return setters;
}

/** A MikroORM / custom column type that encrypts: `type: ChiffreType`, `type: new EncryptedType()`. */
export function customTypeProtection(
  expression: ts.Expression,
  sf: ts.SourceFile,
  facts: ProjectFacts,
  known: EncryptionKnowledge,
): string | undefined {
  const e = unwrap(expression);
  const target = ts.isNewExpression(e) ? e.expression : e;
  if (!ts.isIdentifier(target)) return undefined;
  const name = target.text;
  if (known.typeNames.includes(name)) return `custom type ${name}`;
  const resolved = resolveName(name, sf, facts);
  if (resolved && (ts.isClassDeclaration(resolved.node) || ts.isClassExpression(resolved.node))) {
    const p = codeEncrypts(resolved.node, resolved.file, facts);
    if (p) return `custom type ${name} (calls ${p})`;
  } else if (!resolved && isEncryptionName(name.replace(/^Encrypted/, 'encrypt'), known)) {
    return `custom type ${name}`;
  }
  return undefined;
}

function typeText(expression: ts.Expression, sf: ts.SourceFile): string {
  const value = stringValue(expression);
  if (value) return value;
  const e = unwrap(expression);
  if (ts.isCallExpression(e)) return calleeName(e.expression) ?? e.getText(sf);
  return e.getText(sf);
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
