import ts from 'typescript';
import type { FileView } from '../detector.js';
import type { ProjectFacts, SchemaCollector } from '../facts.js';
import type { TableFact } from '../schema.js';
import { propertyName, propertyValue, stringValue, unwrap } from '../syntax/ast.js';
import type { OrmColumnFact } from './column.js';
import { codeEncrypts } from './protection.js';
import { TsProject } from '../ts-project.js';
import { nodesOfKind } from '../syntax/node-index.js';

/** Objection chain links that write: `Model.query().insert({...})`, `.patch({...})`, `.patchAndFetchById(id, {...})`. */
export const OBJECTION_WRITES: ReadonlySet<string> = new Set([
  'insert',
  'insertAndFetch',
  'insertGraph',
  'insertGraphAndFetch',
  'upsertGraph',
  'upsertGraphAndFetch',
  'patch',
  'patchAndFetch',
  'patchAndFetchById',
  'update',
  'updateAndFetch',
  'updateAndFetchById',
]);

/** Objection chain links after which the rows are not whole records: narrowed, aggregated, deleted or left to knex. */
export const OBJECTION_NOT_ROWS: ReadonlySet<string> = new Set([
  'select',
  'column',
  'columns',
  'pluck',
  'count',
  'countDistinct',
  'sum',
  'avg',
  'min',
  'max',
  'resultSize',
  'delete',
  'deleteById',
  'relate',
  'unrelate',
  'increment',
  'decrement',
  'toKnexQuery',
]);

/** Links that make a `Model.query()` chain anything but a read of whole records: the above, and writes. */
export const OBJECTION_NOT_A_READ: ReadonlySet<string> = new Set([...OBJECTION_NOT_ROWS, ...OBJECTION_WRITES]);

/** Hooks through which an Objection model rewrites its row before it is stored. */
const WRITE_HOOKS = new Set(['$formatDatabaseJson', '$beforeInsert', '$beforeUpdate']);

/**
 * Objection.js models: `class Specimen extends Model { static get tableName() { return 'specimens' }
 * static get jsonSchema() { return { properties: { ... } } } }` (also the `static x = ...` forms).
 * The JSON schema's properties are the stored columns; a write hook that encrypts a field protects it.
 */
export const objectionCollector: SchemaCollector = {
  name: 'objection',
  languages: ['typescript', 'javascript'],
  collect(file: FileView, facts: ProjectFacts): TableFact[] {
    const sf = file.ts;
    if (!sf || !file.text.includes('jsonSchema')) return [];
    const tables: TableFact[] = [];
    for (const node of nodesOfKind(sf, ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ClassExpression)) {
      if (ts.isClassLike(node) && node.name) {
        const table = modelOf(node, sf, facts);
        if (table) tables.push(table);
      }
    }
    return tables;
  },
};

function modelOf(node: ts.ClassLikeDeclaration, sf: ts.SourceFile, facts: ProjectFacts): TableFact | undefined {
  const schema = staticValue(node, 'jsonSchema');
  const properties = schema && ts.isObjectLiteralExpression(schema) ? propertyValue(schema, 'properties') : undefined;
  const fields = properties && unwrap(properties);
  if (!fields || !ts.isObjectLiteralExpression(fields)) return undefined;
  const className = node.name!.text;
  const tableName = stringValue(staticValue(node, 'tableName'));
  const hooks = node.members.filter(
    (m) => ts.isMethodDeclaration(m) && m.name && WRITE_HOOKS.has(propertyName(m.name) ?? ''),
  );
  const file = TsProject.relativePath(sf.fileName);
  const columns: OrmColumnFact[] = [];
  for (const prop of fields.properties) {
    if (!ts.isPropertyAssignment(prop) || !prop.name) continue;
    const name = propertyName(prop.name);
    if (!name || name === 'id') continue;
    const spec = unwrap(prop.initializer);
    const type = ts.isObjectLiteralExpression(spec) ? propertyValue(spec, 'type')?.getText(sf) : undefined;
    const column: OrmColumnFact = {
      name,
      file,
      range: { start: prop.name.getStart(sf), end: prop.name.end },
      ...(type ? { type } : {}),
    };
    const hook = hooks.find((h) => mentions(h, name));
    const encrypts = hook && codeEncrypts(hook, sf, facts);
    if (encrypts) column.protection = `write hook calling ${encrypts}`;
    columns.push(column);
  }
  return {
    name: className,
    aliases: tableName && tableName !== className ? [tableName] : [],
    kind: 'model',
    source: 'custom',
    file,
    range: { start: node.name!.getStart(sf), end: node.name!.end },
    columns,
  };
}

/** `static get x() { return <value> }` or `static x = <value>`. */
function staticValue(node: ts.ClassLikeDeclaration, name: string): ts.Expression | undefined {
  for (const member of node.members) {
    if (!member.name || propertyName(member.name) !== name) continue;
    if (!(ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static)) continue;
    if (ts.isPropertyDeclaration(member) && member.initializer) return unwrap(member.initializer);
    if (ts.isGetAccessorDeclaration(member) && member.body) {
      const ret = member.body.statements.find(ts.isReturnStatement);
      if (ret?.expression) return unwrap(ret.expression);
    }
  }
  return undefined;
}

/** Does a hook name the field (`json.clinicalNotes`, `json['clinical_notes']`)? */
function mentions(hook: ts.Node, field: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(n) || ts.isStringLiteral(n)) && n.text === field) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(hook);
  return found;
}
