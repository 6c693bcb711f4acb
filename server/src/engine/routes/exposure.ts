import ts from 'typescript';
import { listOption, ruleOptions } from '../config.js';
import type { DetectorContext } from '../detector.js';
import { healthDataIn } from '../flow/health-value.js';
import { Classifier, classifierFor, type Category } from '../vocabulary/classify.js';
import { routeResolverOf } from './index.js';
import { splitWords } from '../vocabulary/words.js';
import type { RouteInfo } from './model.js';
import { dottedName, unwrap } from '../syntax/ast.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

export interface Exposure {
  category: Category;
  /** `returns`: what the handler sends or reads; `changes`: records it writes; `path`: only the route's path names it. */
  kind: 'returns' | 'changes' | 'path';
  /** e.g. `res.json(resultat)`, `a query on resultats`, `its path (/resultats)`. */
  via: string;
  /** What the records are when no data category names them (`patient records`). */
  what?: string;
}

const SEND_CALLS = new Set([
  'json',
  'send',
  'jsonp',
  'render',
  'end',
  'write',
  'response',
  'attachment',
  'download',
  'sendFile',
]);
const READ_CALLS = new Set([
  'createQueryBuilder',
  'findAndCountBy',
  'getManyAndCount',
  'select',
  'first',
  'pluck',
  'find',
  'findOne',
  'findMany',
  'findUnique',
  'findFirst',
  'findAll',
  'findBy',
  'findOneBy',
  'findByPk',
  'findById',
  'findAndCount',
  'query',
  'raw',
  'getMany',
  'getOne',
  'getRawMany',
  'aggregate',
  'lean',
]);

/**
 * Does a route return or change patient or health records, judged from what its handler does:
 * what reaches the response, the tables and models it reads (when it answers something) or
 * writes, in the handler and the project functions it calls. With `path`, a path that names health
 * data also counts (the inventory's view); the rule's severity never rests on a path word.
 */
export function exposureOf(
  route: RouteInfo,
  context: DetectorContext,
  options: { path?: boolean; records?: boolean } = {},
): Exposure | undefined {
  const fn = handlerBody(route);
  if (fn) {
    const sent = sentValues(fn, route.framework !== 'express' && route.framework !== 'koa');
    for (const value of sent) {
      // What the response holds: the value itself, or the first argument of NextResponse.json(value).
      const held =
        ts.isCallExpression(unwrap(value)) &&
        /(^|\.)json$/.test((unwrap(value) as ts.CallExpression).expression.getText())
          ? (unwrap(value) as ts.CallExpression).arguments[0]
          : undefined;
      if (undeclaredDelegateCall(value, context) || (held && undeclaredDelegateCall(held, context))) continue;
      const evidence = healthDataIn(value, context);
      if (evidence)
        return {
          kind: 'returns',
          category: evidence.category,
          via: `${shorten(value.parent && ts.isCallExpression(value.parent) ? value.parent : value)}`,
        };
      // res.json(await repo.findResults(id)), return this.service.diagnoses(): the data source names what it returns.
      const source = unwrap(value);
      if (ts.isCallExpression(source)) {
        const name = dottedName(source.expression).split('.').pop() ?? '';
        const c = name
          ? classifierFor(context.config).classify(
              name.replace(/^(get|find|list|fetch|load|read|search|query)(?=[A-Z_])/, ''),
              { kind: 'table' },
            )
          : undefined;
        if (c?.special) return { kind: 'returns', category: c.category, via: shorten(source) };
      }
    }
    // A public leaf (a login reading the patient table to check a password) is judged by what it answers only.
    if (options.records !== false) {
      const files = new Map<ts.Node, string>([[fn, route.handler!.file]]);
      for (const [called, file] of calledFunctions(fn, route.handler!.file, context)) files.set(called, file);
      for (const body of files.keys()) {
        const touched = recordsTouched(
          tablesTouched(body, { file: files.get(body)!, context }),
          context,
          sent.length > 0 || body !== fn,
        );
        if (touched) return touched;
      }
    }
    if (sent.length > 0) {
      const read = sensitiveRead(fn, context);
      if (read) return read;
    }
  }
  return options.path ? pathExposure(route, context) : undefined;
}

const AGGREGATES = new Set([
  'aggregate',
  'count',
  'groupBy',
  'countDocuments',
  'estimatedDocumentCount',
  'sum',
  'avg',
  'min',
  'max',
]);
const WRITE_CALLS = new Set([
  'create',
  'createMany',
  'update',
  'updateMany',
  'upsert',
  'delete',
  'deleteMany',
  'destroy',
  'remove',
  'save',
  'insert',
  'insertMany',
  'findByIdAndUpdate',
  'findByIdAndDelete',
  'findByIdAndRemove',
  'findOneAndUpdate',
  'findOneAndDelete',
  'updateOne',
  'deleteOne',
  'del',
  'bulkCreate',
  'replaceOne',
]);
/** Built-in objects whose static getters read no store (`Reflect.getMetadata`, `Intl.getCanonicalLocales`). */
const GLOBALS = new Set([
  'Reflect',
  'Symbol',
  'Buffer',
  'Intl',
  'Boolean',
  'BigInt',
  'Error',
  'Map',
  'Set',
  'WeakMap',
  'RegExp',
  'URL',
  'Temporal',
]);
/** A reader of the application's settings: `settings`, `req.settings`, `this.config`. */
const SETTINGS = /(^|\.)(settings|config|configuration)$/i;
/** A model's own finder method: `getPossibleLanguages`, `findForPatient`, `listActive`. */
const FINDER = /^(get|find|list|fetch|load|read|search|query)[A-Z]/;
const NOT_MODELS = new Set([
  'res',
  'req',
  'request',
  'response',
  'reply',
  'ctx',
  'console',
  'Object',
  'JSON',
  'Array',
  'Promise',
  'Math',
  'Date',
  'String',
  'Number',
  'router',
  'app',
  'axios',
  'fetch',
  'this',
]);

/** A table, model or collection a handler touches. */
interface Touched {
  name: string;
  write: boolean;
  via: string;
  /** A Prisma-style delegate (`prisma.admission`): judged against the project's Prisma schema. */
  delegate: boolean;
  /** count(), aggregate(), SELECT COUNT(*): figures, not records. */
  aggregate?: boolean;
  /** A read of one row named by constants (`findUnique({ where: { id: 'system' } })`): no caller picks whose. */
  fixed?: boolean;
}

/**
 * The tables and models a function reads or writes: Prisma delegates, ORM models (static calls,
 * injected repositories), knex tables, SQL text anywhere in it (a query built in a constant).
 */
