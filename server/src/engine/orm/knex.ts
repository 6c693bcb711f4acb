import ts from 'typescript';
import type { FileView } from '../detector.js';
import type { ProjectFacts, SchemaCollector } from '../facts.js';
import type { RelationFact, TableFact } from '../schema.js';
import { resolveName } from '../names/top-level.js';
import { calleeName, lastSegment, propertyName, stringValue, unwrap } from '../syntax/ast.js';
import type { OrmColumnFact } from './column.js';
import { codeEncrypts, encryptionOf, isBinaryType, isEncryptionName } from './protection.js';
import { TsProject } from '../ts-project.js';
import { nodesOfKind } from '../syntax/node-index.js';

const TABLE_BUILDERS = new Set(['createTable', 'createTableIfNotExists', 'alterTable', 'table', 'createTableLike']);
const COLUMN_TYPES = new Set([
  'string',
  'text',
  'mediumtext',
  'longtext',
  'integer',
  'bigInteger',
  'bigint',
  'tinyint',
  'smallint',
  'mediumint',
  'float',
  'double',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'dateTime',
  'time',
  'timestamp',
  'binary',
  'json',
  'jsonb',
  'uuid',
  'enu',
  'enum',
  'specificType',
  'geometry',
  'point',
  'varchar',
  'char',
]);
const DRIZZLE_TABLES = new Set(['pgTable', 'mysqlTable', 'sqliteTable', 'singlestoreTable']);

