import ts from 'typescript';
import { OBJECTION_NOT_A_READ } from '../orm/objection.js';
import { nodesOfKind } from '../syntax/node-index.js';

/**
 * A whole-record read through an ORM or a query builder: every column of a table/model comes
 * back because nothing restricts the projection.
 */
export interface WholeRecordFetch {
  /** The call whose result is the records (the outermost call of a builder chain). */
  result: ts.Expression;
  /** The key token to report: the method name (`findMany`, `find`, `select`) or the builder root. */
  report: ts.Node;
  /** `findMany()`, `select('*')`... as written, for messages. */
  shape: string;
  /** Model, entity or table name when it can be read from the code. */
  table?: string;
  api:
    | 'prisma'
    | 'typeorm'
    | 'sequelize'
    | 'mikro-orm'
    | 'mongoose'
    | 'knex'
    | 'drizzle'
    | 'kysely'
    | 'objection'
    | 'query-builder';
  /** A query builder that compiles to `SELECT *` (knex, Drizzle): judged like SQL. */
  sqlBuilder: boolean;
}

/** Option keys that restrict what a read returns. */
const PROJECTION_KEYS = new Set(['select', 'attributes', 'fields', 'projection', 'columns', 'omit']);
const PRISMA_READS = new Set(['findMany', 'findFirst', 'findUnique', 'findFirstOrThrow', 'findUniqueOrThrow']);
const ENTITY_READS = new Set([
  'find',
  'findBy',
  'findAndCount',
  'findAndCountBy',
  'findOne',
  'findOneBy',
  'findOneOrFail',
  'findOneByOrFail',
  'findAll',
  'findAndCountAll',
  'findByPk',
  'findOneOrFail',
]);
const REPOSITORY = /(repository|repo|model|collection|manager|em|entityManager|orm)$/i;
const KNEX_AGGREGATES = new Set([
  'count',
  'countDistinct',
  'sum',
  'sumDistinct',
  'avg',
  'avgDistinct',
  'min',
  'max',
  'pluck',
  'column',
  'columns',
  'distinct',
  'distinctOn',
]);
const KNEX_WRITES = new Set([
  'insert',
  'update',
  'del',
  'delete',
  'truncate',
  'increment',
  'decrement',
  'upsert',
  'onConflict',
  'returning',
]);
const KNEX_QUERY = new Set([
  'where',
  'whereIn',
  'whereRaw',
  'andWhere',
  'orWhere',
  'whereNot',
  'whereNull',
  'whereNotNull',
  'whereBetween',
  'join',
  'leftJoin',
  'innerJoin',
  'orderBy',
  'limit',
  'offset',
  'first',
  'select',
  'from',
  'groupBy',
  'having',
  'modify',
  'stream',
  'then',
  'timeout',
]);
const QB_TERMINALS = new Set([
  'getMany',
  'getOne',
  'getRawMany',
  'getRawOne',
  'getManyAndCount',
  'stream',
  'getOneOrFail',
]);
interface Link {
  name: string;
  call: ts.CallExpression;
  nameNode: ts.Node;
}

/** The calls of a builder chain, root first: `knex('t').where(...).select()` -> [knex, where, select]. */
function chainOf(outer: ts.CallExpression): { root: ts.Expression; links: Link[] } {
  const links: Link[] = [];
  let expr: ts.Expression = outer;
  for (;;) {
    if (ts.isCallExpression(expr)) {
      const callee = expr.expression;
      if (ts.isPropertyAccessExpression(callee)) {
        links.unshift({ name: callee.name.text, call: expr, nameNode: callee.name });
        expr = callee.expression;
        continue;
      }
      if (ts.isIdentifier(callee)) links.unshift({ name: callee.text, call: expr, nameNode: callee });
      return { root: expr, links };
    }
    if (ts.isAwaitExpression(expr) || ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr)) {
      expr = expr.expression;
      continue;
    }
    return { root: expr, links };
  }
}

