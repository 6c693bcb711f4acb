import ts from 'typescript';
import type { Detector, DetectorContext } from '../detector.js';
import { listOption, ruleOptions } from '../config.js';
import { vocabularyOf } from '../pack.js';
import type { Fix, Severity } from '../types.js';
import { Classifier } from '../vocabulary/classify.js';
import { qualifiedNameAt, type SelectScope, type TableRef } from '../sql/analysis.js';
import { copyDirection, scopeExportContext, statementExportContext } from '../sql/export-context.js';
import { sqlStatementsOf, structureOf } from '../sql/index.js';
import { wholeRecordFetches, type WholeRecordFetch } from '../sql/orm-fetches.js';
import { assessTable, type TableAssessment, type TableVocabulary } from '../sql/personal-tables.js';
import type { ExportSinks } from '../sql/result-flow.js';
import { databaseColumns, type StoredColumn } from '../tables/current.js';
import { personColumn } from '../tables/subjects.js';
import { rowDestination, scriptDestination, type RowDestination } from '../sql/row-destination.js';
import type { SqlDialect, SqlStatement, SqlToken } from '../sql/types.js';
import { propertyName } from '../syntax/ast.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';
import { notRunInProduction } from '../production.js';

const RULE = 'select-star-export';

interface RuleOptions extends TableVocabulary {
  exportWords: Classifier;
  sinks: ExportSinks;
  /** Also report, as notes, star reads whose rows stay inside the application. */
  inAppReads: boolean;
}

/** The rule's options (pack parameters + team options), compiled: part of the configuration's knowledge. */
const OPTIONS = knowledgePart('select-star-export:options', (config): RuleOptions => {
  const options = ruleOptions(config, RULE);
  const list = (key: string): string[] => listOption(options, key);
  return {
    personalTables: list('personalTables'),
    technicalTables: list('technicalTables'),
    systemSchemas: list('systemSchemas'),
    exportWords: new Classifier([{ category: 'identity', terms: { rule: list('exportWords') } }]),
    sinks: vocabularyOf<ExportSinks>(config.pack, 'export-sinks'),
    inAppReads: options['inAppReads'] === true,
  };
});

function optionsOf(ctx: DetectorContext): RuleOptions {
  return knowledgeOf(ctx.config).get(OPTIONS);
}

/**
 * `select-star-export`: `SELECT *` / `t.*` over personal-data tables or in exports and
 * migrations, and ORM whole-record reads that feed an export (Art. 5(1)(c), 25(2), 28(3)(a), 29).
 */
export const selectStarExport: Detector = {
  ruleId: RULE,
  languages: ['sql', 'typescript', 'javascript'],
  check(ctx) {
    if (notRunInProduction(ctx.project, ctx.file.path)) return;
    const options = optionsOf(ctx);
    for (const statement of sqlStatementsOf(ctx.file, ctx.project)) {
      ctx.tick(1 + (statement.tokens.length >> 4));
      // Only the statements this rule reads are given to the parser (it costs milliseconds each).
      if (!statement.tokens.some((t) => t.kind === 'star') && statement.kind !== 'copy') continue;
      if (!statement.parsed) {
        const line = ctx.file.lines.position(statement.start).line + 1;
        const head = statement.tokens
          .slice(0, 2)
          .map((t) => t.value)
          .join(' ');
        ctx.note(
          'sql-unparsed',
          `line ${line}: "${head.slice(0, 30)} ..." not accepted by the ${statement.dialect ?? 'SQL'} parser; analysed by tokens`,
          { start: statement.start, end: statement.end },
        );
      }
      checkStatement(ctx, statement, options);
    }
    if (ctx.file.ts)
      for (const fetch of wholeRecordFetches(ctx.file.ts)) {
        ctx.tick();
        checkFetch(ctx, fetch, options);
      }
  },
};

