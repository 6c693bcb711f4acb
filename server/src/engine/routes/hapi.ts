import ts from 'typescript';
import type { AuthClassifier } from './auth.js';
import { objectProperty } from './chain.js';
import type { AuthStep, RouteInfo, RouteStatus } from './model.js';
import { literalPath, nodeRange } from './paths.js';
import { unwrap } from '../syntax/ast.js';
import { labelOf } from './steps.js';
import { nodesOfKind } from '../syntax/node-index.js';

/** Hapi calls of one file: `server.route(...)` with route objects, `server.auth.default(...)`. */
export interface HapiFileFacts {
  routes: ts.ObjectLiteralExpression[];
  defaults: ts.CallExpression[];
}

export function collectHapi(source: ts.SourceFile): HapiFileFacts {
  const facts: HapiFileFacts = { routes: [], defaults: [] };
  for (const node of nodesOfKind(source, ts.SyntaxKind.CallExpression)) {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      const arg = node.arguments[0] && unwrap(node.arguments[0]);
      if (name === 'route' && arg) {
        const objects = ts.isArrayLiteralExpression(arg) ? arg.elements.map(unwrap) : [arg];
        for (const o of objects) if (ts.isObjectLiteralExpression(o) && isHapiRoute(o)) facts.routes.push(o);
      }
      if (
        name === 'default' &&
        ts.isPropertyAccessExpression(node.expression.expression) &&
        node.expression.expression.name.text === 'auth'
      )
        facts.defaults.push(node);
    }
  }
  return facts;
}

/** `{ method, path, handler | options }` and not Fastify's `url`. */
function isHapiRoute(o: ts.ObjectLiteralExpression): boolean {
  return (
    !!objectProperty(o, 'method') && literalPath(objectProperty(o, 'path')) !== undefined && !objectProperty(o, 'url')
  );
}

/**
 * Hapi routes. `server.auth.default()` applies to every route of the server, even those added
 * before it; `auth: false` opts out; `mode: 'try'` / `'optional'` lets anonymous callers in.
 */
export function hapiRoutes(files: Map<string, HapiFileFacts>, auth: AuthClassifier): RouteInfo[] {
  const allDefaults = [...files.entries()].flatMap(([file, f]) => f.defaults.map((call) => ({ file, call })));
  const routes: RouteInfo[] = [];
  for (const [file, facts] of files) {
    const fileDefault = allDefaults.find((d) => d.file === file) ?? allDefaults[0];
    for (const route of facts.routes) {
      const pathNode = objectProperty(route, 'path')!;
      const options = objectLiteral(objectProperty(route, 'options')) ?? objectLiteral(objectProperty(route, 'config'));
      const authNode = objectProperty(options, 'auth');
      const methodNode = objectProperty(route, 'method');
      const method =
        methodNode && ts.isArrayLiteralExpression(methodNode)
          ? methodNode.elements.map((e) => literalPath(e) ?? '?').join('|')
          : (literalPath(methodNode) ?? '*');
      const steps: AuthStep[] = [];
      let status: RouteStatus = 'unauthenticated';
      let optOut: RouteInfo['optOut'];
      if (fileDefault)
        steps.push({
          label: labelOf(fileDefault.call),
          verdict: 'auth',
          why: 'the default strategy of the server',
          level: 'strategy',
          file: fileDefault.file,
          range: nodeRange(fileDefault.call),
        });
      if (authNode && authNode.kind === ts.SyntaxKind.FalseKeyword) {
        const place = { file, range: nodeRange(authNode.parent), label: 'auth: false' };
        if (steps[0]) steps[0].excluded = place;
        optOut = place;
        status = 'opted-out';
      } else if (authNode) {
        const mode = literalPath(objectProperty(objectLiteral(authNode), 'mode'));
        if (mode === 'try' || mode === 'optional') {
          status = 'optional';
          steps.push({
            label: labelOf(authNode.parent),
            verdict: 'not-auth',
            why: `mode '${mode}' lets unauthenticated callers through`,
            level: 'route',
            file,
            range: nodeRange(authNode.parent),
          });
        } else {
          status = 'authenticated';
          steps.push({
            label: labelOf(authNode.parent),
            verdict: 'auth',
            why: 'route authentication strategy',
            level: 'route',
            file,
            range: nodeRange(authNode.parent),
          });
        }
      } else if (fileDefault) status = 'authenticated';
      const handler = objectProperty(route, 'handler') ?? objectProperty(options, 'handler');
      if (
        status === 'unauthenticated' &&
        handler &&
        ts.isFunctionLike(unwrap(handler)) &&
        auth.body(unwrap(handler), file, 0, true).verdict === 'auth'
      )
        status = 'authenticated';
      routes.push({
        framework: 'hapi',
        method: method.toUpperCase(),
        path: literalPath(pathNode)!,
        file,
        range: nodeRange(pathNode),
        status,
        auth: steps,
        optOut,
        handler: handler ? { file, node: handler } : undefined,
        registration: route,
      });
    }
  }
  return routes;
}

function objectLiteral(node: ts.Node | undefined): ts.ObjectLiteralExpression | undefined {
  const n = node && unwrap(node);
  return n && ts.isObjectLiteralExpression(n) ? n : undefined;
}
