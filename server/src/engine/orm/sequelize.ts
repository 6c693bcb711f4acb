import ts from 'typescript';
import type { FileView } from '../detector.js';
import type { ProjectFacts, SchemaCollector } from '../facts.js';
import type { RelationFact, TableFact } from '../schema.js';
import { calleeName, propertyName, propertyValue, stringValue, unwrap } from '../syntax/ast.js';
import { declaredColumn, type OrmColumnFact } from './column.js';
import { codeEncrypts } from './protection.js';
import { TsProject } from '../ts-project.js';
import { nodesOfKind } from '../syntax/node-index.js';

const ASSOCIATIONS = new Set(['belongsTo', 'hasMany', 'hasOne', 'belongsToMany']);

/**
 * Sequelize models: `sequelize.define('Name', attributes, options)` and `Model.init(attributes, {
 * sequelize })` (`super.init` in a class names the class), with their associations
 * (`Result.belongsTo(Patient)`, `this.belongsTo(models.Patient, { foreignKey })`, `hasMany`).
 */
export const sequelizeCollector: SchemaCollector = {
  name: 'sequelize',
  languages: ['typescript', 'javascript'],
  collect(file: FileView, facts: ProjectFacts): TableFact[] {
    const sf = file.ts;
    if (!sf || !/\.(define|init|belongsTo|hasMany|hasOne)\s*\(/.test(file.text)) return [];
    const tables: TableFact[] = [];
    const associations: { model: string; relation: RelationFact }[] = [];
    for (const node of nodesOfKind(sf, ts.SyntaxKind.CallExpression)) {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const args = node.arguments.map(unwrap);
        if (method === 'define' && args.length >= 2 && stringValue(args[0]) && ts.isObjectLiteralExpression(args[1]!)) {
          const options = args[2] && ts.isObjectLiteralExpression(args[2]) ? args[2] : undefined;
          tables.push(tableOf(stringValue(args[0])!, args[0]!, args[1], options, sf, facts));
        } else if (
          method === 'init' &&
          args.length >= 2 &&
          ts.isObjectLiteralExpression(args[0]!) &&
          ts.isObjectLiteralExpression(args[1]!)
        ) {
          const options = args[1];
          if (
            propertyValue(options, 'sequelize') ||
            propertyValue(options, 'modelName') ||
            propertyValue(options, 'tableName') ||
            isSelf(node.expression.expression)
          ) {
            const name =
              stringValue(propertyValue(options, 'modelName')) ?? ownerName(node.expression.expression) ?? 'Model';
            tables.push(tableOf(name, node.expression.expression, args[0], options, sf, facts));
          }
        } else if (ASSOCIATIONS.has(method) && args[0]) {
          const association = associationOf(node, method, args);
          if (association) associations.push(association);
        }
      }
    }
    for (const { model, relation } of associations) {
      const table = tables.find((t) => t.name === model || t.aliases?.includes(model));
      if (table) (table.relations ??= []).push(relation);
      else
        tables.push({
          name: model,
          kind: 'model',
          source: 'sequelize',
          file: TsProject.relativePath(sf.fileName),
          range: { start: 0, end: 0 },
          columns: [],
          relations: [relation],
        });
    }
    return tables;
  },
};

function isSelf(e: ts.Expression): boolean {
  return e.kind === ts.SyntaxKind.SuperKeyword || e.kind === ts.SyntaxKind.ThisKeyword;
}

/** `Patient.init`: Patient; `super.init` / `this.init` inside `class Patient extends Model`: Patient. */
function ownerName(receiver: ts.Expression): string | undefined {
  if (!isSelf(receiver)) return calleeName(receiver);
  for (let n: ts.Node | undefined = receiver.parent; n; n = n.parent) {
    if ((ts.isClassDeclaration(n) || ts.isClassExpression(n)) && n.name) return n.name.text;
  }
  return undefined;
}

/**
 * `Result.belongsTo(models.Patient, { foreignKey: 'patientId' })`: Result holds the key;
 * `Patient.hasMany(Result)` / `hasOne`: the other side holds it.
 */
function associationOf(
  call: ts.CallExpression,
  method: string,
  args: ts.Expression[],
): { model: string; relation: RelationFact } | undefined {
  const receiver = (call.expression as ts.PropertyAccessExpression).expression;
  const model = ownerName(receiver);
  const targetNode = args[0]!;
  const target = ts.isPropertyAccessExpression(targetNode)
    ? targetNode.name.text
    : ts.isIdentifier(targetNode)
      ? targetNode.text
      : stringValue(targetNode);
  if (!model || !target || method === 'belongsToMany') return undefined;
  const options = args[1] && ts.isObjectLiteralExpression(args[1]) ? args[1] : undefined;
  const key = propertyValue(options, 'foreignKey');
  const field =
    stringValue(key) ??
    stringValue(
      propertyValue(
        key && ts.isObjectLiteralExpression(unwrap(key)) ? (unwrap(key) as ts.ObjectLiteralExpression) : undefined,
        'name',
      ),
    ) ??
    stringValue(propertyValue(options, 'as')) ??
    target;
  return { model, relation: { field, target, kind: 'relation', ...(method === 'belongsTo' ? {} : { inverse: true }) } };
}

function tableOf(
  name: string,
  nameNode: ts.Node,
  attributes: ts.ObjectLiteralExpression,
  options: ts.ObjectLiteralExpression | undefined,
  sf: ts.SourceFile,
  facts: ProjectFacts,
): TableFact {
  const aliases = new Set<string>();
  const tableName = stringValue(propertyValue(options, 'tableName'));
  if (tableName) aliases.add(tableName);
  aliases.add(`${name.toLowerCase()}s`);
  // `underscored` models and the table a dump or a migration names: `ImagingResult` -> `imaging_results`.
  const snake = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  aliases.add(snake);
  aliases.add(
    /(s|x|ch|sh)$/.test(snake) ? `${snake}es` : /[^aeiou]y$/.test(snake) ? `${snake.slice(0, -1)}ies` : `${snake}s`,
  );
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
    // `references: { model: 'patients', key: 'id' }` (or `model: Patient`).
    const references = propertyValue(spec, 'references');
    const referenced =
      references && ts.isObjectLiteralExpression(unwrap(references))
        ? propertyValue(unwrap(references) as ts.ObjectLiteralExpression, 'model')
        : undefined;
    const target = referenced
      ? (stringValue(referenced) ??
        (ts.isIdentifier(unwrap(referenced)) ? (unwrap(referenced) as ts.Identifier).text : undefined))
      : undefined;
    if (target) column.references = target;
    const setter = spec?.properties.find((p) => p.name && propertyName(p.name) === 'set');
    const protection = setter ? codeEncrypts(setter, sf, facts) : undefined;
    if (protection) column.protection = `setter calling ${protection}`;
    columns.push(column);
  }
  return {
    name,
    aliases: [...aliases].filter((a) => a.toLowerCase() !== name.toLowerCase()),
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
