import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { healthDataIn } from '../flow/health-value.js';
import { classifierFor, type Category } from '../vocabulary/classify.js';
import { splitWords } from '../vocabulary/words.js';
import type { RouteInfo } from './model.js';
import { unwrap } from './resolve.js';

export interface Exposure {
  category: Category;
  /** `returns`: what the handler sends or reads; `path`: only the route's path names it. */
  kind: 'returns' | 'path';
  /** e.g. `res.json(resultat)`, `a query on resultats`, `its path (/resultats)`. */
  via: string;
}

const SEND_CALLS = new Set(['json', 'send', 'jsonp', 'render', 'end', 'write', 'response', 'attachment', 'download', 'sendFile']);
const READ_CALLS = new Set(['select', 'first', 'pluck', 'find', 'findOne', 'findMany', 'findUnique', 'findFirst', 'findAll', 'findBy', 'findOneBy', 'findByPk', 'findById', 'findAndCount', 'query', 'raw', 'getMany', 'getOne', 'getRawMany', 'aggregate', 'lean']);

/** Does a route send health data: what reaches the response, the tables it reads, its path words. */
export function exposureOf(route: RouteInfo, context: DetectorContext): Exposure | undefined {
  const fn = handlerBody(route);
  if (fn) {
    const sent = sentValues(fn, route.framework !== 'express' && route.framework !== 'koa');
    for (const value of sent) {
      const evidence = healthDataIn(value, context);
      if (evidence) return { kind: 'returns', category: evidence.category, via: `${shorten(value.parent && ts.isCallExpression(value.parent) ? value.parent : value)}` };
    }
    if (sent.length > 0) {
      const read = sensitiveRead(fn, context);
      if (read) return read;
    }
  }
  return pathExposure(route, context);
}

/** Response methods: what they send is the only thing a constant handler may do. */
const RESPONSE_CALLS = new Set([...SEND_CALLS, 'status', 'sendStatus', 'code', 'type', 'set', 'setHeader', 'header', 'json', 'next', 'end']);

/**
 * A handler that answers a constant (`res.send({ index: true })`, `return 'OK'`, `res.status(404).end()`)
 * reads and changes nothing: there is no data behind the route to protect.
 */
export function answersConstant(route: RouteInfo): boolean {
  const fn = handlerBody(route);
  if (!fn) return false;
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return false;
  let constant = true;
  const params = new Set(ts.isFunctionLike(fn) ? fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])) : []);
  const responder = (callee: ts.Expression): boolean => {
    let root: ts.Node = callee;
    while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
    return ts.isIdentifier(root) && (params.has(root.text) || /^(res|reply|response|ctx|h|NextResponse|Response)$/.test(root.text));
  };
  const visit = (node: ts.Node): void => {
    if (!constant) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (!((RESPONSE_CALLS.has(name) || name === 'Response') && responder(callee)) || !(node.arguments ?? []).every(isConstant)) {
        constant = false;
        return;
      }
    } else if (ts.isReturnStatement(node) && node.expression && !ts.isCallExpression(unwrap(node.expression)) && !isConstant(node.expression)) constant = false;
    else if (ts.isAwaitExpression(node) || ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && !/\.(body|status)$/.test(node.left.getText())) constant = false;
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && !isConstant(node.right)) constant = false;
    ts.forEachChild(node, visit);
  };
  if (ts.isBlock(body)) ts.forEachChild(body, visit);
  else if (ts.isCallExpression(unwrap(body))) visit(unwrap(body));
  else constant = isConstant(body as ts.Expression);
  return constant;
}

function isConstant(node: ts.Expression): boolean {
  const n = unwrap(node) as ts.Expression;
  if (isLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || n.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isPrefixUnaryExpression(n)) return isConstant(n.operand);
  if (ts.isArrayLiteralExpression(n)) return n.elements.every((e) => isConstant(e as ts.Expression));
  if (ts.isObjectLiteralExpression(n)) return n.properties.every((p) => ts.isPropertyAssignment(p) && isConstant(p.initializer));
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
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && SEND_CALLS.has(node.expression.name.text)) {
      values.push(...node.arguments.filter((a) => !isLiteral(a)));
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Response' && node.arguments?.[0]) values.push(node.arguments[0]);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && /\.body$/.test(node.left.getText())) values.push(node.right);
    if (returns && depth === 0 && ts.isReturnStatement(node) && node.expression && !isLiteral(node.expression)) values.push(node.expression);
    if (returns && depth === 0 && ts.isArrowFunction(fn) && node === fn.body && !ts.isBlock(node)) values.push(node as ts.Expression);
    ts.forEachChild(node, (c) => visit(c, depth));
  };
  ts.forEachChild(fn, (c) => visit(c, 0));
  return values;
}

function isLiteral(node: ts.Expression): boolean {
  return ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword;
}

/** A read of a sensitive table or column inside the handler: SQL text, knex/ORM calls. */
function sensitiveRead(fn: ts.Node, context: DetectorContext): Exposure | undefined {
  const classifier = classifierFor(context.config);
  let found: Exposure | undefined;
  /** Tables, models and entities are containers: `resultats` counts by itself, `valeur` only inside one. */
  const check = (name: string, via: string, container?: string) => {
    if (found) return;
    const c = container === undefined ? classifier.classify(name, { kind: 'table' }) : classifier.classify(name, { kind: 'column', container });
    if (c?.special) found = { kind: 'returns', category: c.category, via };
  };
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
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
        for (const m of chain.matchAll(/(?:knex|db|table|from|getRepository|model)\(\s*['"`]?(\w+)/g)) check(m[1]!, `a query on ${m[1]}`);
        const prisma = /\.(\w+)\.(find\w*|aggregate)$/.exec(chain);
        if (prisma) check(prisma[1]!, `a query on ${prisma[1]}`);
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
  if (select) for (const m of select[1]!.matchAll(/\b([a-z_][\w]*)\b/gi)) if (!/^(as|distinct|case|when|then|else|end|null|and|or|not|current_setting|coalesce|count)$/i.test(m[1]!)) columns.push(m[1]!);
  for (const m of sql.matchAll(/\b(?:from|join)\s+([\w."]+)/gi)) tables.push(m[1]!.replace(/"/g, '').split('.').pop()!);
  return { tables, columns };
}

/** `/api/resultats/:id`: the path itself names health data. */
function pathExposure(route: RouteInfo, context: DetectorContext): Exposure | undefined {
  const classifier = classifierFor(context.config);
  for (const segment of route.path.split('/')) {
    if (!segment || /^[:{\[]/.test(segment)) continue;
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