function checkStatement(ctx: DetectorContext, statement: SqlStatement, options: RuleOptions): void {
  const { scopes } = structureOf(statement);
  const isCopy = statement.kind === 'copy';
  let destination: RowDestination | undefined;
  const destinationOf = (): RowDestination => {
    destination ??=
      statement.origin === 'embedded' && statement.node && ctx.file.ts && !statement.container
        ? rowDestination(statement.node, ctx, options.sinks)
        : scriptDestination(statement);
    return destination;
  };
  const statementContext = statementExportContext(statement, options.exportWords);
  const sqlContext =
    statementContext && statementContext.kind === 'migration' && rebuildsInPlace(ctx, statement)
      ? undefined
      : statementContext;
  if (isCopy) checkCopyTable(ctx, statement, options);
  for (const scope of scopes) {
    if (scope.role === 'predicate' || !scope.items.some((i) => i.star) || !leaves(statement, scope)) continue;
    const context = scopeExportContext(scope, statement) ?? sqlContext;
    for (const item of scope.items) {
      if (!item.star) continue;
      const tables = coveredTables(ctx, statement, scope, item.star.qualifier, options);
      if (!tables) continue;
      const personal = tables.filter((t) => t.holdsPersonalData);
      const verdict = context
        ? { where: context.where, exports: true }
        : decide(destinationOf(), personal, () => restriction(statement, scope), options);
      if (!verdict) continue;
      const first = statement.tokens[item.star.first]!;
      const last = statement.tokens[item.star.last]!;
      const star = item.star.qualifier ? `${item.star.qualifier}.*` : '*';
      const starText = item.inFunction ? `${item.inFunction}(${star})` : `SELECT ${star}`;
      const shown = personal.length > 0 ? personal : tables;
      const fixes =
        tables.length === 1 && !tables[0]!.presumed && !item.inFunction
          ? starFixes(ctx, statement, first.start, last.end, tables[0]!, item.star.qualifier)
          : [];
      ctx.report({
        range: { start: first.start, end: last.end },
        ...(verdict.severity ? { severity: verdict.severity } : {}),
        messageId: verdict.exports
          ? verdict.where
            ? 'star-export-to'
            : 'star-export'
          : verdict.where
            ? 'star-read-to'
            : 'star-read',
        args: { star: starText, tables: describeTables(shown), where: verdict.where ?? '' },
        fixes,
        data: findingData(shown[0], verdict.exports ? 'export' : verdict.severity === 'note' ? 'query' : 'response'),
      });
    }
  }
}

interface Verdict {
  where?: string;
  exports: boolean;
  severity?: Severity;
}

/**
 * Is a star over these tables worth a finding, given where its rows go? Rows of personal data that
 * leave (an export, a log, the output of a script) are; rows sent to the client are when they are
 * a bulk list, or one record's every column when that holds special-category data or a secret and
 * is not the requester's own record; rows used inside the application are a note, off by default.
 */
function decide(
  destination: RowDestination,
  personal: TableAssessment[],
  restricted: () => Restriction,
  options: RuleOptions,
): Verdict | undefined {
  if (personal.length === 0) return undefined;
  switch (destination.kind) {
    case 'export':
      return { where: destination.where, exports: true };
    case 'log':
    case 'script':
      return { where: destination.where, exports: true };
    case 'response': {
      const r = restricted();
      if (r === 'bulk') return { where: `${destination.where}, every row`, exports: true };
      if (r === 'own')
        return options.inAppReads
          ? { where: "for the requester's own record", exports: false, severity: 'note' }
          : undefined;
      if (personal.some((t) => (t.sensitive?.length ?? 0) > 0))
        return { where: `${destination.where}, with ${sensitivePhrase(personal)}`, exports: true };
      return options.inAppReads ? { where: destination.where, exports: false, severity: 'note' } : undefined;
    }
    case 'app':
      return options.inAppReads ? { exports: false, severity: 'note' } : undefined;
  }
}

function sensitivePhrase(tables: TableAssessment[]): string {
  const columns = [...new Set(tables.flatMap((t) => t.sensitive ?? []))];
  return `${columns.slice(0, 3).join(', ')}${columns.length > 3 ? ` and ${columns.length - 3} more` : ''}`;
}

/** How the rows of a query are chosen: all of them (`bulk`), one record or one owner's (`one`), the requester's own (`own`). */
type Restriction = 'bulk' | 'one' | 'own';