function tablesTouched(fn: ts.Node, at?: { file: string; context: DetectorContext }): Touched[] {
  const out: Touched[] = [];
  let aggregate = false;
  let fixed = false;
  const add = (name: string, write: boolean, via: string, delegate = false) =>
    out.push({
      name,
      write,
      via,
      delegate,
      ...(aggregate ? { aggregate } : {}),
      ...(fixed && !write ? { fixed } : {}),
    });
  const sql = (text: string) => {
    const write = /^\s*(insert\s+into|update|delete\s+from|replace\s+into)\s+[`"]?(\w+)/i.exec(text);
    aggregate =
      /^\s*select\s+(count|sum|avg|min|max)\s*\([^)]*\)(\s+as\s+\w+)?(\s*,\s*(count|sum|avg|min|max)\s*\([^)]*\)(\s+as\s+\w+)?)*\s+from\b/i.test(
        text,
      );
    if (write) add(write[2]!, true, `${write[1]!.split(/\s+/)[0]!.toUpperCase()} ${write[2]}`);
    else if (/^\s*(select|with)\b/i.test(text))
      for (const t of sqlReadWords(text).tables) add(t, false, `a query on ${t}`);
    aggregate = false;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node)) sql(node.text);
    else if (ts.isTemplateExpression(node))
      sql(node.head.text + node.templateSpans.map((s) => ' x ' + s.literal.text).join(''));
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const op = node.expression.name.text;
      const target = unwrap(node.expression.expression);
      const write = WRITE_CALLS.has(op);
      // count() and aggregate() answer figures, not records.
      aggregate = AGGREGATES.has(op);
      if (write || READ_CALLS.has(op) || aggregate) {
        fixed = /^find(Unique|First|One)/.test(op) && !!node.arguments[0] && constantKey(node.arguments[0]);
        // this.patientsRepository.find(): the entity of an injected repository or model
        const injected =
          ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword
            ? injectedEntity(node, target.name.text, at)
            : undefined;
        const extended = target.kind === ts.SyntaxKind.ThisKeyword ? extendedEntity(node) : undefined;
        if (injected) add(injected, write, shorten(node.expression));
        else if (extended) add(extended, write, shorten(node.expression));
        // prisma.admission.delete(...), Patient.findAll(...), db.patients.find(...)
        else if (ts.isPropertyAccessExpression(target) && !NOT_MODELS.has(target.name.text))
          add(target.name.text, write, shorten(node.expression), /prisma|db|client/i.test(target.expression.getText()));
        else if (ts.isIdentifier(target) && /^[A-Z]/.test(target.text) && !NOT_MODELS.has(target.text))
          add(target.text, write, shorten(node.expression));
        // knex('patients').where(...).del(), db.from('admissions')
        const table = /(?:knex|db|table|from|into)\(\s*['"`](\w+)/.exec(node.expression.getText());
        if (table) add(table[1]!, write, shorten(node.expression));
      } else if (
        op === 'get' &&
        node.arguments.length === 1 &&
        ts.isStringLiteralLike(node.arguments[0]!) &&
        SETTINGS.test(target.getText())
      ) {
        // settings.get('browserSupport.policy'): one setting named by a constant, the application's own.
        fixed = true;
        add(target.getText().split('.').pop()!, false, shorten(node));
      } else if (
        ts.isIdentifier(target) &&
        /^[A-Z][a-z]/.test(target.text) &&
        !NOT_MODELS.has(target.text) &&
        !GLOBALS.has(target.text) &&
        FINDER.test(op)
      ) {
        // TranslatedString.getPossibleLanguages(), Patient.findWithResults(): a model's own finder reads it.
        add(target.text, false, shorten(node.expression));
      }
      aggregate = false;
      fixed = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return out;
}

/** `{ where: { id: 'system' } }`, `{ key: 'theme' }`: every key of the selection is a literal. */
function constantKey(argument: ts.Expression): boolean {
  const o = unwrap(argument);
  if (!ts.isObjectLiteralExpression(o)) return false;
  const where = o.properties.find(
    (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'where',
  );
  const keys = where ? unwrap(where.initializer) : o;
  return (
    ts.isObjectLiteralExpression(keys) &&
    keys.properties.length > 0 &&
    keys.properties.every((p) => ts.isPropertyAssignment(p) && isLiteral(unwrap(p.initializer)))
  );
}

/** `this.createQueryBuilder()` inside `(repo: Repository<Province>) => repo.extend({...})`: the repository's entity. */
function extendedEntity(from: ts.Node): string | undefined {
  for (let p: ts.Node | undefined = from.parent; p; p = p.parent) {
    if (!ts.isObjectLiteralExpression(p)) continue;
    const call = p.parent;
    if (
      !call ||
      !ts.isCallExpression(call) ||
      !ts.isPropertyAccessExpression(call.expression) ||
      call.expression.name.text !== 'extend'
    )
      continue;
    const receiver = unwrap(call.expression.expression);
    let fn: ts.Node | undefined = call.parent;
    while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
    const param =
      fn && ts.isFunctionLike(fn)
        ? fn.parameters.find(
            (x) => ts.isIdentifier(receiver) && ts.isIdentifier(x.name) && x.name.text === receiver.text,
          )
        : undefined;
    const type = param?.type;
    if (
      type &&
      ts.isTypeReferenceNode(type) &&
      /Repository$/.test(type.typeName.getText()) &&
      type.typeArguments?.[0] &&
      ts.isTypeReferenceNode(type.typeArguments[0])
    )
      return type.typeArguments[0].typeName.getText();
    return undefined;
  }
  return undefined;
}

/**
 * `@InjectRepository(Patient) private repo: Repository<Patient>` / `@InjectModel(Patient.name)`: the entity behind `this.repo`;
 * `@Inject('TOKEN') repo: ReturnType<typeof PatientRepository>`: the entity of the repository the factory extends.
 */
function injectedEntity(
  from: ts.Node,
  property: string,
  at?: { file: string; context: DetectorContext },
): string | undefined {
  let cls: ts.Node | undefined = from.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls || !ts.isClassLike(cls)) return undefined;
  const holders: Array<ts.ParameterDeclaration | ts.PropertyDeclaration> = [];
  for (const m of cls.members) {
    if (ts.isConstructorDeclaration(m)) holders.push(...m.parameters);
    else if (ts.isPropertyDeclaration(m)) holders.push(m);
  }
  const holder = holders.find((h) => ts.isIdentifier(h.name) && h.name.text === property);
  if (!holder) return undefined;
  for (const d of ts.canHaveDecorators(holder) ? (ts.getDecorators(holder) ?? []) : []) {
    if (
      ts.isCallExpression(d.expression) &&
      /^Inject(Repository|Model)$/.test(dottedName(d.expression.expression)) &&
      d.expression.arguments[0]
    ) {
      return dottedName(d.expression.arguments[0]).split('.')[0];
    }
  }
  const type = holder.type;
  if (
    type &&
    ts.isTypeReferenceNode(type) &&
    /(Repository|Model|ModelStatic|EntityRepository)$/.test(type.typeName.getText()) &&
    type.typeArguments?.[0] &&
    ts.isTypeReferenceNode(type.typeArguments[0])
  ) {
    return type.typeArguments[0].typeName.getText();
  }
  const factory =
    type &&
    ts.isTypeReferenceNode(type) &&
    type.typeName.getText() === 'ReturnType' &&
    type.typeArguments?.[0] &&
    ts.isTypeQueryNode(type.typeArguments[0])
      ? type.typeArguments[0].exprName
      : undefined;
  return factory && ts.isIdentifier(factory) && at ? factoryEntity(factory, at.file, at.context) : undefined;
}