/** The outermost call of the chain `call` belongs to. */
function outermost(call: ts.CallExpression): ts.CallExpression {
  let c = call;
  while (
    ts.isPropertyAccessExpression(c.parent) &&
    ts.isCallExpression(c.parent.parent) &&
    c.parent.parent.expression === c.parent
  )
    c = c.parent.parent;
  return c;
}

function hasProjection(arg: ts.Expression | undefined): boolean | undefined {
  if (!arg) return false;
  if (!ts.isObjectLiteralExpression(arg)) return undefined;
  return arg.properties.some(
    (p) =>
      (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) &&
      ts.isIdentifier(p.name) &&
      PROJECTION_KEYS.has(p.name.text),
  );
}

const isFunction = (n: ts.Node | undefined) => !!n && (ts.isArrowFunction(n) || ts.isFunctionExpression(n));

function stringArg(call: ts.CallExpression, index = 0): string | undefined {
  const a = call.arguments[index];
  return a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) ? a.text : undefined;
}

/** `getRepository(Patient)` -> Patient, `this.patientRepository` -> patient, `Patient` -> Patient. */
function entityOfReceiver(receiver: ts.Expression, source: ts.SourceFile): string | undefined {
  if (ts.isCallExpression(receiver) && /Repository$/.test(receiver.expression.getText(source))) {
    const a = receiver.arguments[0];
    if (a) return ts.isStringLiteral(a) ? a.text : a.getText(source);
  }
  const name = ts.isPropertyAccessExpression(receiver)
    ? receiver.name.text
    : ts.isIdentifier(receiver)
      ? receiver.text
      : undefined;
  if (!name) return undefined;
  const stripped = name.replace(/(Repository|Repo|Model|Collection)$/i, '');
  return stripped && stripped !== name ? stripped : /^[A-Z]/.test(name) ? name : undefined;
}

function isRepositoryLike(receiver: ts.Expression, source: ts.SourceFile): boolean {
  if (ts.isCallExpression(receiver))
    return /(get\w*Repository|getCollection|model|collection)$/i.test(receiver.expression.getText(source));
  const name = ts.isPropertyAccessExpression(receiver)
    ? receiver.name.text
    : ts.isIdentifier(receiver)
      ? receiver.text
      : '';
  return REPOSITORY.test(name) || /^[A-Z][A-Za-z0-9]*$/.test(name);
}

/** Every whole-record ORM/builder read of a file. */
export function wholeRecordFetches(source: ts.SourceFile): WholeRecordFetch[] {
  const out: WholeRecordFetch[] = [];
  const seenChains = new Set<ts.CallExpression>();
  for (const node of nodesOfKind<ts.CallExpression>(source, ts.SyntaxKind.CallExpression)) {
    if (ts.isPropertyAccessExpression(node.expression)) {
      const fetch = recognise(node, source, seenChains);
      if (fetch) out.push(fetch);
    } else if (ts.isIdentifier(node.expression)) {
      const fetch = recogniseKnexRoot(node, source, seenChains);
      if (fetch) out.push(fetch);
    }
  }
  return out;
}