const KEY_WORDS = new Set([
  'id',
  'uuid',
  'guid',
  'key',
  'pk',
  'email',
  'username',
  'login',
  'code',
  'number',
  'no',
  'num',
  'barcode',
  'ref',
  'reference',
  'slug',
  'token',
  'name',
]);
const REQUESTER =
  /\b(req|request|ctx)\.(user|session|auth|state\.user)\b|\bsession\.user\b|\bcurrentUser\b|\bauth\(\)|\bctx\.session\b|\buserId\b\s*=\s*(req|request)\.user/;

/**
 * A WHERE on a key compared with a bound value (`WHERE id = $1`, `WHERE user_name = ?`), or
 * `LIMIT 1`, reads one record (or one owner's); none reads every row. Bound to the requester's own
 * id (`req.user.id`), it is the requester's own record.
 */
function restriction(statement: SqlStatement, scope: SelectScope): Restriction {
  const tokens = statement.tokens;
  const { parens } = structureOf(statement);
  const level = scope.open;
  let where = -1;
  for (let k = scope.select; k < scope.end; k++) {
    if (parens.parent[k] !== level) continue;
    const v = tokens[k]!.value.toUpperCase();
    if (tokens[k]!.kind === 'keyword' && v === 'WHERE') where = k;
    if (tokens[k]!.kind === 'keyword' && (v === 'LIMIT' || v === 'TOP') && tokens[k + 1]?.value === '1')
      return ownOrOne(statement);
  }
  if (where < 0) return 'bulk';
  for (let k = where + 1; k < scope.end; k++) {
    const t = tokens[k]!;
    if (t.value !== '=') continue;
    const left = tokens[k - 1];
    const right = tokens[k + 1];
    if (!left || !right) continue;
    const bound = (x: SqlToken) => x.kind === 'placeholder' || x.text.includes('${') || /^[:@$]\w+$/.test(x.text);
    const key = (x: SqlToken) => (x.kind === 'identifier' || x.kind === 'quoted-identifier') && keyColumn(x.value);
    if ((key(left) && bound(right)) || (key(right) && bound(left))) return ownOrOne(statement);
  }
  return 'bulk';
}

/**
 * The object literals a filter variable is built from, in its function: its initializer (both
 * branches of a condition) and `where.x = ...` assignments as `{ x: ... }`. Undefined when it is
 * built by a call or comes from elsewhere.
 */
function filterObjectsOf(id: ts.Identifier): ts.ObjectLiteralExpression[] | undefined {
  let fn: ts.Node | undefined = id.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return undefined;
  const out: ts.ObjectLiteralExpression[] = [];
  let declared = false;
  let opaque = false;
  const literals = (e: ts.Expression): void => {
    let u = e;
    while (ts.isParenthesizedExpression(u) || ts.isAsExpression(u)) u = u.expression;
    if (ts.isObjectLiteralExpression(u)) out.push(u);
    else if (ts.isConditionalExpression(u)) {
      literals(u.whenTrue);
      literals(u.whenFalse);
    } else opaque = true;
  };
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === id.text && n.initializer) {
      declared = true;
      literals(n.initializer);
    }
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      (ts.isPropertyAccessExpression(n.left) || ts.isElementAccessExpression(n.left)) &&
      ts.isIdentifier(n.left.expression) &&
      n.left.expression.text === id.text
    ) {
      // `where.patientId = id`, `where['$location.facility_id$'] = id`.
      const key = ts.isPropertyAccessExpression(n.left)
        ? n.left.name.text
        : ts.isStringLiteralLike(n.left.argumentExpression)
          ? n.left.argumentExpression.text
          : undefined;
      if (key)
        out.push(
          ts.factory.createObjectLiteralExpression([
            ts.factory.createPropertyAssignment(ts.factory.createStringLiteral(key), n.right),
          ]),
        );
    }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return declared && !opaque ? out : undefined;
}

