import ts from 'typescript';
import { OBJECTION_WRITES } from './objection.js';
import type { DetectorContext } from '../detector.js';
import { localDeclarationOf } from '../names/locals.js';
import { calleeName, lastSegment, propertyName, propertyValue, stringValue, unwrap } from '../syntax/ast.js';
import { callProtection } from './protection.js';
import { writtenColumnVerdict, type ColumnVerdict } from './sensitivity.js';
import { nodesOfKind } from '../syntax/node-index.js';

/** A plain value given to an ORM write for a special-category field that nothing encrypts. */
interface PlainOrmWrite {
  /** The key of the written object (`valeur` in `{ data: { valeur } }`). */
  key: ts.PropertyName;
  verdict: ColumnVerdict;
  /** How the write was recognised, for the message (`prisma.resultatBiologique.create`). */
  call: string;
}

const PRISMA_WRITES = new Set(['create', 'update', 'upsert', 'createMany', 'updateMany', 'createManyAndReturn']);
const REPOSITORY_WRITES = new Set(['save', 'insert', 'update', 'upsert', 'create', 'merge', 'preload']);
const MODEL_WRITES = new Set([
  'create',
  'update',
  'insertMany',
  'bulkCreate',
  'upsert',
  'updateOne',
  'updateMany',
  'findByIdAndUpdate',
  'findOneAndUpdate',
  'replaceOne',
  'build',
]);
const KNEX_WRITES = new Set(['insert', 'update', 'upsert']);
const ALL_WRITES = new Set([
  ...PRISMA_WRITES,
  ...REPOSITORY_WRITES,
  ...MODEL_WRITES,
  ...KNEX_WRITES,
  ...OBJECTION_WRITES,
]);
const QUICK = new RegExp(`\\.(?:${[...ALL_WRITES].join('|')})\\s*\\(|\\bnew\\s+[A-Z]`);

/**
 * ORM writes of a TS/JS file: `prisma.x.create({ data })`, `getRepository(X).save({...})`,
 * `em.create(X, {...})`, `Model.create({...})`, `new Model({...})`, `knex('t').insert({...})`.
 * Only object literals written in the call are read: their keys name the fields.
 */
export function plainOrmWrites(context: DetectorContext): PlainOrmWrite[] {
  const sf = context.file.ts;
  if (!sf || !QUICK.test(context.file.text)) return [];
  const out: PlainOrmWrite[] = [];
  for (const node of nodesOfKind(sf, ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression)) {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const target = writeTarget(node, context);
      if (target) {
        for (const object of target.objects) out.push(...plainKeys(object, target.model, target.call, context));
      }
    }
  }
  return out;
}

/**
 * The model an object literal is written to by an ORM write (`prisma.visit.create({ data: {...} })`,
 * `Visit.create({...})`, `repo.save({...})`), if it is one of the written objects.
 */
export function ormWriteModelOf(object: ts.ObjectLiteralExpression, context: DetectorContext): string | undefined {
  for (let n: ts.Node | undefined = object.parent, depth = 0; n && depth < 4; n = n.parent, depth++) {
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const target = writeTarget(n, context);
      return target?.objects.includes(object) ? target.model : undefined;
    }
    if (!(
      ts.isPropertyAssignment(n) ||
      ts.isObjectLiteralExpression(n) ||
      ts.isArrayLiteralExpression(n) ||
      ts.isParenthesizedExpression(n) ||
      ts.isAsExpression(n)
    ))
      return undefined;
  }
  return undefined;
}

interface WriteTarget {
  model: string;
  objects: ts.ObjectLiteralExpression[];
  call: string;
}