/** `(repo: Repository<Province>) => repo.extend({...})`: the entity of the repository a factory is given. */
function factoryEntity(factory: ts.Identifier, at: string, context: DetectorContext): string | undefined {
  const origin = routeResolverOf(context.project).origin(factory, at);
  if (origin?.kind !== 'node') return undefined;
  const fn = unwrap(origin.node as ts.Expression);
  const type = ts.isFunctionLike(fn) ? fn.parameters[0]?.type : undefined;
  return type &&
    ts.isTypeReferenceNode(type) &&
    /Repository$/.test(type.typeName.getText()) &&
    type.typeArguments?.[0] &&
    ts.isTypeReferenceNode(type.typeArguments[0])
    ? type.typeArguments[0].typeName.getText()
    : undefined;
}

/**
 * A read (when the handler answers) or a write of a record that is about a patient or holds health
 * data. A catalogue that only names health things (a `pathology` list without any link to a person)
 * is not such a record.
 */
function recordsTouched(touched: Touched[], context: DetectorContext, answers: boolean): Exposure | undefined {
  const params = parametersOf(context);
  for (const t of touched) {
    if ((!t.write && !answers) || t.aggregate) continue;
    const record = recordKind(t.name, context, params, t.delegate);
    if (record)
      return {
        kind: t.write ? 'changes' : 'returns',
        category: record.category,
        via: t.via,
        ...(record.what ? { what: record.what } : {}),
      };
  }
  return undefined;
}

/**
 * Reference data: a table whose columns are known and say nothing about a person (no link to a
 * person or a record, no contact or identity column besides a label): a food list, a catalogue
 * of pathologies, provinces.
 */
function referenceTable(name: string, context: DetectorContext, params: RouteParameters): boolean {
  const columns = context.project.schema.columns(name);
  if (params.patientRecords.classify(name) !== undefined || PERSON.test(name)) return false;
  // Translations, catalogues, lookups by name: reference data unless their rows point at someone.
  const named = params.referenceTables.classify(name) !== undefined;
  if (columns.length === 0) return named;
  if (named)
    return !columns.some((col) => {
      const stem = /^(.+?)_?(id|Id|ID)$/.exec(col.name)?.[1];
      return !!stem && (params.patientRecords.classify(stem) !== undefined || PERSON.test(stem));
    });
  const own = new Set(splitWords(name).flatMap((w) => [w, w.replace(/s$/, '')]));
  return columns.every((col) => {
    const stem = /^(.+?)_?(id|Id|ID|uuid|Uuid)$/.exec(col.name)?.[1];
    if (stem) return params.patientRecords.classify(stem) === undefined && !PERSON.test(stem);
    // A relation to another entity (`districts: District[]`): about a person only if it names one.
    if (
      col.type &&
      /^[A-Z][a-z]\w*(\[\])?$/.test(col.type) &&
      !/^(String|Number|Boolean|Date|DateTime|Int|Float|Decimal|BigInt|Json|Bytes)(\[\])?$/.test(col.type)
    ) {
      return (
        params.patientRecords.classify(col.type.replace(/\[\]$/, '')) === undefined &&
        !PERSON.test(col.type) &&
        !PERSON.test(col.name)
      );
    }
    if (DESCRIPTOR.test(col.name.replace(/_/g, ''))) return true;
    // careerCode, province_name, isDelete, updatedAtSyncTick: the table's own name, descriptor and audit words
    const words = splitWords(col.name);
    if (words.every((w) => own.has(w) || DESCRIPTOR.test(w) || AUDIT.has(w))) return true;
    return labelColumn(words, own, context);
  });
}

/** The last words of a column that make it a label of the row: `otherName`, `initialName`, `mpsNationalCode`. */
const LABEL_WORDS = new Set(['name', 'code', 'label', 'title', 'abbreviation', 'description']);

/**
 * A label of the row under another qualifier (`otherName`, `searchCode`): a name or a code that the
 * vocabulary reads as nothing more than that word or the table's own (`fullName`, `patientCode`
 * are about a person).
 */
function labelColumn(words: string[], own: Set<string>, context: DetectorContext): boolean {
  if (words.length < 2 || !LABEL_WORDS.has(words[words.length - 1]!) || PERSON.test(words.join('_'))) return false;
  const c = classifierFor(context.config).classify(words.join('_'), { kind: 'column' });
  if (!c) return true;
  const termWords = splitWords(c.term.replace(/\*/g, ''));
  return (
    termWords.length > 0 &&
    termWords.every((w) => LABEL_WORDS.has(w) || own.has(w) || [...own].some((o) => o.startsWith(w)))
  );
}

/** Words of bookkeeping columns: times, soft deletes, sync counters. */
const AUDIT = new Set([
  'created',
  'updated',
  'deleted',
  'delete',
  'at',
  'on',
  'time',
  'timestamp',
  'sync',
  'tick',
  'version',
  'is',
  'status',
  'state',
  'row',
  'etag',
]);

/** Words of a table or key that name a person. */
const PERSON =
  /user|person|personne|client|member|customer|account|owner|utilisateur|employee|staff|doctor|nurse|practitioner|author|created_?by|updated_?by/i;
/**
 * Columns a catalogue row is made of: a key, labels, descriptions, codes, units, prices, flags,
 * ordering and audit times. A date of an event, free text (content, comment) or anything naming a
 * person makes the row a record.
 */
