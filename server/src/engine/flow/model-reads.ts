import ts from 'typescript';
import { OBJECTION_NOT_ROWS } from '../orm/objection.js';
import type { DetectorContext } from '../detector.js';
import type { ColumnFact, TableFact } from '../schema.js';
import { classifierFor, type Classifier } from '../vocabulary/classify.js';
import type { HealthEvidence } from './health-value.js';
import { calleeName, lastSegment, propertyName, propertyValue, stringValue, unwrap } from '../syntax/ast.js';

const READS = new Set([
  'findMany',
  'findFirst',
  'findUnique',
  'findFirstOrThrow',
  'findUniqueOrThrow',
  'find',
  'findOne',
  'findOneBy',
  'findBy',
  'findAll',
  'findByPk',
  'findById',
  'findOneOrFail',
  'findAndCount',
  'findAndCountAll',
  'getMany',
  'getOne',
  'lean',
  'exec',
]);

/**
 * Links of a Mongoose query chain that keep its documents whole (`History.find(q).populate('patient')
 * .sort(...).lean()`): the chain still returns the model's records. `select` narrows them.
 */
const QUERY_CHAIN = new Set([
  'lean',
  'exec',
  'populate',
  'sort',
  'limit',
  'skip',
  'where',
  'and',
  'or',
  'nor',
  'equals',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'nin',
  'ne',
  'elemMatch',
  'collation',
  'hint',
  'session',
  'setOptions',
  'read',
  'batchSize',
  'allowDiskUse',
  'maxTimeMS',
  'comment',
  'orFail',
  'select',
]);

/**
 * Health evidence of a read through an ORM: `prisma.patient.findMany({ include })`,
 * `dataSource.getRepository(Prelevement).find()`, `em.find(CompteRendu, ...)`, `Resultat.findAll()`,
 * `Model.find().lean()`. The model's special-category fields (encrypted or not: reads decrypt)
 * are what the value carries; `select` narrows them, `include` adds relations.
 */
export function modelReadEvidence(call: ts.CallExpression, context: DetectorContext): HealthEvidence | undefined {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const objection = objectionRead(call, context);
  if (objection) return evidenceOfModel(objection, undefined, context);
  const receiver = unwrap(callee.expression);
  if (QUERY_CHAIN.has(method) && ts.isCallExpression(receiver)) {
    const read = modelReadEvidence(receiver, context);
    // `.select('name email')`: only the selected fields leave the query.
    if (read && method === 'select') return selectedFieldsEvidence(call, receiver, context);
    return read;
  }
  if (!READS.has(method)) return undefined;
  const model = modelOf(receiver, call, context);
  const options = call.arguments.map(unwrap).find(ts.isObjectLiteralExpression);
  if (!model) return includedRelationEvidence(receiver, options, context);
  return evidenceOfModel(model, options, context);
}

/** The model read under a `.select(...)`, narrowed to the fields it names (`'name email'`, `['name']`, `{ name: 1 }`, `'-diagnosis'`). */
function selectedFieldsEvidence(
  call: ts.CallExpression,
  read: ts.CallExpression,
  context: DetectorContext,
): HealthEvidence | undefined {
  const arg = call.arguments[0] && unwrap(call.arguments[0]);
  let fields: string[] | undefined;
  if (arg && ts.isStringLiteralLike(arg)) fields = arg.text.split(/[\s,]+/).filter(Boolean);
  else if (arg && ts.isArrayLiteralExpression(arg))
    fields = arg.elements.map((e) => stringValue(e)).filter((x): x is string => x !== undefined);
  else if (arg && ts.isObjectLiteralExpression(arg))
    fields = objectKeys(arg)?.filter((k) => !/^(0|false)$/.test(propertyValue(arg, k)?.getText() ?? ''));
  if (!fields) return modelReadEvidence(read, context);
  // `-diagnosis` excludes: every other field is still there.
  if (fields.every((f) => f.startsWith('-'))) {
    const model = modelNameOfRead(read, context);
    const tables = model
      ? context.project.schema.declarations(model).filter((t) => t.kind !== 'table' || t.source !== 'sql')
      : [];
    if (tables.length === 0) return undefined;
    const excluded = new Set(fields.map((f) => f.slice(1)));
    return evidenceOfModel(tables, undefined, context, (c) => !excluded.has(c));
  }
  const model = modelNameOfRead(read, context);
  const tables = model
    ? context.project.schema.declarations(model).filter((t) => t.kind !== 'table' || t.source !== 'sql')
    : [];
  return tables.length > 0 ? evidenceOfModel(tables, undefined, context, (c) => fields.includes(c)) : undefined;
}

/**
 * `db.patient.findUnique({ include: { problems: true } })` where no schema declares the model (a
 * generated client, a schema outside the scan): the included relations' names, in the model's name, decide.
 */
function includedRelationEvidence(
  receiver: ts.Expression,
  options: ts.ObjectLiteralExpression | undefined,
  context: DetectorContext,
): HealthEvidence | undefined {
  if (
    !ts.isPropertyAccessExpression(receiver) ||
    !/prisma|db|client|tx/i.test(lastSegment(calleeName(receiver.expression) ?? ''))
  )
    return undefined;
  const classifier = classifierFor(context.config);
  const model = receiver.name.text;
  for (const relation of objectKeys(propertyValue(options, 'include')) ?? []) {
    const c = classifier.classify(relation, { kind: 'property', container: model });
    if (c?.special)
      return {
        category: c.category,
        why: `${c.why} via the included relation ${model}.${relation}`,
        path: `${model}.${relation}`,
      };
  }
  return undefined;
}

