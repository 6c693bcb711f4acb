import ts from 'typescript';
import type { FileView } from '../detector.js';
import type { ProjectFacts, SchemaCollector } from '../facts.js';
import type { SchemaSource, TableFact } from '../schema.js';
import { calleeName, lastSegment, propertyName, propertyValue, stringValue, unwrap } from '../syntax/ast.js';
import { declaredColumn, lengthOf, type OrmColumnFact } from './column.js';
import { customTypeProtection } from './decorators.js';
import { codeEncrypts, encryptionOf, transformerProtection } from './protection.js';
import { objectEntryFix } from './typeorm-fix.js';
import { TsProject } from '../ts-project.js';
import { nodesOfKind } from '../syntax/node-index.js';

/** `new EntitySchema({ name, tableName, columns })` of TypeORM and `new EntitySchema({ properties })` of MikroORM. */
export const entitySchemaCollector: SchemaCollector = {
  name: 'entity-schema',
  languages: ['typescript', 'javascript'],
  collect(file: FileView, facts: ProjectFacts): TableFact[] {
    const sf = file.ts;
    if (!sf || !file.text.includes('EntitySchema')) return [];
    const known = encryptionOf(facts.config);
    const tables: TableFact[] = [];
    for (const node of nodesOfKind(sf, ts.SyntaxKind.NewExpression)) {
      if (ts.isNewExpression(node) && lastSegment(calleeName(node.expression) ?? '') === 'EntitySchema') {
        const options = node.arguments?.[0] && unwrap(node.arguments[0]);
        if (options && ts.isObjectLiteralExpression(options)) {
          const table = tableOf(options, node, sf, facts, known);
          if (table) tables.push(table);
        }
      }
    }
    return tables;
  },
};

function tableOf(
  options: ts.ObjectLiteralExpression,
  node: ts.NewExpression,
  sf: ts.SourceFile,
  facts: ProjectFacts,
  known: ReturnType<typeof encryptionOf>,
): TableFact | undefined {
  const typeorm = propertyValue(options, 'columns');
  const mikro = propertyValue(options, 'properties');
  const fields = unwrap(typeorm ?? mikro ?? options);
  if (!ts.isObjectLiteralExpression(fields) || fields === options) return undefined;
  const source: SchemaSource = typeorm ? 'typeorm' : 'mikroorm';
  const nameNode = propertyValue(options, 'name');
  const className = propertyValue(options, 'class');
  const name = stringValue(nameNode) ?? (className && ts.isIdentifier(className) ? className.text : undefined);
  if (!name) return undefined;
  const aliases = ['tableName', 'collection']
    .map((k) => stringValue(propertyValue(options, k)))
    .filter((v): v is string => !!v);
  const columns: OrmColumnFact[] = [];
  for (const prop of fields.properties) {
    if (!ts.isPropertyAssignment(prop) || !prop.name) continue;
    const field = propertyName(prop.name);
    const spec = unwrap(prop.initializer);
    if (!field || !ts.isObjectLiteralExpression(spec)) continue;
    if (
      propertyValue(spec, 'primary') ||
      propertyValue(spec, 'createDate') ||
      propertyValue(spec, 'updateDate') ||
      propertyValue(spec, 'reference') ||
      propertyValue(spec, 'kind')
    )
      continue;
    const typeNode = propertyValue(spec, 'type');
    const type = stringValue(propertyValue(spec, 'columnType')) ?? stringValue(typeNode) ?? typeNode?.getText(sf);
    const dbName = stringValue(propertyValue(spec, 'name')) ?? stringValue(propertyValue(spec, 'fieldName'));
    const column = declaredColumn(field, prop.name, sf, type, dbName);
    const length = lengthOf(propertyValue(spec, 'length'), type);
    if (length) column.length = length;
    const transformer = propertyValue(spec, 'transformer');
    const protection =
      (transformer &&
        transformerProtection(transformer, sf, facts) &&
        `transformer ${transformerProtection(transformer, sf, facts)}`) ||
      (typeNode && !stringValue(typeNode) && customTypeProtection(typeNode, sf, facts, known)) ||
      (propertyValue(spec, 'set') && codeEncrypts(propertyValue(spec, 'set')!, sf, facts)) ||
      undefined;
    if (protection) column.protection = protection;
    else if (source === 'typeorm')
      column.fixAt = objectEntryFix(spec, sf, 'transformer: $T', 'Encrypt the column with a TypeORM transformer');
    columns.push(column);
  }
  return {
    name,
    aliases,
    kind: 'model',
    source,
    file: TsProject.relativePath(sf.fileName),
    range: nameNode
      ? { start: nameNode.getStart(sf), end: nameNode.end }
      : { start: node.getStart(sf), end: node.getStart(sf) + 3 },
    columns,
  };
}