function recognise(
  call: ts.CallExpression,
  source: ts.SourceFile,
  seenChains: Set<ts.CallExpression>,
): WholeRecordFetch | undefined {
  const callee = call.expression as ts.PropertyAccessExpression;
  const method = callee.name.text;
  const receiver = callee.expression;
  const args = call.arguments;
  if (args.some((a) => isFunction(a))) return undefined;
  const chained = outermost(call);
  const later = chainOf(chained)
    .links.filter((l) => l.call.pos >= call.pos && l.call !== call)
    .map((l) => l.name);
  const projectedLater = later.some((n) => n === 'select' || n === 'project' || n === 'projection');

  // Prisma / Drizzle relational: prisma.patient.findMany({ include }) (no select).
  if (PRISMA_READS.has(method) && ts.isPropertyAccessExpression(receiver)) {
    const projection = hasProjection(args[0]);
    if (projection !== false) return undefined;
    const drizzle = ts.isPropertyAccessExpression(receiver.expression) && receiver.expression.name.text === 'query';
    return {
      result: chained,
      report: callee.name,
      shape: `${method}()`,
      table: receiver.name.text,
      api: drizzle ? 'drizzle' : 'prisma',
      sqlBuilder: false,
    };
  }
  // TypeORM / Sequelize / MikroORM / Mongoose entity reads.
  if (ENTITY_READS.has(method) && isRepositoryLike(receiver, source)) {
    if (projectedLater) return undefined;
    let table = entityOfReceiver(receiver, source);
    let options: readonly ts.Expression[] = args;
    const receiverName = ts.isPropertyAccessExpression(receiver) ? receiver.name.text : receiver.getText(source);
    const manager = /^(manager|em|entityManager|orm)$/i.test(receiverName);
    // EntityManager style: manager.find(Patient, { ... }) / em.find(Patient, where, { fields }).
    if (manager && args[0] && ts.isIdentifier(args[0])) {
      table = args[0].text;
      options = args.slice(1);
    }
    if (method === 'findByPk') options = args.slice(1);
    // Mongoose: Model.find(filter, projection).
    if (options.length >= 2 && !manager) {
      const second = options[1]!;
      if (!ts.isObjectLiteralExpression(second) || second.properties.length > 0 || hasProjection(second))
        return undefined;
    }
    for (const option of options) {
      const projection = hasProjection(option);
      if (
        projection === undefined &&
        !ts.isObjectLiteralExpression(option) &&
        method !== 'findBy' &&
        method !== 'findOneBy' &&
        method !== 'findByPk'
      )
        return undefined;
      if (projection) return undefined;
    }
    const api = /findAll|findAndCountAll|findByPk/.test(method) ? 'sequelize' : 'typeorm';
    return {
      result: chained,
      report: callee.name,
      shape: `${method}()`,
      ...(table ? { table } : {}),
      api,
      sqlBuilder: false,
    };
  }
  // TypeORM QueryBuilder without select.
  if (QB_TERMINALS.has(method)) {
    const chain = chainOf(chained);
    const qbAt = chain.links.findIndex((l) => l.name === 'createQueryBuilder');
    if (qbAt < 0 || chain.links.some((l) => l.name === 'select' || l.name === 'addSelect')) return undefined;
    const qb = chain.links[qbAt]!;
    const qbReceiver = (qb.call.expression as ts.PropertyAccessExpression).expression;
    const from = chain.links.find((l) => l.name === 'from');
    const table =
      from?.call.arguments[0]?.getText(source).replace(/['"`]/g, '') ??
      (ts.isPropertyAccessExpression(qb.call.expression) ? entityOfReceiver(qbReceiver, source) : undefined);
    return {
      result: chained,
      report: qb.nameNode,
      shape: 'createQueryBuilder() without select',
      ...(table ? { table } : {}),
      api: 'query-builder',
      sqlBuilder: false,
    };
  }
  // Kysely: db.selectFrom('patients').selectAll() (compiles to SELECT * / p.*).
  if (method === 'selectAll') {
    const from = chainOf(chained).links.find((l) => l.name === 'selectFrom');
    const table = from && stringArg(from.call)?.split(/\s+/)[0];
    if (!from) return undefined;
    return {
      result: chained,
      report: callee.name,
      shape: `selectAll(${args.map((a) => a.getText(source)).join(', ')})`,
      ...(table ? { table } : {}),
      api: 'kysely',
      sqlBuilder: true,
    };
  }
  // Objection: Model.query() with no select (whole rows, relations with withGraphFetched).
  if (method === 'query' && args.length === 0 && ts.isIdentifier(receiver) && /^[A-Z]/.test(receiver.text)) {
    const links = chainOf(chained).links.filter((l) => l.call.pos >= call.pos && l.call !== call);
    if (links.some((l) => OBJECTION_NOT_A_READ.has(l.name))) return undefined;
    return {
      result: chained,
      report: callee.name,
      shape: `${receiver.text}.query()`,
      table: receiver.text,
      api: 'objection',
      sqlBuilder: false,
    };
  }
  // Drizzle: db.select().from(patients) without a projection object.
  if (
    method === 'select' &&
    args.length === 0 &&
    ts.isPropertyAccessExpression(call.parent) &&
    call.parent.name.text === 'from' &&
    ts.isCallExpression(call.parent.parent)
  ) {
    const fromArg = call.parent.parent.arguments[0];
    const table = fromArg ? fromArg.getText(source).replace(/['"`]/g, '') : undefined;
    return {
      result: chained,
      report: callee.name,
      shape: 'select()',
      ...(table ? { table } : {}),
      api: 'drizzle',
      sqlBuilder: true,
    };
  }
  // knex: knex.select('*').from('t') / knex.table('t') / knex.from('t')...
  if (
    (method === 'table' || method === 'from' || method === 'select' || method === 'queryBuilder') &&
    ts.isIdentifier(receiver) &&
    /knex|db|trx|qb|database/i.test(receiver.text)
  ) {
    return knexChain(chained, source, seenChains);
  }
  return undefined;
}

/** `knex('patients')...`, `db('t')...`: a knex chain started by calling the instance. */
function recogniseKnexRoot(
  call: ts.CallExpression,
  source: ts.SourceFile,
  seenChains: Set<ts.CallExpression>,
): WholeRecordFetch | undefined {
  const name = (call.expression as ts.Identifier).text;
  if (!/^(knex|db|trx|database|pg|mysql|qb)$/i.test(name) || !stringArg(call)) return undefined;
  return knexChain(outermost(call), source, seenChains);
}

function knexChain(
  outer: ts.CallExpression,
  source: ts.SourceFile,
  seenChains: Set<ts.CallExpression>,
): WholeRecordFetch | undefined {
  if (seenChains.has(outer)) return undefined;
  seenChains.add(outer);
  const { links } = chainOf(outer);
  if (links.length === 0) return undefined;
  const names = links.map((l) => l.name);
  if (names.some((n) => KNEX_WRITES.has(n) || KNEX_AGGREGATES.has(n) || n === 'raw' || n === 'schema'))
    return undefined;
  const root = links[0]!;
  const table =
    (ts.isIdentifier(root.call.expression) ? stringArg(root.call) : undefined) ??
    links
      .map((l) => (l.name === 'from' || l.name === 'table' || l.name === 'into' ? stringArg(l.call) : undefined))
      .find((t) => t !== undefined);
  if (!table) return undefined;
  const selects = links.filter((l) => l.name === 'select' || l.name === 'first');
  const starSelect = selects.find(
    (l) =>
      l.call.arguments.length === 0 ||
      l.call.arguments.every((a) => ts.isStringLiteral(a) && /^(\w+\.)?\*$/.test(a.text.trim())),
  );
  const projected = selects.some((l) => l !== starSelect && l.call.arguments.length > 0);
  if (projected) return undefined;
  // Awaited or returned: a builder that is only configured here (a subquery, a base query) is not a read.
  if (!starSelect && !names.some((n) => KNEX_QUERY.has(n)) && !ts.isAwaitExpression(outer.parent)) return undefined;
  const report = starSelect ? starSelect.nameNode : root.nameNode;
  const shape = starSelect
    ? `${starSelect.name}(${starSelect.call.arguments.map((a) => a.getText(source)).join(', ')})`
    : `${root.call.getText(source).slice(0, 40)} without select`;
  return { result: outer, report, shape, table: table.split(/\s+/)[0]!, api: 'knex', sqlBuilder: true };
}