/** The model an ORM read returns (`prisma.resultatBiologique.findUnique(...)` -> ResultatBiologique). */
export function modelNameOfRead(call: ts.CallExpression, context: DetectorContext): string | undefined {
  const callee = unwrap(call.expression);
  const objection = objectionRead(call, context);
  if (objection) return objection[0]?.name;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = unwrap(callee.expression);
  if (QUERY_CHAIN.has(callee.name.text) && ts.isCallExpression(receiver)) return modelNameOfRead(receiver, context);
  if (!READS.has(callee.name.text)) return undefined;
  return modelOf(receiver, call, context)?.[0]?.name;
}

/** `Specimen.query().withGraphFetched('patient')`: the rows of an Objection model (known to the schema index). */
function objectionRead(call: ts.CallExpression, context: DetectorContext): TableFact[] | undefined {
  let e: ts.Expression = call;
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    const name = e.expression.name.text;
    const owner = unwrap(e.expression.expression);
    if (OBJECTION_NOT_ROWS.has(name)) return undefined;
    if (name === 'query' && e.arguments.length === 0 && ts.isIdentifier(owner) && /^[A-Z]/.test(owner.text)) {
      const tables = context.project.schema
        .declarations(owner.text)
        .filter((t) => t.kind !== 'table' || t.source !== 'sql');
      return tables.length > 0 ? tables : undefined;
    }
    e = owner;
  }
  return undefined;
}

function modelOf(receiver: ts.Expression, call: ts.CallExpression, context: DetectorContext): TableFact[] | undefined {
  const schema = context.project.schema;
  const known = (name: string) => {
    const tables = schema.declarations(name).filter((t) => t.kind !== 'table' || t.source !== 'sql');
    return tables.length > 0 ? tables : undefined;
  };
  // prisma.resultatBiologique.findMany / this.prisma.x.findMany
  if (ts.isPropertyAccessExpression(receiver)) {
    const base = calleeName(receiver.expression) ?? '';
    if (/prisma|db|client|tx/i.test(lastSegment(base))) {
      const found = known(receiver.name.text);
      if (found) return found;
    }
  }
  // getRepository(Entity).find / manager.getRepository(Entity)
  if (ts.isCallExpression(receiver) && lastSegment(calleeName(receiver.expression) ?? '') === 'getRepository') {
    const arg = receiver.arguments[0];
    const name = arg && (ts.isIdentifier(arg) ? arg.text : stringValue(arg));
    return name ? known(name) : undefined;
  }
  // em.find(Entity, where)
  const first = call.arguments[0];
  if (first && ts.isIdentifier(first) && /^[A-Z]/.test(first.text)) {
    const found = known(first.text);
    if (found) return found;
  }
  // Resultat.findAll() / PatientModel.find()
  if (ts.isIdentifier(receiver) && /^[A-Z]/.test(receiver.text))
    return known(receiver.text) ?? known(receiver.text.replace(/Model$/, ''));
  return undefined;
}

function evidenceOfModel(
  tables: TableFact[],
  options: ts.ObjectLiteralExpression | undefined,
  context: DetectorContext,
  keep: (column: string) => boolean = () => true,
): HealthEvidence | undefined {
  const classifier = classifierFor(context.config);
  const table = tables[0]!;
  const select = objectKeys(propertyValue(options, 'select'));
  const include = objectKeys(propertyValue(options, 'include')) ?? objectKeys(propertyValue(options, 'relations'));
  const columns = tables.flatMap((t) => t.columns).filter((c) => (!select || select.includes(c.name)) && keep(c.name));
  for (const column of columns) {
    const c = classify(column, table, classifier);
    if (c)
      return {
        category: c.category,
        why: `${c.why} via ${table.name}.${column.name} (read from the ${table.source} model)`,
        path: `${table.name}.${column.name}`,
        declared: { file: column.file, start: column.range.start, end: column.range.end },
      };
  }
  for (const relation of include ?? []) {
    const c = classifier.classify(relation, { kind: 'property', container: table.name });
    if (c?.special)
      return {
        category: c.category,
        why: `${c.why} via the included relation ${table.name}.${relation}`,
        path: `${table.name}.${relation}`,
      };
    for (const t of context.project.schema.declarations(relation)) {
      for (const column of t.columns) {
        const cc = classify(column, t, classifier);
        if (cc)
          return {
            category: cc.category,
            why: `${cc.why} via ${t.name}.${column.name} (included relation)`,
            path: `${t.name}.${column.name}`,
          };
      }
    }
  }
  return undefined;
}

function classify(column: ColumnFact, table: TableFact, classifier: Classifier) {
  const c = classifier.classify(column.name, { kind: 'column', container: table.name });
  return c?.special ? c : undefined;
}

function objectKeys(node: ts.Expression | undefined): string[] | undefined {
  const e = node && unwrap(node);
  if (!e || !ts.isObjectLiteralExpression(e)) return undefined;
  return e.properties.flatMap((p) => {
    if (!p.name) return [];
    const name = propertyName(p.name);
    if (!name) return [];
    if (ts.isPropertyAssignment(p) && p.initializer.kind === ts.SyntaxKind.FalseKeyword) return [];
    return [name];
  });
}