const DESCRIPTOR =
  /^(id|uuid|key|name|names|title|label|libelle|description|desc|details|code|codes|slug|image|img|picture|icon|color|colour|unit|units|unitname|symbol|abbreviation|abbr|shortname|displayname|sort|sortorder|order|position|rank|level|price|cost|tarif|kcal|calories|category|type|kind|group|is\w+|has\w+|active|enabled|visible|createdat|updatedat|deletedat|version|locale|language|lang|text|value|search|keyword|keywords|alias|aliases|synonym|synonyms|tag|tags|country|region|province|district|commune|ward)$/i;

/**
 * Does the route answer only the caller's own identity (`/me`, `getSession`: `ctx.session`,
 * `req.user`)? Anyone gets their own session or nothing: no one else's data.
 */
export function answersCallerOnly(route: RouteInfo): boolean {
  const fn = handlerBody(route);
  if (!fn || !route.handler) return false;
  if (tablesTouched(fn).length > 0) return false;
  const sent = sentValues(fn, route.framework !== 'express' && route.framework !== 'koa');
  if (sent.length === 0) return false;
  const own = new Set<string>();
  const caller = (n: ts.Node): boolean => {
    const u = unwrap(n);
    if (ts.isIdentifier(u)) return own.has(u.text);
    if (ts.isPropertyAccessExpression(u)) return CALLER.test(u.getText()) || caller(u.expression);
    return false;
  };
  // const session = ctx.session
  fn.forEachChild(function visit(n): void {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && caller(n.initializer))
      own.add(n.name.text);
    n.forEachChild(visit);
  });
  const harmless = (n: ts.Node): boolean => {
    const u = unwrap(n);
    if (caller(u) || isLiteral(u as ts.Expression) || u.kind === ts.SyntaxKind.NullKeyword) return true;
    if (ts.isObjectLiteralExpression(u))
      return u.properties.every(
        (p) =>
          (ts.isPropertyAssignment(p) && harmless(p.initializer)) ||
          (ts.isShorthandPropertyAssignment(p) && own.has(p.name.text)),
      );
    if (ts.isConditionalExpression(u)) return harmless(u.whenTrue) && harmless(u.whenFalse);
    if (ts.isBinaryExpression(u)) return harmless(u.left) && harmless(u.right);
    // getRole(session).toLowerCase(), checker(session): what is computed from the caller alone
    if (ts.isCallExpression(u))
      return (
        (u.arguments.length > 0 && u.arguments.every(harmless)) ||
        (ts.isPropertyAccessExpression(u.expression) && harmless(u.expression.expression))
      );
    return false;
  };
  const mentions = (n: ts.Node): boolean =>
    caller(n) ||
    (ts.isShorthandPropertyAssignment(n) && own.has(n.name.text)) ||
    !!n.forEachChild((c) => (mentions(c) ? true : undefined));
  return sent.some(mentions) && sent.every(harmless);
}

/** The caller's own identity, as frameworks keep it on the request or the context. */
const CALLER = /^(ctx|context|req|request|event\.locals|locals|res\.locals)\.(session|user|auth|currentUser)\b/;

/**
 * Does the route answer only figures (counts, sums) of the data it reaches? A dashboard of totals
 * returns no one's record: not a GDPR finding.
 */
export function answersFiguresOnly(route: RouteInfo, context: DetectorContext): boolean {
  const fn = handlerBody(route);
  if (!fn || !route.handler) return false;
  const bodies = new Map<ts.Node, string>([
    [fn, route.handler.file],
    ...calledFunctions(fn, route.handler.file, context),
  ]);
  const touched = [...bodies].flatMap(([b, file]) => tablesTouched(b, { file, context }));
  return touched.length > 0 && touched.every((t) => t.aggregate);
}

/**
 * Is the route gated by a capability token: its handler (or a function it calls) looks a record up
 * by a token the request carries (`findUnique({ where: { token: input.token } })`, `{ userId, token }`)?
 * The random token sent to one person (an invitation, a share link, a reset) is the credential:
 * the route is public by design, and is judged by what it answers.
 */
export function looksUpByToken(route: RouteInfo, context: DetectorContext): boolean {
  const fn = handlerBody(route);
  if (!fn || !route.handler) return false;
  const bodies = [fn, ...calledFunctions(fn, route.handler.file, context).keys()];
  const keyed = (object: ts.Node, depth: number): boolean => {
    const o = unwrap(object as ts.Expression);
    if (!ts.isObjectLiteralExpression(o) || depth > 2) return false;
    return o.properties.some((p) => {
      if (ts.isShorthandPropertyAssignment(p)) return tokenKey(p.name.text);
      if (!ts.isPropertyAssignment(p) || !p.name || ts.isComputedPropertyName(p.name)) return false;
      if (/^(where|filter|query)$/.test(p.name.getText())) return keyed(p.initializer, depth + 1);
      return (
        tokenKey(p.name.getText()) &&
        !isLiteral(unwrap(p.initializer)) &&
        !ts.isObjectLiteralExpression(unwrap(p.initializer))
      );
    });
  };
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      READ_CALLS.has(node.expression.name.text) &&
      node.arguments.some((a) => keyed(a, 0))
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  for (const body of bodies) visit(body);
  return found;
}

/**
 * Does the handler answer a sign-in credential it issued: a token (`{ accessToken }`, `{ token: jwt }`)
 * or an authorization code bound to a sign-in (`{ login, code }`, `{ code, state }`)? Such a route is
 * a step of signing in or up (choosing a profile, a scope, a new project after sign-up): public by
 * design, judged by what else it answers.
 */