/** The object literals an array variable is built from in its function: its initializer's elements and what is pushed into it. */
function arrayObjectsOf(id: ts.Identifier): ts.ObjectLiteralExpression[] {
  let fn: ts.Node | undefined = id.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return [];
  const out: ts.ObjectLiteralExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === id.text &&
      n.initializer &&
      ts.isArrayLiteralExpression(n.initializer)
    ) {
      out.push(...n.initializer.elements.filter(ts.isObjectLiteralExpression));
    }
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'push' &&
      ts.isIdentifier(n.expression.expression) &&
      n.expression.expression.text === id.text
    ) {
      out.push(...n.arguments.filter(ts.isObjectLiteralExpression));
    }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return out;
}

/** An object literal key as written: `where`, `'where'`, `[Op.eq]`. */
function propertyNameOf(name: ts.PropertyName): string | undefined {
  if (ts.isComputedPropertyName(name))
    return ts.isPropertyAccessExpression(name.expression) ? name.expression.getText() : undefined;
  return propertyName(name);
}

function keyColumn(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.length > 0 && KEY_WORDS.has(words[words.length - 1]!);
}

function ownOrOne(statement: SqlStatement): Restriction {
  const call = statement.node && ts.isCallExpression(statement.node.parent) ? statement.node.parent : undefined;
  const args = call ? call.arguments.map((a) => a.getText()).join(' ') : '';
  return REQUESTER.test(args) ? 'own' : 'one';
}

/**
 * A migration that copies a table into a new one in the same database and then drops or renames
 * one of them rebuilds the table in place (`INSERT INTO t_new SELECT * FROM t`, then a rename): the
 * data stays where it was. A copy into another schema (`archive.`) or a backup kept is not that.
 */
