import ts from 'typescript';
import type { FileView } from '../detector.js';
import type { ProjectFacts, SchemaCollector } from '../facts.js';
import type { TableFact } from '../schema.js';
import { calleeName, propertyName, propertyValue, stringValue, unwrap } from '../flow/resolve.js';
import { declaredColumn, type OrmColumnFact } from './column.js';
import { codeEncrypts } from './protection.js';
import { TsProject } from '../ts-project.js';
import { nodesOfKind } from '../syntax-index.js';

/** Sequelize models: `sequelize.define('Name', attributes, options)` and `Model.init(attributes, { sequelize })`. */
export const sequelizeCollector: SchemaCollector = {
  name: 'sequelize',
  languages: ['typescript', 'javascript'],
  collect(file: FileView, facts: ProjectFacts): TableFact[] {
    const sf = file.ts;
    if (!sf || !/\.(define|init)\s*\(/.test(file.text)) return [];
    const tables: TableFact[] = [];
    for (const node of nodesOfKind(sf, ts.SyntaxKind.CallExpression)) {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const args = node.arguments.map(unwrap);
        if (method === 'define' && args.length >= 2 && stringValue(args[0]) && ts.isObjectLiteralExpression(args[1]!)) {
          const options = args[2] && ts.isObjectLiteralExpression(args[2]) ? args[2] : undefined;
          tables.push(tableOf(stringValue(args[0])!, args[0]!, args[1] as ts.ObjectLiteralExpression, options, sf, facts));
        } else if (method === 'init' && args.length >= 2 && ts.isObjectLiteralExpression(args[0]!) && ts.isObjectLiteralExpression(args[1]!)) {
          const options = args[1] as ts.ObjectLiteralExpression;
          if (propertyValue(options, 'sequelize') || propertyValue(options, 'modelName') || propertyValue(options, 'tableName')) {
            const name = stringValue(propertyValue(options, 'modelName')) ?? calleeName(node.expression.expression) ?? 'Model';
            tables.push(tableOf(name, node.expression.expression, args[0] as ts.ObjectLiteralExpression, options, sf, facts));
          }
        }
      }
    }
    return tables;
  },
};

function tableOf(name: string, nameNode: ts.Node, attributes: ts.ObjectLiteralExpression, options: ts.ObjectLiteralExpression | undefined, sf: ts.SourceFile, facts: ProjectFacts): TableFact {
  const aliases = new Set<string>();
  const tableName = stringValue(propertyValue(options, 'tableName'));
  if (tableName) aliases.add(tableName);
  aliases.add(`${name.toLowerCase()}s`);
  const columns: OrmColumnFact[] = [];
  for (const prop of attributes.properties) {
    if (!ts.isPropertyAssignment(prop) || !prop.name) continue;
    const field = propertyName(prop.name);
    if (!field) continue;
    const value = unwrap(prop.initializer);
    const spec = ts.isObjectLiteralExpression(value) ? value : undefined;
    if (spec && (propertyValue(spec, 'primaryKey') || propertyValue(spec, 'autoIncrement'))) continue;
    const typeNode = spec ? propertyValue(spec, 'type') : value;
    const type = typeNode ? typeText(typeNode, sf) : undefined;
    const dbName = stringValue(propertyValue(spec, 'field'));
    const column = declaredColumn(field, prop.name, sf, type, dbName);
    const setter = spec?.properties.find((p) => p.name && propertyName(p.name) === 'set');
    const protection = setter ? codeEncrypts(setter, sf, facts) : undefined;
    if (protection) column.protection = `setter calling ${protection}`;
    columns.push(column);
  }
  return {
    name,
    aliases: [...aliases].filter((a) => a !== name),
    kind: 'model',
    source: 'sequelize',
    file: TsProject.relativePath(sf.fileName),
    range: { start: nameNode.getStart(sf), end: nameNode.end },
    columns,
  };
}

function typeText(node: ts.Expression, sf: ts.SourceFile): string {
  const e = unwrap(node);
  if (ts.isCallExpression(e)) return calleeName(e.expression) ?? e.getText(sf);
  return stringValue(e) ?? e.getText(sf);
}