export function issuesCredential(route: RouteInfo): boolean {
  const fn = handlerBody(route);
  if (!fn) return false;
  return sentValues(fn, route.framework !== 'express' && route.framework !== 'koa').some((value) => {
    const o = unwrap(value);
    if (!ts.isObjectLiteralExpression(o)) return false;
    const keys = o.properties.flatMap((p) =>
      p.name && !ts.isComputedPropertyName(p.name) ? [p.name.getText().replace(/^['"]|['"]$/g, '')] : [],
    );
    if (keys.some(credentialKey)) return true;
    return keys.includes('code') && keys.some((k) => /^(login|state|session)$/.test(k));
  });
}

/**
 * `token`, `inviteToken`, `share_token`: a key that holds a token given to someone (not `tokenCount`,
 * not the cursor of a page or the address of a device: `nextPageToken`, `pushToken`).
 */
function tokenKey(name: string): boolean {
  const words = splitWords(name.replace(/^['"]|['"]$/g, ''));
  return words[words.length - 1] === 'token' && !words.some((w) => NOT_CAPABILITY.has(w));
}

const NOT_CAPABILITY = new Set([
  'page',
  'next',
  'prev',
  'previous',
  'cursor',
  'continuation',
  'push',
  'device',
  'fcm',
  'apns',
  'notification',
  'csrf',
  'xsrf',
  'sync',
]);

/** `token`, `accessToken`, `refresh_token`, `idToken`, `jwt`: a key that holds a sign-in credential. */
function credentialKey(name: string): boolean {
  const words = splitWords(name.replace(/^['"]|['"]$/g, ''));
  if (words.length === 1 && words[0] === 'jwt') return true;
  return words[words.length - 1] === 'token' && words.slice(0, -1).every((w) => CREDENTIAL_WORDS.has(w));
}

const CREDENTIAL_WORDS = new Set(['access', 'refresh', 'id', 'session', 'auth', 'bearer', 'login']);

/**
 * Does the route touch only reference data (every table or model it reaches is known and about
 * no one)? Such a route guards no personal data: not a GDPR finding.
 */
export function touchesOnlyReferenceData(route: RouteInfo, context: DetectorContext): boolean {
  const fn = handlerBody(route);
  if (!fn || !route.handler) return false;
  const params = parametersOf(context);
  const bodies = new Map<ts.Node, string>([
    [fn, route.handler.file],
    ...calledFunctions(fn, route.handler.file, context),
  ]);
  const touched = [...bodies].flatMap(([b, file]) => tablesTouched(b, { file, context }));
  // The application's own row, named by a constant (its settings row), is no one's record either.
  return (
    touched.length > 0 &&
    touched.every(
      (t) => t.aggregate || referenceTable(t.name, context, params) || (t.fixed && noOnesRow(t.name, context, params)),
    )
  );
}

/** A table whose rows are not about a person: not a patient record, not named for people, pointing at no one. */
function noOnesRow(name: string, context: DetectorContext, params: RouteParameters): boolean {
  if (recordKind(name, context, params) || PERSON.test(name) || params.patientRecords.classify(name) !== undefined)
    return false;
  return !context.project.schema.columns(name).some((col) => {
    const stem = /^(.+?)_?(id|Id|ID)$/.exec(col.name)?.[1];
    return !!stem && (params.patientRecords.classify(stem) !== undefined || PERSON.test(stem));
  });
}

interface RouteParameters {
  patientRecords: Classifier;
  referenceTables: Classifier;
}

/** The options of `unauthenticated-route`, compiled once per configuration, whoever asks first. */
const ROUTE_PARAMETERS = knowledgePart('unauthenticated-route:options', (config): RouteParameters => {
  const options = ruleOptions(config, 'unauthenticated-route');
  return {
    patientRecords: new Classifier([{ category: 'identity', terms: { rule: listOption(options, 'patientRecords') } }]),
    referenceTables: new Classifier([
      { category: 'identity', terms: { rule: listOption(options, 'referenceTables') } },
    ]),
  };
});

function parametersOf(context: DetectorContext): RouteParameters {
  return knowledgeOf(context.config).get(ROUTE_PARAMETERS);
}

/**
 * Is a table or model about patients or their health? Named as patient records (`patients`,
 * `admissions`, `dossiers`), or named as health data and, when its columns are known, linked to a
 * person or holding health columns. A Prisma delegate the project's schema does not declare reads
 * nothing: it is not presumed from its name.
 */
function recordKind(
  name: string,
  context: DetectorContext,
  params: RouteParameters,
  delegate = false,
): { category: Category; what?: string } | undefined {
  if (params.patientRecords.classify(name) !== undefined) return { category: 'identity', what: 'patient records' };
  const classifier = classifierFor(context.config);
  // Rows that point at a patient (`patient_id`) are the patient's records, whatever the table is called.
  const known = context.project.schema.columns(name);
  if (
    known.some((col) => {
      const stem = /^(.+?)_?(id|Id|ID)$/.exec(col.name)?.[1];
      return !!stem && params.patientRecords.classify(stem) !== undefined;
    })
  ) {
    return { category: 'identity', what: 'patient records' };
  }
  const c = classifier.classify(name, { kind: 'table' });
  if (!c?.special) return undefined;
  const schema = context.project.schema;
  const columns = schema.columns(name);
  if (columns.length > 0) {
    // Rows about someone point at them (patient_id, prelevement_id, userId); a catalogue does not.
    const linked = columns.some((col) => {
      const stem = /^(.+?)_?(id|Id|ID)$/.exec(col.name)?.[1];
      if (!stem || /^id$/i.test(col.name)) return false;
      return (
        params.patientRecords.classify(stem) !== undefined ||
        classifier.classify(stem, { kind: 'table' })?.special === true ||
        /user|person|personne|client|member|customer|account|owner|utilisateur/i.test(stem)
      );
    });
    return linked ? { category: c.category } : undefined;
  }
  if (delegate && undeclaredModel(name, context)) return undefined;
  return { category: c.category };
}

/** A model name the project's Prisma schema does not declare (the client has no such delegate). */
function undeclaredModel(name: string, context: DetectorContext): boolean {
  const schema = context.project.schema;
  return !schema.has(name) && schema.tables().some((t) => t.source === 'prisma');
}

/** `await prisma.vaccinationRecord.findMany()` where the schema has no such model: it returns nothing. */
function undeclaredDelegateCall(value: ts.Expression, context: DetectorContext, depth = 0): boolean {
  let call = unwrap(value);
  // `const record = await prisma.x.update(...); return NextResponse.json(record)`: follow the local.
  if (ts.isIdentifier(call) && depth === 0) {
    const declaration = routeResolverOf(context.project).declarationOf(call);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer)
      return undeclaredDelegateCall(declaration.initializer, context, 1);
  }
  call = unwrap(call);
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return false;
  const delegate = unwrap(call.expression.expression);
  return (
    ts.isPropertyAccessExpression(delegate) &&
    /prisma|db|client/i.test(delegate.expression.getText()) &&
    undeclaredModel(delegate.name.text, context)
  );
}

/** Project functions the handler calls: `service.list()` on `new Service()`, `this.service.list()` on an injected service, a helper. */
function calledFunctions(fn: ts.Node, file: string, context: DetectorContext): Map<ts.Node, string> {
  const out = new Map<ts.Node, string>();
  const queue: Array<{ node: ts.Node; file: string; depth: number }> = [{ node: fn, file, depth: 0 }];
  while (queue.length > 0 && out.size < 12) {
    const current = queue.shift()!;
    const visit = (node: ts.Node): void => {
      if (out.size >= 12) return;
      if (ts.isCallExpression(node)) {
        const target = callTarget(node, current.file, context);
        if (target && target.node !== fn && !out.has(target.node)) {
          out.set(target.node, target.file);
          if (current.depth < 1) queue.push({ ...target, depth: current.depth + 1 });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(current.node);
  }
  return out;
}

/** The project function or method a call runs: a helper, `this.helper()`, `this.service.m()` (injected), `obj.m()` on `new C()`. */
function callTarget(
  node: ts.CallExpression,
  at: string,
  context: DetectorContext,
): { node: ts.Node; file: string } | undefined {
  const resolver = routeResolverOf(context.project);
  const classOf = (n: ts.Node): ts.ClassLikeDeclaration | undefined => {
    for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (ts.isClassLike(p)) return p;
    return undefined;
  };
  const methodOf = (cls: ts.Node, name: string): ts.Node | undefined =>
    ts.isClassLike(cls)
      ? cls.members.find(
          (m) =>
            (ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m)) &&
            m.name &&
            ts.isIdentifier(m.name) &&
            m.name.text === name,
        )
      : undefined;
  const callee = unwrap(node.expression);
  // this.queryBus.execute(new GetCareersQuery(...)): the @QueryHandler / @CommandHandler class of that query runs.
  const message = node.arguments[0] && unwrap(node.arguments[0]);
  if (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'execute' &&
    message &&
    ts.isNewExpression(message)
  ) {
    const handler = cqrsHandler(message, at, context);
    if (handler) return handler;
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const base = unwrap(callee.expression);
    const method = callee.name.text;
    if (base.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = classOf(node);
      const m = cls ? methodOf(cls, method) : undefined;
      return m ? { node: m, file: at } : undefined;
    }
    if (ts.isPropertyAccessExpression(base) && base.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = classOf(node);
      const ctor = cls?.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m));
      const param = ctor?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === base.name.text);
      // ReturnType<typeof PatientRepository>: a custom repository made by a factory (`repo.extend({...})`).
      const factory =
        param?.type &&
        ts.isTypeReferenceNode(param.type) &&
        param.type.typeName.getText() === 'ReturnType' &&
        param.type.typeArguments?.[0] &&
        ts.isTypeQueryNode(param.type.typeArguments[0])
          ? param.type.typeArguments[0].exprName
          : undefined;
      if (factory && ts.isIdentifier(factory)) return factoryMethod(factory, method, at, context);
      const type = param?.type && ts.isTypeReferenceNode(param.type) ? param.type.typeName : undefined;
      const origin = type && ts.isIdentifier(type) ? resolver.origin(type, at) : undefined;
      const m = origin?.kind === 'node' ? methodOf(origin.node, method) : undefined;
      return m && origin?.kind === 'node' ? { node: m, file: origin.file } : undefined;
    }
    const origin = resolver.origin(base, at);
    const made = origin?.kind === 'node' ? unwrap(origin.node) : undefined;
    const clsRef =
      made && ts.isNewExpression(made) && origin?.kind === 'node'
        ? resolver.origin(made.expression, origin.file)
        : undefined;
    const m = clsRef?.kind === 'node' ? methodOf(clsRef.node, method) : undefined;
    return m && clsRef?.kind === 'node' ? { node: m, file: clsRef.file } : undefined;
  }
  if (ts.isIdentifier(callee)) {
    const origin = resolver.origin(callee, at);
    if (origin?.kind === 'node' && ts.isFunctionLike(origin.node)) return { node: origin.node, file: origin.file };
  }
  return undefined;
}

/** The `execute` method of the class decorated `@QueryHandler(Q)` / `@CommandHandler(Q)` for `new Q(...)`. */
function cqrsHandler(
  message: ts.NewExpression,
  at: string,
  context: DetectorContext,
): { node: ts.Node; file: string } | undefined {
  const resolver = routeResolverOf(context.project);
  const query = resolver.origin(message.expression, at);
  if (query?.kind !== 'node') return undefined;
  for (const handler of cqrsHandlers(context)) {
    if (
      resolver.origin(handler.message, handler.file)?.kind === 'node' &&
      (resolver.origin(handler.message, handler.file) as { node: ts.Node }).node === query.node
    ) {
      const execute = handler.cls.members.find((m) => ts.isMethodDeclaration(m) && m.name.getText() === 'execute');
      return execute ? { node: execute, file: handler.file } : undefined;
    }
  }
  return undefined;
}

const handlerIndex = new WeakMap<object, Array<{ cls: ts.ClassDeclaration; message: ts.Expression; file: string }>>();

/** Every `@QueryHandler(Q)` / `@CommandHandler(Q)` / `@EventsHandler(E)` class of the project, indexed once per resolution. */
function cqrsHandlers(
  context: DetectorContext,
): Array<{ cls: ts.ClassDeclaration; message: ts.Expression; file: string }> {
  const resolver = routeResolverOf(context.project);
  let found = handlerIndex.get(resolver);
  if (found) return found;
  found = [];
  for (const file of resolver.files) {
    const source = resolver.sourceFile(file);
    if (!source || !/(Query|Command|Events)Handler\s*\(/.test(source.text)) continue;
    for (const statement of source.statements) {
      if (!ts.isClassDeclaration(statement)) continue;
      for (const d of ts.getDecorators(statement) ?? []) {
        if (
          ts.isCallExpression(d.expression) &&
          /^(QueryHandler|CommandHandler|EventsHandler)$/.test(dottedName(d.expression.expression)) &&
          d.expression.arguments[0]
        ) {
          found.push({ cls: statement, message: d.expression.arguments[0], file });
        }
      }
    }
  }
  handlerIndex.set(resolver, found);
  return found;
}

/** `export const PatientRepository = (repo) => repo.extend({ listActive() {...} })`: the method of the made object. */
function factoryMethod(
  factory: ts.Identifier,
  method: string,
  at: string,
  context: DetectorContext,
): { node: ts.Node; file: string } | undefined {
  const origin = routeResolverOf(context.project).origin(factory, at);
  if (origin?.kind !== 'node' || !ts.isFunctionLike(origin.node)) return undefined;
  const body = (origin.node as ts.FunctionLikeDeclaration).body;
  const made = body && !ts.isBlock(body) ? unwrap(body) : undefined;
  const object = made && ts.isCallExpression(made) && made.arguments[0] && unwrap(made.arguments[0]);
  if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
  const member = object.properties.find((p) => p.name && p.name.getText() === method);
  const fn =
    member &&
    (ts.isMethodDeclaration(member)
      ? member
      : ts.isPropertyAssignment(member) && ts.isFunctionLike(unwrap(member.initializer))
        ? unwrap(member.initializer)
        : undefined);
  return fn ? { node: fn, file: origin.file } : undefined;
}

/** Response methods: what they send is the only thing a constant handler may do. */
const RESPONSE_CALLS = new Set([
  ...SEND_CALLS,
  'status',
  'sendStatus',
  'code',
  'type',
  'set',
  'setHeader',
  'header',
  'json',
  'next',
  'end',
]);

/**
 * A handler that answers a constant (`res.send({ index: true })`, `return 'OK'`, `res.status(404).end()`)
 * reads and changes nothing: there is no data behind the route to protect.
 */
export function answersConstant(route: RouteInfo, context?: DetectorContext): boolean {
  const fn = handlerBody(route);
  if (!fn || !route.handler) return false;
  return constantFunction(fn, route.handler.file, context, 0);
}

/**
 * A function that reads and changes nothing: it answers literals (or consts declared as literals,
 * or templates that only echo its parameters), through the response object or `return`, and the
 * project functions it calls do the same (a scaffolded `findOne(id) { return \`returns #${id}\` }`).
 */
function constantFunction(fn: ts.Node, file: string, context: DetectorContext | undefined, depth: number): boolean {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return false;
  const resolver = context ? routeResolverOf(context.project) : undefined;
  // `return AVAILABLE_THEMES`: a const declared as a literal is a constant too.
  const isConstant = (node: ts.Expression): boolean =>
    literalValue(
      node,
      (id) => {
        const origin = resolver?.origin(id, file);
        if (origin?.kind !== 'node') return undefined;
        // The origin of a const is its initializer: keep it only when it was declared `const`.
        const declaration = ts.isVariableDeclaration(origin.node) ? origin.node : origin.node.parent;
        if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
        const list = declaration.parent;
        return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0
          ? declaration.initializer
          : undefined;
      },
      0,
      (n) => storesNothing(n),
    );
  let constant = true;
  const params = new Set(
    ts.isFunctionLike(fn) ? fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])) : [],
  );
  const storesNothing = (n: ts.Expression): boolean => readsClock(n) || echoesRequest(n, params);
  const responder = (callee: ts.Expression): boolean => {
    let root: ts.Node = callee;
    while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
    return (
      ts.isIdentifier(root) &&
      (params.has(root.text) || /^(res|reply|response|ctx|h|NextResponse|Response)$/.test(root.text))
    );
  };
  /** A call to a project function that is itself constant (one level down, then one more). */
  const constantCall = (call: ts.CallExpression): boolean => {
    if (!context || depth >= 2) return false;
    const target = callTarget(call, file, context);
    return !!target && ts.isFunctionLike(target.node) && constantFunction(target.node, target.file, context, depth + 1);
  };
  const visit = (node: ts.Node): void => {
    if (!constant) return;
    if (ts.isExpression(node) && readsClock(node)) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : '';
      const answering =
        (RESPONSE_CALLS.has(name) || name === 'Response') &&
        responder(callee) &&
        (node.arguments ?? []).every(isConstant);
      if (!answering && !(ts.isCallExpression(node) && constantCall(node))) {
        constant = false;
        return;
      }
      if (!answering) {
        // A constant callee: what it is given must not read anything either.
        for (const arg of node.arguments ?? []) visit(arg);
        return;
      }
    } else if (
      ts.isReturnStatement(node) &&
      node.expression &&
      !ts.isCallExpression(unwrap(node.expression)) &&
      !isConstant(node.expression)
    )
      constant = false;
    else if (ts.isAwaitExpression(node) && !ts.isCallExpression(unwrap(node.expression))) constant = false;
    else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      (!/\.(body|status)$/.test(node.left.getText()) || !isConstant(node.right))
    )
      constant = false;
    ts.forEachChild(node, visit);
  };
  if (ts.isBlock(body)) ts.forEachChild(body, visit);
  else if (ts.isCallExpression(unwrap(body))) visit(unwrap(body));
  else constant = isConstant(body);
  return constant;
}

/** The clock: `new Date()`, `Date.now()`, `new Date().toISOString()`, `process.uptime()`. No one's data. */
function readsClock(n: ts.Expression): boolean {
  const e = unwrap(n);
  if (ts.isNewExpression(e))
    return ts.isIdentifier(e.expression) && e.expression.text === 'Date' && (e.arguments ?? []).length === 0;
  if (!ts.isCallExpression(e) || e.arguments.length > 0 || !ts.isPropertyAccessExpression(e.expression)) return false;
  const target = unwrap(e.expression.expression);
  const method = e.expression.name.text;
  if (ts.isIdentifier(target))
    return (target.text === 'Date' && method === 'now') || (target.text === 'process' && method === 'uptime');
  return /^(toISOString|toString|toJSON|getTime|valueOf)$/.test(method) && readsClock(target);
}

/**
 * What the caller sent, sent back: `req.query`, `req.params.id`, `req.headers['x']`, `req.method`.
 * The client already holds it, so echoing it exposes nothing stored (the session's user, `req.user`,
 * is not the caller's input).
 */
function echoesRequest(n: ts.Expression, params: ReadonlySet<string>): boolean {
  let e = unwrap(n);
  const path: string[] = [];
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    path.unshift(ts.isPropertyAccessExpression(e) ? e.name.text : '[]');
    e = unwrap(e.expression);
  }
  if (!ts.isIdentifier(e) || !params.has(e.text)) return false;
  // Koa: `ctx.request.query`, `ctx.query`.
  const fields = path[0] === 'request' ? path.slice(1) : path;
  return fields.length > 0 && /^(query|params|headers|body|method|url|originalUrl|path|ip)$/.test(fields[0]!);
}

/** A literal tree; identifiers count when `constOf` gives their literal initializer. */
function literalValue(
  node: ts.Expression,
  constOf: (id: ts.Identifier) => ts.Expression | undefined,
  depth = 0,
  storesNothing: (n: ts.Expression) => boolean = () => false,
): boolean {
  const n = unwrap(node);
  const again = (e: ts.Expression) => literalValue(e, constOf, depth, storesNothing);
  if (isLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || n.kind === ts.SyntaxKind.NullKeyword) return true;
  if (storesNothing(n)) return true;
  if (ts.isPrefixUnaryExpression(n)) return again(n.operand);
  // `This action returns #${id}`: a template that only echoes names reads no data.
  if (ts.isTemplateExpression(n))
    return n.templateSpans.every((span) => ts.isIdentifier(unwrap(span.expression)) || again(span.expression));
  if (ts.isArrayLiteralExpression(n)) return n.elements.every((e) => again(e));
  if (ts.isObjectLiteralExpression(n))
    return n.properties.every(
      (p) =>
        (ts.isPropertyAssignment(p) && again(p.initializer)) || (ts.isShorthandPropertyAssignment(p) && again(p.name)),
    );
  if (ts.isIdentifier(n) && depth < 3) {
    const value = constOf(n);
    return !!value && literalValue(value, constOf, depth + 1, storesNothing);
  }
  return false;
}

function handlerBody(route: RouteInfo): ts.Node | undefined {
  const node = route.handler ? unwrap(route.handler.node) : undefined;
  if (!node) return undefined;
  if (ts.isFunctionLike(node)) return node;
  if (ts.isMethodDeclaration(node)) return node;
  return undefined;
}

/** Values sent to the client: `res.json(x)`, `ctx.body = x`, `reply.send(x)`, `return x` (Nest, Next, Fastify, Hapi). */
function sentValues(fn: ts.Node, returns: boolean): ts.Expression[] {
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node, depth: number): void => {
    if (ts.isFunctionLike(node) && node !== fn) {
      ts.forEachChild(node, (c) => visit(c, depth + 1));
      return;
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      SEND_CALLS.has(node.expression.name.text)
    ) {
      values.push(...node.arguments.filter((a) => !isLiteral(a)));
    }
    if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Response' &&
      node.arguments?.[0]
    )
      values.push(node.arguments[0]);
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      /\.body$/.test(node.left.getText())
    )
      values.push(node.right);
    if (returns && depth === 0 && ts.isReturnStatement(node) && node.expression && !isLiteral(node.expression))
      values.push(node.expression);
    if (returns && depth === 0 && ts.isArrowFunction(fn) && node === fn.body && !ts.isBlock(node))
      values.push(node as ts.Expression);
    ts.forEachChild(node, (c) => visit(c, depth));
  };
  ts.forEachChild(fn, (c) => visit(c, 0));
  return values;
}