function rebuildsInPlace(ctx: DetectorContext, statement: SqlStatement): boolean {
  const file = ctx.file;
  const migration =
    /(^|\/)(migrations?|migrate|changelogs?)\//i.test(file.path) ||
    /implements\s+MigrationInterface|exports\.up\b|export\s+(async\s+)?function\s+up\b|\bup\s*\(\s*(queryInterface|knex|db|queryRunner)/.test(
      file.text,
    );
  if (!migration) return false;
  if (
    statement.tokens.some(
      (t, k) => t.value === '.' && /^(archive|backup|bak|history|export)/i.test(statement.tokens[k - 1]?.value ?? ''),
    )
  )
    return false;
  return /\bDROP\s+TABLE\b|\bRENAME\s+TO\b|\.dropTable\s*\(|\.renameTable\s*\(|\bsp_rename\b/i.test(file.text);
}

/** `COPY table TO ...` (no query, no column list): every column of the table is written out. */
function checkCopyTable(ctx: DetectorContext, statement: SqlStatement, options: RuleOptions): void {
  const tokens = statement.tokens;
  if (tokens[1]?.value === '(' || copyDirection(statement) !== 'TO') return;
  const name = qualifiedNameAt(tokens, 1);
  if (!name || tokens[name.last + 1]?.value === '(') return;
  const table = assessTable(name.name, ctx.project, options);
  const range = { start: tokens[1]!.start, end: tokens[name.last]!.end };
  const fixes: Fix[] = [];
  const lists = columnLists(ctx, name.name, table);
  if (lists) {
    const list = (columns: StoredColumn[]) =>
      `${ctx.file.text.slice(range.start, range.end)} (${columns.map((c) => quoteIdentifier(c, statement.dialect)).join(', ')})`;
    fixes.push({
      title: `List the ${lists.all.length} columns of ${name.name} in COPY`,
      edits: [{ ...range, newText: list(lists.all) }],
      isPreferred: true,
    });
    if (lists.safe.length > 0 && lists.safe.length < lists.all.length)
      fixes.push({
        title: `Copy only the ${lists.safe.length} non-sensitive columns of ${name.name}`,
        edits: [{ ...range, newText: list(lists.safe) }],
      });
  }
  ctx.report({
    range,
    messageId: 'copy-table',
    args: { table: name.name, tables: describeTables([table]) },
    fixes,
    data: findingData(table, 'export'),
  });
}

/** Does the output of `scope` leave the statement? A derived table or CTE body leaves only through an outer star. */
function leaves(statement: SqlStatement, scope: SelectScope, depth = 0): boolean {
  if (scope.open < 0 || depth > 8) return true;
  const { scopes, ctes } = structureOf(statement);
  const cte = ctes.find((c) => c.open === scope.open);
  const users: { outer: SelectScope; ref: TableRef }[] = [];
  for (const outer of scopes) {
    for (const ref of outer.from) {
      if (
        ref.derived?.open === scope.open ||
        (cte && !ref.derived && ref.name.toLowerCase() === cte.name.toLowerCase())
      )
        users.push({ outer, ref });
    }
  }
  if (!cte && users.length === 0) return true;
  return users.some(
    ({ outer, ref }) =>
      outer.role === 'output' &&
      outer.items.some((i) => i.star && (!i.star.qualifier || sameName(i.star.qualifier, ref.alias ?? ref.name))) &&
      leaves(statement, outer, depth + 1),
  );
}

function sameName(a: string, b: string): boolean {
  const last = (s: string) => s.toLowerCase().split('.').pop();
  return last(a) === last(b);
}

/** The tables a star covers; undefined when it covers only a derived table or CTE that is itself a star (flagged there). */
function coveredTables(
  ctx: DetectorContext,
  statement: SqlStatement,
  scope: SelectScope,
  qualifier: string | undefined,
  options: RuleOptions,
): TableAssessment[] | undefined {
  const { ctes } = structureOf(statement);
  let refs = scope.from;
  if (qualifier) {
    refs = scope.from.filter(
      (r) => (r.alias && sameName(qualifier, r.alias)) || (!r.derived && sameName(qualifier, r.name)),
    );
    if (refs.length === 0) return [assessTable(qualifier, ctx.project, options)];
  }
  const out: TableAssessment[] = [];
  for (const ref of refs) {
    const cte =
      !ref.derived && !ref.name.includes('.')
        ? ctes.find((c) => c.name.toLowerCase() === ref.name.toLowerCase())
        : undefined;
    // A derived table or CTE whose columns are listed (or a star flagged inside it) adds no column nobody chose.
    if (ref.derived || cte) continue;
    out.push(assessTable(ref.name, ctx.project, options));
  }
  return out.length > 0 ? out : undefined;
}

function checkFetch(ctx: DetectorContext, fetch: WholeRecordFetch, options: RuleOptions): void {
  const source = ctx.file.ts!;
  if (fetch.api === 'prisma' && fetch.table && !prismaModelOfApp(ctx, fetch.table)) return;
  const table = fetch.table ? assessTable(fetch.table, ctx.project, options) : undefined;
  const destination = rowDestination(fetch.result, ctx, options.sinks);
  let verdict: Verdict | undefined;
  if (destination.kind === 'export' || destination.kind === 'log') {
    // Rows of a table the schema shows to hold no personal data leave nothing personal.
    if (table && !table.holdsPersonalData && table.columns.length > 0) return;
    verdict = { where: destination.where, exports: true };
  } else if (
    destination.kind === 'response' &&
    table?.holdsPersonalData &&
    fetchRestriction(fetch, (name) => keyColumn(name) || personColumn(name, ctx.config)) === 'bulk'
  ) {
    verdict = { where: `${destination.where}, every row`, exports: true };
  } else if (fetch.sqlBuilder && table?.holdsPersonalData && options.inAppReads) {
    verdict = { exports: false, severity: 'note' };
  }
  if (!verdict) return;
  const subject = table ? describeTables([table]) : 'the table';
  ctx.report({
    range: { start: fetch.report.getStart(source), end: fetch.report.end },
    ...(verdict.severity ? { severity: verdict.severity } : {}),
    // A query builder selects columns; an ORM, fields.
    messageId: fetch.sqlBuilder
      ? verdict.exports
        ? verdict.where
          ? 'builder-export-to'
          : 'builder-export'
        : verdict.where
          ? 'builder-read-to'
          : 'builder-read'
      : verdict.exports
        ? verdict.where
          ? 'orm-export-to'
          : 'orm-export'
        : verdict.where
          ? 'orm-read-to'
          : 'orm-read',
    args: { fetch: fetch.shape, subject, where: verdict.where ?? '' },
    data: findingData(table, verdict.exports ? (destination.kind === 'response' ? 'response' : 'export') : 'query'),
  });
}

/**
 * Does the Prisma client of the app this file belongs to have the model? The app's schema is the
 * one under the nearest folder above the file that has a `prisma/` schema. Without any Prisma
 * schema in the project nothing is known: yes. A model no schema of the app declares does not
 * exist in its client: the call cannot return rows.
 */
function prismaModelOfApp(ctx: DetectorContext, model: string): boolean {
  const prisma = ctx.project.schema.tables().filter((t) => t.source === 'prisma');
  if (prisma.length === 0) return true;
  const rootOf = (file: string) => file.slice(0, Math.max(0, file.lastIndexOf('prisma/')));
  const roots = [...new Set(prisma.map((t) => rootOf(t.file)))].filter((r) => ctx.file.path.startsWith(r));
  if (roots.length === 0) return true;
  const nearest = roots.sort((a, b) => b.length - a.length)[0]!;
  const key = model.toLowerCase();
  return prisma.some(
    (t) => rootOf(t.file) === nearest && [t.name, ...(t.aliases ?? [])].some((n) => n.toLowerCase() === key),
  );
}

const SINGLE_READS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findOne',
  'findOneBy',
  'findOneOrFail',
  'findOneByOrFail',
  'findByPk',
  'findById',
  'first',
  'getOne',
  'getOneOrFail',
  'executeTakeFirst',
  'executeTakeFirstOrThrow',
]);

/**
 * A read of one record (`findUnique`, `findOne`), or of one owner's (`where: { patientId }`,
 * `{ patient: id }`: `isKey` says which filter keys pick one record or one person's), or of every row.
 */
function fetchRestriction(fetch: WholeRecordFetch, isKey: (name: string) => boolean): Restriction {
  const call =
    fetch.report.parent &&
    ts.isPropertyAccessExpression(fetch.report.parent) &&
    ts.isCallExpression(fetch.report.parent.parent)
      ? fetch.report.parent.parent
      : undefined;
  const method = ts.isIdentifier(fetch.report) ? fetch.report.text : '';
  if (SINGLE_READS.has(method)) return 'one';
  const chainText = fetch.result.getText();
  if (/\.(first|findOne|limit\(\s*1\s*\))\b/.test(chainText) && fetch.api === 'knex') return 'one';
  for (const arg of call?.arguments ?? []) {
    const options = ts.isObjectLiteralExpression(arg) ? arg : undefined;
    if (!options) continue;
    // A `where` anywhere in the options (an included relation's too) on a key bound to a variable.
    const wheres: ts.ObjectLiteralExpression[] = [];
    const objects = (e: ts.Expression): ts.ObjectLiteralExpression[] => {
      let u = e;
      while (ts.isParenthesizedExpression(u) || ts.isAsExpression(u)) u = u.expression;
      if (ts.isObjectLiteralExpression(u)) return [u];
      // `where: clinicId ? { clinicId } : { userId }`: keyed only when every branch is.
      if (ts.isConditionalExpression(u)) {
        const branches = [objects(u.whenTrue), objects(u.whenFalse)];
        return branches.every((b) => b.some((f) => keyedFilter(f, isKey))) ? branches.flat() : [];
      }
      return [];
    };
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'where')
        wheres.push(...objects(n.initializer));
      ts.forEachChild(n, visit);
    };
    visit(options);
    if (wheres.length === 0 && fetch.api !== 'sequelize' && fetch.api !== 'prisma') wheres.push(options);
    if (wheres.some((f) => keyedFilter(f, isKey))) return 'one';
    // A filter built in a variable (`where`, `where: whereClause`): read where it is built; built by
    // a call elsewhere, what it keeps is not known here, so not a list of everyone.
    for (const p of options.properties) {
      if (!p.name || propertyNameOf(p.name) !== 'where') continue;
      const value = ts.isShorthandPropertyAssignment(p)
        ? p.name
        : ts.isPropertyAssignment(p)
          ? p.initializer
          : undefined;
      if (!value || !ts.isIdentifier(value)) continue;
      const built = filterObjectsOf(value);
      if (!built || built.some((f) => keyedFilter(f, isKey))) return 'one';
    }
  }
  // knex/query builders: `.where('patient_id', id)`, `.where({ id })`.
  if (
    /\.where\w*\(\s*['"`]?\w*(id|uuid|key|email|code|number)['"`]?\s*,\s*[^'"`\d]/i.test(chainText) ||
    /\.where\w*\(\s*\{[^}]*\b\w*(id|Id|uuid|key|email)\b/.test(chainText)
  )
    return 'one';
  return 'bulk';
}

/** A filter object on a key bound to a variable: `{ patientId }`, `{ id: req.params.id }`, `{ userId: user.id, status }`, `{ patient: id }`. */
function keyedFilter(filter: ts.ObjectLiteralExpression, isKey: (name: string) => boolean): boolean {
  return filter.properties.some((p) => {
    // `...(userId && { userId })`: an optional condition.
    if (ts.isSpreadAssignment(p)) {
      let e: ts.Expression = p.expression;
      while (ts.isParenthesizedExpression(e)) e = e.expression;
      if (ts.isBinaryExpression(e)) e = e.right;
      while (ts.isParenthesizedExpression(e)) e = e.expression;
      return ts.isObjectLiteralExpression(e) && keyedFilter(e, isKey);
    }
    // Conditions gathered in an array first (`$or: conditions` after `conditions.push({ patient: id })`).
    if (
      ts.isPropertyAssignment(p) &&
      ts.isIdentifier(p.initializer) &&
      /^(\$or|\$and|OR|AND|Op\.or|Op\.and)$/.test(propertyNameOf(p.name) ?? '')
    ) {
      if (arrayObjectsOf(p.initializer).some((f) => keyedFilter(f, isKey))) return true;
    }
    // Nested conditions (`[Op.and]: [{ [Op.or]: [{ patientId }] }]`, `OR: [...]`, `AND: {...}`).
    if (
      ts.isPropertyAssignment(p) &&
      (ts.isArrayLiteralExpression(p.initializer) ||
        (ts.isObjectLiteralExpression(p.initializer) && !isKey(propertyNameOf(p.name) ?? '')))
    ) {
      const inner = ts.isArrayLiteralExpression(p.initializer)
        ? p.initializer.elements.filter(ts.isObjectLiteralExpression)
        : [p.initializer];
      if (inner.some((f) => keyedFilter(f, isKey))) return true;
    }
    const name = p.name ? propertyNameOf(p.name) : undefined;
    // `'$initiatingEncounter.patient_id$': id` (Sequelize nested keys) names its column last.
    if (!name || !isKey(name.replace(/\$/g, '').split('.').pop()!)) return false;
    if (ts.isShorthandPropertyAssignment(p)) return true;
    if (!ts.isPropertyAssignment(p)) return false;
    const v = p.initializer;
    // An operator object: equality (`{ equals: id }`, `{ in: ids }`) keys the rows, a search (`{ contains: q }`) does not.
    if (ts.isObjectLiteralExpression(v))
      return v.properties.some(
        (o) => o.name && /^(\$?eq|equals|\$?in|Op\.eq|Op\.in)$/.test(propertyNameOf(o.name) ?? ''),
      );
    return !(
      ts.isStringLiteralLike(v) ||
      ts.isNumericLiteral(v) ||
      v.kind === ts.SyntaxKind.TrueKeyword ||
      v.kind === ts.SyntaxKind.FalseKeyword ||
      v.kind === ts.SyntaxKind.NullKeyword
    );
  });
}

/** `"patients" (nir: health-identifier, nom: identity, +4 more)` for each table. */
function describeTables(tables: TableAssessment[]): string {
  return tables
    .map((t) => {
      const name = `"${t.name}"`;
      if (t.personal.length > 0) {
        const ordered = [...t.personal].sort((a, b) => Number(b.special) - Number(a.special));
        const shown = ordered.slice(0, 5).map((p) => `${p.name}: ${p.category}`);
        const more = ordered.length > 5 ? `, +${ordered.length - 5} more` : '';
        return `${name} (${shown.join(', ')}${more})`;
      }
      if (t.presumed) return `${name} (personal data presumed from its name)`;
      return name;
    })
    .join(' and ');
}

function findingData(
  table: TableAssessment | undefined,
  context: 'export' | 'response' | 'query',
): Record<string, unknown> {
  return {
    table: table?.name,
    columns: table?.columns.map((c) => c.name) ?? [],
    sensitiveColumns: table?.personal.filter((p) => p.special).map((p) => p.name) ?? [],
    personalColumns: table?.personal.map((p) => ({ name: p.name, category: p.category })) ?? [],
    context,
    ...(table?.link ? { link: table.link.via } : {}),
  };
}

/**
 * The columns a fix may list, as the database names them (a model's `dateNaissance` is the column
 * `date_naissance`): all of them, and those without special-category data or a health identifier.
 * Undefined when the project does not say exactly which columns the table has.
 */
function columnLists(
  ctx: DetectorContext,
  name: string,
  table: TableAssessment,
): { all: StoredColumn[]; safe: StoredColumn[] } | undefined {
  const all = databaseColumns(name, ctx.project);
  if (!all) return undefined;
  const special = new Set(table.personal.filter((p) => p.special).map((p) => p.name.toLowerCase()));
  for (const c of table.columns) if (c.dbName && special.has(c.name.toLowerCase())) special.add(c.dbName.toLowerCase());
  return { all, safe: all.filter((c) => !special.has(c.name.toLowerCase())) };
}

/** Quick fixes: the explicit column list (preferred), then only the non-sensitive columns. */
function starFixes(
  ctx: DetectorContext,
  statement: SqlStatement,
  start: number,
  end: number,
  table: TableAssessment,
  qualifier: string | undefined,
): Fix[] {
  const lists = columnLists(ctx, table.name, table);
  if (!lists) return [];
  const escape = hostEscaper(ctx, statement, start);
  const list = (columns: StoredColumn[]) =>
    escape(columns.map((c) => (qualifier ? `${qualifier}.` : '') + quoteIdentifier(c, statement.dialect)).join(', '));
  const { all, safe } = lists;
  const fixes: Fix[] = [
    {
      title: `Replace ${qualifier ? `${qualifier}.*` : '*'} with the ${all.length} columns of ${table.name}`,
      edits: [{ start, end, newText: list(all) }],
      isPreferred: true,
    },
  ];
  if (safe.length > 0 && safe.length < all.length) {
    const dropped = all.filter((c) => !safe.includes(c)).map((c) => c.name);
    fixes.push({
      title: `Select only the ${safe.length} non-sensitive columns of ${table.name} (drops ${dropped.join(', ')})`,
      edits: [{ start, end, newText: list(safe) }],
    });
  }
  return fixes;
}

/**
 * A column name as the statement must write it. MySQL and SQL Server compare column names without
 * case; PostgreSQL folds unquoted names to lower case, so a name created quoted with capitals
 * (`"firstName"`, as Prisma and TypeORM create them) must be quoted again.
 */
function quoteIdentifier(column: StoredColumn, dialect: SqlDialect | undefined): string {
  const { name } = column;
  const simple = /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name);
  if (dialect === 'mysql') return simple ? name : '`' + name.replace(/`/g, '``') + '`';
  if (dialect === 'transactsql') return simple ? name : `[${name.replace(/]/g, ']]')}]`;
  if (simple && !(column.exact && name !== name.toLowerCase())) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** Escapes replacement text for the TS string or template that holds the star (SQL files: as is). */
function hostEscaper(ctx: DetectorContext, statement: SqlStatement, at: number): (text: string) => string {
  if (statement.origin !== 'embedded' || !statement.node) return (t) => t;
  let quote = '';
  const find = (node: ts.Node): void => {
    if (at < node.getStart(ctx.file.ts) || at >= node.end) return;
    if (ts.isStringLiteral(node)) quote = ctx.file.text[node.getStart(ctx.file.ts)]!;
    else if (ts.isTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) quote = '`';
    ts.forEachChild(node, find);
  };
  find(statement.node);
  if (quote === '`') return (t) => t.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  if (quote)
    return (t) =>
      t
        .replace(/\\/g, '\\\\')
        .split(quote)
        .join('\\' + quote);
  return (t) => t;
}
