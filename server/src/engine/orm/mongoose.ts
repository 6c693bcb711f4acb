import ts from 'typescript';
import type { FileView } from '../detector.js';
import type { ProjectFacts, SchemaCollector } from '../facts.js';
import type { RelationFact, TableFact } from '../schema.js';
import { importSource } from '../names/top-level.js';
import {
  calleeName,
  lastSegment,
  propertyName,
  propertyValue,
  stringList,
  stringValue,
  unwrap,
} from '../syntax/ast.js';
import type { OrmColumnFact } from './column.js';
import { encryptionOf, type EncryptionKnowledge } from './protection.js';
import { TsProject } from '../ts-project.js';
import { nodesOfKind } from '../syntax/node-index.js';

interface SchemaDecl {
  variable?: string;
  /** The model name when the schema is the plain object given to `model()`. */
  model?: string;
  definition: ts.ObjectLiteralExpression;
  options?: ts.ObjectLiteralExpression;
  node: ts.NewExpression | ts.CallExpression;
}

/** `mongoose.model('Name', { field: String })`: a model whose schema is a plain object. */
const INLINE_MODEL = /\bmodel\s*\(\s*['"`][^'"`]+['"`]\s*,\s*\{/;

interface PluginUse {
  kind: 'document' | 'field';
  options?: ts.ObjectLiteralExpression;
  module: string;
}

/**
 * Mongoose schemas with the encryption plugins: mongoose-encryption (the whole document except
 * indexed fields and `excludeFromEncryption`, or only `encryptedFields`) and
 * mongoose-field-encryption (`fields`). Also MongoDB CSFLE schema maps and encrypted fields maps.
 */
export const mongooseCollector: SchemaCollector = {
  name: 'mongoose',
  languages: ['typescript', 'javascript'],
  collect(file: FileView, facts: ProjectFacts): TableFact[] {
    const sf = file.ts;
    if (!sf) return [];
    const tables: TableFact[] = [];
    if (/\bSchema\s*\(/.test(file.text) || (INLINE_MODEL.test(file.text) && /mongoose/.test(file.text)))
      tables.push(...schemasOf(sf, facts));
    if (/schemaMap|encryptedFieldsMap/.test(file.text)) tables.push(...csfleMaps(sf));
    return tables;
  },
};

function schemasOf(sf: ts.SourceFile, facts: ProjectFacts): TableFact[] {
  const known = encryptionOf(facts.config);
  const schemas: SchemaDecl[] = [];
  const plugins = new Map<string, PluginUse[]>();
  const models = new Map<string, string>();
  const additions: SchemaDecl[] = [];
  for (const node of nodesOfKind(sf, ts.SyntaxKind.NewExpression, ts.SyntaxKind.CallExpression)) {
    if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      lastSegment(calleeName(node.expression) ?? '') === 'Schema' &&
      !ts.isCallExpression(node.expression)
    ) {
      const definition = node.arguments?.[0] && definitionOf(unwrap(node.arguments[0]));
      if (definition) {
        const options = node.arguments?.[1] && unwrap(node.arguments[1]);
        const parent = node.parent;
        const variable =
          ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
        // `User.discriminator('Patient', new Schema({ ... }))`: a kind of User named Patient.
        // `mongoose.model('Visit', new Schema({ ... }))` names it too.
        const owner =
          ts.isCallExpression(parent) &&
          /^(discriminator|model)$/.test(lastSegment(calleeName(parent.expression) ?? '')) &&
          parent.arguments[1] === node
            ? stringValue(parent.arguments[0])
            : undefined;
        schemas.push({
          variable,
          ...(owner ? { model: owner } : {}),
          definition,
          options: options && ts.isObjectLiteralExpression(options) ? options : undefined,
          node,
        });
      }
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const receiver = node.expression.expression;
      if (method === 'plugin' && ts.isIdentifier(receiver)) {
        const use = pluginUse(node, sf, known);
        if (use) {
          const list = plugins.get(receiver.text);
          if (list) list.push(use);
          else plugins.set(receiver.text, [use]);
        }
      }
      // schema.add({ field: String }): more paths for a schema declared above.
      const added = node.arguments[0] && unwrap(node.arguments[0]);
      if (method === 'add' && ts.isIdentifier(receiver) && added && ts.isObjectLiteralExpression(added))
        additions.push({ variable: receiver.text, definition: added, node });
    }
    if (ts.isCallExpression(node) && lastSegment(calleeName(node.expression) ?? '') === 'model') {
      const [name, schema] = node.arguments;
      if (stringValue(name) && schema && ts.isIdentifier(schema)) models.set(schema.text, stringValue(name)!);
      const inline = schema && unwrap(schema);
      if (stringValue(name) && inline && ts.isObjectLiteralExpression(inline))
        schemas.push({ model: stringValue(name)!, definition: inline, node });
    }
  }
  const declared = new Set(schemas.map((s) => s.variable).filter((v): v is string => !!v));
  schemas.push(...additions.filter((a) => declared.has(a.variable!)));
  return schemas.map((s) =>
    tableOf(
      s,
      s.variable ? (plugins.get(s.variable) ?? []) : [],
      s.model ?? (s.variable ? models.get(s.variable) : undefined),
      sf,
    ),
  );
}

/**
 * The object that defines a schema's paths: `{ ... }`, or a list of objects read as one
 * (`new Schema([{ date: Date }, { diagnosis: String }])`).
 */
function definitionOf(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (ts.isObjectLiteralExpression(e)) return e;
  if (!ts.isArrayLiteralExpression(e) || e.elements.length === 0) return undefined;
  const objects = e.elements.map(unwrap);
  if (!objects.every(ts.isObjectLiteralExpression)) return undefined;
  const merged = ts.factory.createObjectLiteralExpression(objects.flatMap((o) => [...o.properties]));
  // The properties keep their parents and positions in the file: only the list is new.
  (merged as { parent?: ts.Node }).parent = e;
  return merged;
}

/** Keys of a sub-document: `{ gene: String, hgvs: String }` or `[{ ... }]`, not `{ type: String }`. */
function subDocumentKeys(value: ts.Expression): string[] {
  let e = value;
  if (ts.isArrayLiteralExpression(e) && e.elements[0]) e = unwrap(e.elements[0]);
  if (!ts.isObjectLiteralExpression(e) || propertyValue(e, 'type')) return [];
  return e.properties.flatMap((p) => (p.name && propertyName(p.name) ? [propertyName(p.name)!] : []));
}

/** Where each key of a plain sub-document (`medicalInfo: { bloodGroup: String }`) is written. */
function subDocumentRanges(
  value: ts.Expression,
  sf: ts.SourceFile,
): Record<string, { start: number; end: number }> | undefined {
  if (!ts.isObjectLiteralExpression(value) || propertyValue(value, 'type')) return undefined;
  const out: Record<string, { start: number; end: number }> = {};
  for (const p of value.properties) {
    const name = p.name && propertyName(p.name);
    if (name && p.name) out[name] = { start: p.name.getStart(sf), end: p.name.end };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function pluginUse(call: ts.CallExpression, sf: ts.SourceFile, known: EncryptionKnowledge): PluginUse | undefined {
  const plugin = call.arguments[0];
  if (!plugin) return undefined;
  const pluginName = calleeName(unwrap(plugin)) ?? '';
  const root = pluginName.split('.')[0]!;
  const module = importSource(root, sf)?.module ?? '';
  const options = call.arguments[1] && unwrap(call.arguments[1]);
  const opts = options && ts.isObjectLiteralExpression(options) ? options : undefined;
  if (known.mongoose.fieldPlugins.includes(module) || /fieldEncryption/i.test(pluginName))
    return { kind: 'field', options: opts, module };
  if (known.mongoose.documentPlugins.includes(module)) return { kind: 'document', options: opts, module };
  return undefined;
}

function tableOf(schema: SchemaDecl, plugins: PluginUse[], model: string | undefined, sf: ts.SourceFile): TableFact {
  const collection = stringValue(propertyValue(schema.options, 'collection'));
  const name = model ?? schema.variable?.replace(/Schema$/, '') ?? collection ?? 'Schema';
  const aliases = [collection, model ? `${model.toLowerCase()}s` : undefined].filter(
    (a): a is string => !!a && a !== name,
  );
  const columns: OrmColumnFact[] = [];
  const relations: RelationFact[] = [];
  for (const prop of schema.definition.properties) {
    if (!(ts.isPropertyAssignment(prop) || ts.isShorthandPropertyAssignment(prop)) || !prop.name) continue;
    const field = propertyName(prop.name);
    if (!field || field === '_id') continue;
    const value = ts.isPropertyAssignment(prop) ? unwrap(prop.initializer) : prop.name;
    relations.push(...documentLinks(field, value));
    const spec = ts.isObjectLiteralExpression(value) ? value : undefined;
    const typeNode = spec ? propertyValue(spec, 'type') : value;
    const indexed = ['index', 'unique'].some((k) => propertyValue(spec, k)?.kind === ts.SyntaxKind.TrueKeyword);
    const nested = subDocumentKeys(value);
    const nestedAt = subDocumentRanges(value, sf);
    const column: OrmColumnFact = {
      name: field,
      file: TsProject.relativePath(sf.fileName),
      range: { start: prop.name.getStart(sf), end: prop.name.end },
      ...(typeNode ? { type: typeNode.getText(sf) } : {}),
      ...(nested.length > 0 ? { nested } : {}),
      ...(nestedAt ? { nestedAt } : {}),
    };
    protect(column, field, indexed, plugins, sf);
    columns.push(column);
  }
  return {
    name,
    aliases,
    kind: 'collection',
    source: 'mongoose',
    file: TsProject.relativePath(sf.fileName),
    range: { start: schema.node.getStart(sf), end: schema.node.getStart(sf) + (schema.variable ? 3 : 3) },
    columns,
    ...(relations.length > 0 ? { relations } : {}),
  };
}

/**
 * What a path links to: `{ type: ObjectId, ref: 'Patient' }` (`ref`), a list of them (the referred
 * documents belong to this one), a sub-schema stored inside (`history: [HistorySchema]`,
 * `embedded`), and refs nested in a sub-document (`medicalInfo: { visits: [{ ref: 'Visit' }] }`).
 */
function documentLinks(field: string, value: ts.Expression, depth = 0): RelationFact[] {
  let e = value;
  let list = false;
  if (ts.isArrayLiteralExpression(e)) {
    if (!e.elements[0]) return [];
    e = unwrap(e.elements[0]);
    list = true;
  }
  if (ts.isIdentifier(e) && /Schema$/.test(e.text) && e.text !== 'Schema') {
    return [{ field, target: e.text.replace(/Schema$/, ''), kind: 'embedded', inverse: true }];
  }
  if (!ts.isObjectLiteralExpression(e)) return [];
  const ref = stringValue(propertyValue(e, 'ref'));
  if (ref) {
    const type = propertyValue(e, 'type');
    const many = list || (!!type && ts.isArrayLiteralExpression(unwrap(type)));
    return [{ field, target: ref, kind: 'ref', ...(many ? { inverse: true } : {}) }];
  }
  if (propertyValue(e, 'type') || depth > 2) return [];
  return e.properties.flatMap((p) => {
    const name = p.name && propertyName(p.name);
    return name && ts.isPropertyAssignment(p)
      ? documentLinks(`${field}.${name}`, unwrap(p.initializer), depth + 1)
      : [];
  });
}

function protect(
  column: OrmColumnFact,
  field: string,
  indexed: boolean,
  plugins: PluginUse[],
  sf: ts.SourceFile,
): void {
  for (const plugin of plugins) {
    if (plugin.kind === 'field') {
      const list = listOf(plugin.options, 'fields');
      if (list?.values.includes(field)) {
        column.protection = 'mongoose-field-encryption fields';
        return;
      }
      if (list) column.fixAt = appendFix(list.node, field, sf, 'Add the field to mongoose-field-encryption `fields`');
      continue;
    }
    const encrypted = listOf(plugin.options, 'encryptedFields');
    if (encrypted) {
      if (encrypted.values.includes(field)) {
        column.protection = 'mongoose-encryption encryptedFields';
        return;
      }
      column.fixAt = appendFix(encrypted.node, field, sf, 'Add the field to mongoose-encryption `encryptedFields`');
      continue;
    }
    const excluded = listOf(plugin.options, 'excludeFromEncryption');
    if (excluded?.values.includes(field)) {
      column.note = 'listed in excludeFromEncryption of mongoose-encryption';
      const element = excluded.elements.find((e) => e.value === field)!;
      column.fixAt = removeFix(element.node, sf, 'Remove the field from `excludeFromEncryption`');
      continue;
    }
    if (indexed) {
      column.note = 'indexed fields are stored in clear by mongoose-encryption';
      continue;
    }
    column.protection = 'mongoose-encryption (whole document)';
    return;
  }
}

function listOf(options: ts.ObjectLiteralExpression | undefined, key: string) {
  const value = propertyValue(options, key);
  const elements = stringList(value);
  if (!value || !elements) return undefined;
  return { node: unwrap(value) as ts.ArrayLiteralExpression, values: elements.map((e) => e.value), elements };
}

function appendFix(
  list: ts.ArrayLiteralExpression,
  field: string,
  sf: ts.SourceFile,
  title: string,
): OrmColumnFact['fixAt'] {
  const quote = list.elements[0] && sf.text[list.elements[0].getStart(sf)] === '"' ? '"' : "'";
  const last = list.elements[list.elements.length - 1];
  if (!last)
    return {
      kind: 'mongoose',
      title,
      start: list.getStart(sf) + 1,
      end: list.end - 1,
      template: `${quote}${field}${quote}`,
    };
  return { kind: 'mongoose', title, start: last.end, end: last.end, template: `, ${quote}${field}${quote}` };
}

function removeFix(element: ts.Expression, sf: ts.SourceFile, title: string): OrmColumnFact['fixAt'] {
  const list = element.parent as ts.ArrayLiteralExpression;
  const index = list.elements.indexOf(element);
  const next = list.elements[index + 1];
  const previous = list.elements[index - 1];
  if (next) return { kind: 'mongoose', title, start: element.getStart(sf), end: next.getStart(sf), template: '' };
  if (previous) return { kind: 'mongoose', title, start: previous.end, end: element.end, template: '' };
  return { kind: 'mongoose', title, start: element.getStart(sf), end: element.end, template: '' };
}

/** CSFLE `schemaMap` / Queryable Encryption `encryptedFieldsMap`: `'db.collection'` -> encrypted paths. */
function csfleMaps(sf: ts.SourceFile): TableFact[] {
  const tables: TableFact[] = [];
  for (const node of nodesOfKind(sf, ts.SyntaxKind.PropertyAssignment)) {
    if (
      ts.isPropertyAssignment(node) &&
      node.name &&
      ['schemaMap', 'encryptedFieldsMap'].includes(propertyName(node.name) ?? '')
    ) {
      const map = unwrap(node.initializer);
      if (ts.isObjectLiteralExpression(map)) {
        for (const entry of map.properties) {
          if (!ts.isPropertyAssignment(entry) || !entry.name) continue;
          const namespace = propertyName(entry.name) ?? '';
          const collection = namespace.slice(namespace.indexOf('.') + 1);
          const spec = unwrap(entry.initializer);
          if (!collection || !ts.isObjectLiteralExpression(spec)) continue;
          const paths = [...encryptedProperties(spec, ''), ...encryptedFieldPaths(spec)];
          tables.push({
            name: collection,
            kind: 'collection',
            source: 'mongoose',
            file: TsProject.relativePath(sf.fileName),
            range: { start: entry.name.getStart(sf), end: entry.name.end },
            columns: paths.map((p) => ({
              name: p.path,
              file: TsProject.relativePath(sf.fileName),
              range: { start: p.node.getStart(sf), end: p.node.end },
              protection: 'MongoDB CSFLE',
            })),
          });
        }
      }
    }
  }
  return tables;
}

function encryptedProperties(spec: ts.ObjectLiteralExpression, prefix: string): { path: string; node: ts.Node }[] {
  const properties = unwrap(propertyValue(spec, 'properties') ?? spec);
  if (!ts.isObjectLiteralExpression(properties) || properties === spec) return [];
  const out: { path: string; node: ts.Node }[] = [];
  for (const p of properties.properties) {
    if (!ts.isPropertyAssignment(p) || !p.name) continue;
    const name = propertyName(p.name);
    const value = unwrap(p.initializer);
    if (!name || !ts.isObjectLiteralExpression(value)) continue;
    if (propertyValue(value, 'encrypt')) out.push({ path: prefix + name, node: p.name });
    else out.push(...encryptedProperties(value, `${prefix}${name}.`));
  }
  return out;
}

function encryptedFieldPaths(spec: ts.ObjectLiteralExpression): { path: string; node: ts.Node }[] {
  const fields = propertyValue(spec, 'fields');
  const list = fields && unwrap(fields);
  if (!list || !ts.isArrayLiteralExpression(list)) return [];
  return list.elements.flatMap((el) => {
    const e = unwrap(el);
    const path = ts.isObjectLiteralExpression(e) ? propertyValue(e, 'path') : undefined;
    const value = stringValue(path);
    return value && path ? [{ path: value, node: path }] : [];
  });
}