function isLiteral(node: ts.Expression): boolean {
  return (
    ts.isStringLiteralLike(node) ||
    ts.isNumericLiteral(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword
  );
}

/** A read of a sensitive table or column inside the handler: SQL text, knex/ORM calls. */
function sensitiveRead(fn: ts.Node, context: DetectorContext): Exposure | undefined {
  const classifier = classifierFor(context.config);
  let found: Exposure | undefined;
  /** Tables, models and entities are containers: `resultats` counts by itself, `valeur` only inside one. */
  const params = parametersOf(context);
  const check = (name: string, via: string, container?: string) => {
    if (found) return;
    // A column of a catalogue (`description` of a `pathology` list) is described by its table, not health data.
    if (
      container &&
      classifier.classify(container, { kind: 'table' })?.special &&
      !recordKind(container, context, params)
    )
      return;
    // A table is judged as a record (a catalogue of pathologies is not one); a column inside its table.
    const c =
      container === undefined
        ? recordKind(name, context, params)
        : classifier.classify(name, { kind: 'column', container });
    if (c && (container === undefined || (c as { special?: boolean }).special))
      found = { kind: 'returns', category: c.category, via, ...('what' in c && c.what ? { what: c.what } : {}) };
  };
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : '';
      const chain = callee.getText();
      const reads = READ_CALLS.has(name) || /\.(select|first|pluck|find\w*)\(/.test(node.getText());
      if (reads) {
        for (const arg of node.arguments) {
          if (ts.isStringLiteralLike(arg)) {
            if (/^\s*(select|with)\b/i.test(arg.text)) {
              const { tables, columns } = sqlReadWords(arg.text);
              for (const table of tables) check(table, `a query on ${table}`);
              for (const column of columns) check(column, `a query reading ${column}`, tables[0] ?? '');
            } else if (/^[\w.]+$/.test(arg.text)) {
              const table = /(?:knex|db|table|from)\(\s*['"`](\w+)/.exec(chain)?.[1] ?? '';
              check(arg.text.split('.').pop()!, `a query reading ${arg.text}`, table);
            }
          }
        }
        // knex('table'), prisma.model.findMany, getRepository(Entity).find
        for (const m of chain.matchAll(/(?:knex|db|table|from|getRepository|model)\(\s*['"`]?(\w+)/g))
          check(m[1]!, `a query on ${m[1]}`);
        const prisma = /\.(\w+)\.(find\w*)$/.exec(chain);
        if (prisma && !undeclaredModel(prisma[1]!, context)) check(prisma[1]!, `a query on ${prisma[1]}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/** Tables and selected columns of a SELECT. */
function sqlReadWords(sql: string): { tables: string[]; columns: string[] } {
  const columns: string[] = [];
  const tables: string[] = [];
  const select = /select\s+([\s\S]*?)\s+from\s/i.exec(sql);
  if (select)
    for (const m of select[1]!.matchAll(/\b([a-z_][\w]*)\b/gi))
      if (!/^(as|distinct|case|when|then|else|end|null|and|or|not|current_setting|coalesce|count)$/i.test(m[1]!))
        columns.push(m[1]!);
  for (const m of sql.matchAll(/\b(?:from|join)\s+([\w."]+)/gi)) tables.push(m[1]!.replace(/"/g, '').split('.').pop()!);
  return { tables, columns };
}

/** `/api/resultats/:id`: the path itself names health data. */
function pathExposure(route: RouteInfo, context: DetectorContext): Exposure | undefined {
  const classifier = classifierFor(context.config);
  for (const segment of route.path.split('/')) {
    if (!segment || /^[:{[]/.test(segment)) continue;
    if (splitWords(segment).length === 0) continue;
    const c = classifier.classify(segment, { kind: 'table' });
    if (c?.special) return { kind: 'path', category: c.category, via: segment };
  }
  return undefined;
}

function shorten(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 50 ? text.slice(0, 47) + '...' : text;
}

const CATEGORY_TEXT: Record<Category, string> = {
  'health-condition': 'health conditions',
  treatment: 'treatments',
  'lab-result': 'lab results',
  genetic: 'genetic data',
  biometric: 'biometric data',
  'art9-other': 'special-category data',
  'health-identifier': 'national health identifiers',
  identity: 'identities',
  contact: 'contact details',
  professional: 'professional data',
};

export function categoryText(category: Category): string {
  return CATEGORY_TEXT[category] ?? category;
}