function writeTarget(node: ts.CallExpression | ts.NewExpression, context: DetectorContext): WriteTarget | undefined {
  const schema = context.project.schema;
  const callee = unwrap(node.expression);
  if (ts.isCallExpression(node) && !(ts.isPropertyAccessExpression(callee) && ALL_WRITES.has(callee.name.text)))
    return undefined;
  const args = (node.arguments ?? ts.factory.createNodeArray()).map(unwrap);
  const objects = (list: readonly ts.Expression[]) =>
    list.flatMap((a) =>
      ts.isObjectLiteralExpression(a)
        ? [a]
        : ts.isArrayLiteralExpression(a)
          ? a.elements.map(unwrap).filter(ts.isObjectLiteralExpression)
          : [],
    );
  const text = calleeName(callee) ?? '';
  if (ts.isNewExpression(node)) {
    // `new Schema({...})` declares a schema; `new Patient({...})` builds a document to save.
    return ts.isIdentifier(callee) && callee.text !== 'Schema' && schema.has(callee.text)
      ? { model: callee.text, objects: objects(args), call: `new ${callee.text}` }
      : undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const receiver = unwrap(callee.expression);
  // prisma.model.create({ data: {...} })
  if (PRISMA_WRITES.has(method) && ts.isPropertyAccessExpression(receiver) && schema.has(receiver.name.text)) {
    const options = args[0] && ts.isObjectLiteralExpression(args[0]) ? args[0] : undefined;
    const parts = ['data', 'create', 'update']
      .map((k) => propertyValue(options, k))
      .filter((v): v is ts.Expression => !!v)
      .map(unwrap);
    return { model: receiver.name.text, objects: objects(parts), call: text };
  }
  // Model.query()...patch({...}) (Objection)
  if (OBJECTION_WRITES.has(method)) {
    const model = objectionModel(receiver);
    if (model && schema.has(model)) return { model, objects: objects(args), call: text };
  }
  // knex('table').insert({...})
  if (KNEX_WRITES.has(method)) {
    const table = knexTable(receiver);
    if (table) return { model: table, objects: objects(args), call: text };
  }
  // getRepository(Entity).save({...}) / repo.save({...}) with repo = getRepository(Entity)
  if (REPOSITORY_WRITES.has(method)) {
    const entity = repositoryEntity(receiver);
    if (entity && schema.has(entity)) return { model: entity, objects: objects(args), call: text };
    // em.create(Entity, {...}) / manager.save(Entity, {...})
    const first = args[0];
    if (first && ts.isIdentifier(first) && /^[A-Z]/.test(first.text) && schema.has(first.text))
      return { model: first.text, objects: objects(args.slice(1)), call: text };
  }
  // Model.create({...}) (Sequelize, Mongoose)
  if (
    MODEL_WRITES.has(method) &&
    ts.isIdentifier(receiver) &&
    /^[A-Z]/.test(receiver.text) &&
    schema.has(receiver.text)
  ) {
    const list = args.flatMap((a) => {
      const set = ts.isObjectLiteralExpression(a) ? propertyValue(a, '$set') : undefined;
      return set ? [unwrap(set)] : [a];
    });
    return {
      model: receiver.text,
      objects: objects(
        method.startsWith('find') || method === 'updateOne' || method === 'updateMany' || method === 'replaceOne'
          ? list.slice(1)
          : list,
      ),
      call: text,
    };
  }
  return undefined;
}

/** The model a relation property of `model` points to (`records` of Patient -> MedicalRecord). */
function relatedModel(model: string, property: string, context: DetectorContext): string | undefined {
  for (const table of context.project.schema.declarations(model)) {
    for (const r of table.relations ?? []) if (r.field === property || r.property === property) return r.target;
  }
  return undefined;
}

/** The model of an Objection builder chain: `Specimen.query().findById(id)` -> Specimen. */
function objectionModel(receiver: ts.Expression): string | undefined {
  let e = unwrap(receiver);
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    const owner = unwrap(e.expression.expression);
    if (e.expression.name.text === 'query' && e.arguments.length === 0 && ts.isIdentifier(owner)) return owner.text;
    e = owner;
  }
  return undefined;
}