/** knex migrations (`knex.schema.createTable('t', (table) => table.text('diagnostic'))`) and Drizzle tables (`pgTable('t', { ... })`). */
export const knexCollector: SchemaCollector = {
  name: 'knex-drizzle',
  languages: ['typescript', 'javascript'],
  collect(file: FileView, facts: ProjectFacts): TableFact[] {
    const sf = file.ts;
    if (!sf || !/createTable|alterTable|\.table\(|Table\(/.test(file.text)) return [];
    const tables: TableFact[] = [];
    for (const node of nodesOfKind(sf, ts.SyntaxKind.CallExpression)) {
      if (ts.isCallExpression(node)) {
        const name = lastSegment(calleeName(node.expression) ?? '');
        if (
          TABLE_BUILDERS.has(name) &&
          ts.isPropertyAccessExpression(node.expression) &&
          /schema/.test(node.expression.expression.getText(sf))
        ) {
          const table = knexTable(node, sf, facts) ?? kyselyTable(node, sf, facts);
          if (table) tables.push(table);
        } else if (DRIZZLE_TABLES.has(name)) {
          const table = drizzleTable(node, sf, facts);
          if (table) tables.push(table);
        }
      }
    }
    return tables;
  },
};

function knexTable(call: ts.CallExpression, sf: ts.SourceFile, facts: ProjectFacts): TableFact | undefined {
  const [nameArg, callback] = call.arguments;
  const name = stringValue(nameArg);
  if (!name || !callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return undefined;
  const param = callback.parameters[0];
  const builder = param && ts.isIdentifier(param.name) ? param.name.text : undefined;
  if (!builder) return undefined;
  const known = encryptionOf(facts.config);
  const columns: OrmColumnFact[] = [];
  const relations: RelationFact[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === builder
    ) {
      const method = node.expression.name.text;
      const columnArg = node.arguments[0];
      const column = stringValue(columnArg);
      const target = column ? chainedReference(node) : undefined;
      if (column && target) relations.push({ field: column, target, kind: 'fk' });
      if (COLUMN_TYPES.has(method) && column && columnArg) {
        const type = method === 'specificType' ? (stringValue(node.arguments[1]) ?? method) : method;
        const fact: OrmColumnFact = {
          name: column,
          type,
          file: TsProject.relativePath(sf.fileName),
          range: { start: columnArg.getStart(sf) + 1, end: columnArg.end - 1 },
        };
        const comment = chainedComment(node);
        if (comment && /encrypt|chiffr/i.test(comment)) fact.protection = `declared encrypted (${comment})`;
        if (!fact.protection && known.binaryTypes.includes(type.toLowerCase()))
          fact.protection = `binary ciphertext column (${type})`;
        columns.push(fact);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(callback.body);
  return {
    name,
    kind: 'table',
    source: 'knex',
    file: TsProject.relativePath(sf.fileName),
    range: { start: nameArg!.getStart(sf) + 1, end: nameArg!.end - 1 },
    columns,
    ...(relations.length > 0 ? { relations } : {}),
  };
}

/**
 * The table a column builder's chain points to: knex `.references('id').inTable('patients')` or
 * `.references('patients.id')`, Kysely `(col) => col.references('patients.id')`, Drizzle
 * `.references(() => patients.id)`.
 */
function chainedReference(node: ts.CallExpression): string | undefined {
  let current: ts.Node = node;
  let found: string | undefined;
  const fromArgument = (arg: ts.Expression | undefined): string | undefined => {
    if (!arg) return undefined;
    const text = stringValue(arg);
    if (text) return text.includes('.') ? text.slice(0, text.lastIndexOf('.')) : undefined;
    const u = unwrap(arg);
    if (ts.isArrowFunction(u) && !ts.isBlock(u.body)) {
      const body = unwrap(u.body);
      if (ts.isPropertyAccessExpression(body)) return body.expression.getText();
    }
    return undefined;
  };
  // A Kysely column callback: `(col) => col.notNull().references('patients.id')`.
  for (const arg of node.arguments) {
    if ((ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) && arg.body) {
      const visit = (n: ts.Node): void => {
        if (
          !found &&
          ts.isCallExpression(n) &&
          ts.isPropertyAccessExpression(n.expression) &&
          n.expression.name.text === 'references'
        )
          found = fromArgument(n.arguments[0]);
        ts.forEachChild(n, visit);
      };
      visit(arg.body);
    }
  }
  while (
    !found &&
    ts.isPropertyAccessExpression(current.parent) &&
    ts.isCallExpression(current.parent.parent) &&
    current.parent.parent.expression === current.parent
  ) {
    const call = current.parent.parent;
    const method = current.parent.name.text;
    if (method === 'inTable') found = stringValue(call.arguments[0]);
    else if (method === 'references') found = fromArgument(call.arguments[0]);
    current = call;
  }
  return found;
}

/** Kysely: `db.schema.createTable('t').addColumn('diagnosis', 'text', (col) => ...).execute()`. */
function kyselyTable(call: ts.CallExpression, sf: ts.SourceFile, facts: ProjectFacts): TableFact | undefined {
  const nameArg = call.arguments[0];
  const name = stringValue(nameArg);
  if (!name || !nameArg || call.arguments.length !== 1) return undefined;
  const known = encryptionOf(facts.config);
  const columns: OrmColumnFact[] = [];
  const relations: RelationFact[] = [];
  let current: ts.Node = call;
  while (
    ts.isPropertyAccessExpression(current.parent) &&
    ts.isCallExpression(current.parent.parent) &&
    current.parent.parent.expression === current.parent
  ) {
    const link = current.parent.parent;
    const columnArg = link.arguments[0];
    const column = stringValue(columnArg);
    if (['addColumn', 'modifyColumn'].includes(current.parent.name.text) && column && columnArg) {
      const typeArg = link.arguments[1];
      const type =
        stringValue(typeArg) ??
        (typeArg && ts.isTaggedTemplateExpression(typeArg)
          ? typeArg.template.getText(sf).replace(/`/g, '')
          : typeArg?.getText(sf)) ??
        '';
      const fact: OrmColumnFact = {
        name: column,
        type,
        file: TsProject.relativePath(sf.fileName),
        range: { start: columnArg.getStart(sf) + 1, end: columnArg.end - 1 },
      };
      if (isBinaryType(type, known)) fact.protection = `binary ciphertext column (${type})`;
      const target = chainedReference(link);
      if (target) {
        fact.references = target;
        relations.push({ field: column, target, kind: 'fk' });
      }
      columns.push(fact);
    }
    current = link;
  }
  if (columns.length === 0) return undefined;
  return {
    name,
    kind: 'table',
    source: 'knex',
    file: TsProject.relativePath(sf.fileName),
    range: { start: nameArg.getStart(sf) + 1, end: nameArg.end - 1 },
    columns,
    ...(relations.length > 0 ? { relations } : {}),
  };
}

/** `.comment('...')` chained on a knex column builder. */
function chainedComment(node: ts.CallExpression): string | undefined {
  let current: ts.Node = node;
  while (ts.isPropertyAccessExpression(current.parent) && ts.isCallExpression(current.parent.parent)) {
    const call = current.parent.parent;
    if (current.parent.name.text === 'comment') return stringValue(call.arguments[0]);
    current = call;
  }
  return undefined;
}

function drizzleTable(call: ts.CallExpression, sf: ts.SourceFile, facts: ProjectFacts): TableFact | undefined {
  const [nameArg, columnsArg] = call.arguments;
  const name = stringValue(nameArg);
  const spec = columnsArg && unwrap(columnsArg);
  if (!name || !spec || !ts.isObjectLiteralExpression(spec)) return undefined;
  const known = encryptionOf(facts.config);
  const columns: OrmColumnFact[] = [];
  const relations: RelationFact[] = [];
  for (const prop of spec.properties) {
    if (!ts.isPropertyAssignment(prop) || !prop.name) continue;
    const field = propertyName(prop.name);
    let root = unwrap(prop.initializer);
    const target = ts.isCallExpression(root) ? drizzleReference(root) : undefined;
    if (field && target) relations.push({ field, target, kind: 'fk' });
    while (
      ts.isCallExpression(root) &&
      ts.isPropertyAccessExpression(root.expression) &&
      ts.isCallExpression(root.expression.expression)
    )
      root = root.expression.expression;
    if (!field || !ts.isCallExpression(root)) continue;
    const type = calleeName(root.expression) ?? '';
    const dbName = stringValue(root.arguments[0]);
    const fact: OrmColumnFact = {
      name: field,
      type,
      file: TsProject.relativePath(sf.fileName),
      range: { start: prop.name.getStart(sf), end: prop.name.end },
      ...(dbName && dbName !== field ? { dbName } : {}),
    };
    if (known.binaryTypes.includes(type.toLowerCase())) fact.protection = `binary ciphertext column (${type})`;
    else if (ts.isIdentifier(root.expression)) {
      const resolved = resolveName(root.expression.text, sf, facts);
      const encrypts =
        resolved && resolved.node !== root ? codeEncrypts(resolved.node, resolved.file, facts) : undefined;
      if (encrypts) fact.protection = `custom type ${type} (calls ${encrypts})`;
      else if (!resolved && isEncryptionName(type, known)) fact.protection = `custom type ${type}`;
    }
    columns.push(fact);
  }
  // The variable the table is bound to is how other tables refer to it (`.references(() => patients.id)`).
  const variable =
    ts.isVariableDeclaration(call.parent) && ts.isIdentifier(call.parent.name) && call.parent.name.text !== name
      ? [call.parent.name.text]
      : [];
  return {
    name,
    kind: 'table',
    source: 'custom',
    file: TsProject.relativePath(sf.fileName),
    range: { start: nameArg!.getStart(sf) + 1, end: nameArg!.end - 1 },
    columns,
    ...(variable.length > 0 ? { aliases: variable } : {}),
    ...(relations.length > 0 ? { relations } : {}),
  };
}

/** `uuid('patient_id').notNull().references(() => patients.id)`: the table variable referred to. */
function drizzleReference(chain: ts.CallExpression): string | undefined {
  for (
    let c: ts.Expression = chain;
    ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression);
    c = c.expression.expression
  ) {
    if (c.expression.name.text !== 'references') continue;
    const arg = c.arguments[0] && unwrap(c.arguments[0]);
    if (arg && ts.isArrowFunction(arg) && !ts.isBlock(arg.body)) {
      const body = unwrap(arg.body);
      if (ts.isPropertyAccessExpression(body) && ts.isIdentifier(body.expression)) return body.expression.text;
    }
  }
  return undefined;
}