function knexTable(receiver: ts.Expression): string | undefined {
  let e: ts.Expression = receiver;
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) e = unwrap(e.expression.expression);
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && /^(knex|db|trx|k)$/i.test(e.expression.text))
    return stringValue(e.arguments[0]);
  if (
    ts.isCallExpression(e) &&
    ts.isPropertyAccessExpression(e.expression) &&
    ['from', 'into', 'table'].includes(e.expression.name.text)
  )
    return stringValue(e.arguments[0]);
  return undefined;
}

function repositoryEntity(receiver: ts.Expression): string | undefined {
  const e = unwrap(receiver);
  if (ts.isCallExpression(e) && lastSegment(calleeName(e.expression) ?? '') === 'getRepository') {
    const arg = e.arguments[0];
    return arg && (ts.isIdentifier(arg) ? arg.text : stringValue(arg));
  }
  const id = ts.isIdentifier(e)
    ? e
    : ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword
      ? e.name
      : undefined;
  if (!id) return undefined;
  const declaration = ts.isIdentifier(e) ? localDeclarationOf(e) : classMember(e as ts.PropertyAccessExpression);
  if (!declaration) return undefined;
  const init = 'initializer' in declaration ? declaration.initializer : undefined;
  if (init) return repositoryEntity(init);
  const type = 'type' in declaration ? declaration.type : undefined;
  if (type && ts.isTypeReferenceNode(type) && /Repository$/.test(type.typeName.getText()) && type.typeArguments?.[0])
    return type.typeArguments[0].getText();
  return undefined;
}

/** `this.repo`: the class property or constructor parameter property declaring it. */
function classMember(
  access: ts.PropertyAccessExpression,
): ts.PropertyDeclaration | ts.ParameterDeclaration | undefined {
  const name = access.name.text;
  for (let n: ts.Node | undefined = access.parent; n; n = n.parent) {
    if (!ts.isClassLike(n)) continue;
    for (const member of n.members) {
      if (ts.isPropertyDeclaration(member) && member.name.getText() === name) return member;
      if (ts.isConstructorDeclaration(member)) {
        const p = member.parameters.find((q) => q.name.getText() === name);
        if (p) return p;
      }
    }
    return undefined;
  }
  return undefined;
}

function plainKeys(
  object: ts.ObjectLiteralExpression,
  model: string,
  call: string,
  context: DetectorContext,
): PlainOrmWrite[] {
  const out: PlainOrmWrite[] = [];
  for (const p of object.properties) {
    if (!(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) || !p.name) continue;
    const key = propertyName(p.name);
    if (!key) continue;
    const value = unwrap(ts.isPropertyAssignment(p) ? p.initializer : p.name);
    if (value.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined')) continue;
    if (
      ts.isObjectLiteralExpression(value) &&
      (propertyValue(value, 'connect') ||
        propertyValue(value, 'create') ||
        propertyValue(value, 'connectOrCreate') ||
        propertyValue(value, 'createMany'))
    ) {
      // A nested write (`records: { create: { diagnosis } }`) writes the related model's fields.
      const related = relatedModel(model, key, context);
      if (related) {
        const nested = ['create', 'createMany', 'connectOrCreate', 'upsert', 'update']
          .map((k) => propertyValue(value, k))
          .filter((v): v is ts.Expression => !!v)
          .map(unwrap);
        const objects = nested
          .flatMap((v) =>
            ts.isObjectLiteralExpression(v)
              ? [propertyValue(v, 'data') ?? propertyValue(v, 'create') ?? v]
              : ts.isArrayLiteralExpression(v)
                ? [...v.elements]
                : [],
          )
          .map(unwrap)
          .filter(ts.isObjectLiteralExpression);
        for (const object of objects) out.push(...plainKeys(object, related, `${call} (nested ${key})`, context));
      }
      continue;
    }
    if (
      (ts.isCallExpression(value) || ts.isNewExpression(value)) &&
      callProtection(value, value.getSourceFile(), context.project)
    )
      continue;
    const verdict = writtenColumnVerdict(model, key, context.project);
    if (!verdict || verdict.protection) continue;
    out.push({ key: p.name, verdict, call });
  }
  return out;
}
