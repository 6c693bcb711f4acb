import ts from 'typescript';
import { dottedName, type AuthClassifier } from './auth.js';
import { objectProperty } from './chain.js';
import type { AuthStep, Place, RouteInfo } from './model.js';
import { joinPaths, literalPath, nodeRange } from './paths.js';
import { unwrap } from './resolve.js';
import { labelOf } from './steps.js';
import { nodesOfKind } from '../syntax-index.js';

const METHOD_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head', 'Search']);

/** Nest classes of one file: controllers, modules, and `NestFactory.create(...)` bootstraps. */
export interface NestFileFacts {
  controllers: ts.ClassDeclaration[];
  modules: ts.ClassDeclaration[];
  factories: ts.CallExpression[];
}

export function collectNest(source: ts.SourceFile): NestFileFacts {
  const facts: NestFileFacts = { controllers: [], modules: [], factories: [] };
  for (const node of nodesOfKind(source, ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.CallExpression)) {
    if (ts.isClassDeclaration(node)) {
      if (decorator(node, 'Controller')) facts.controllers.push(node);
      if (decorator(node, 'Module')) facts.modules.push(node);
    }
    if (ts.isCallExpression(node) && dottedName(node.expression) === 'NestFactory.create') facts.factories.push(node);
  }
  return facts;
}

function decorators(node: ts.Node): ts.Decorator[] {
  return ts.canHaveDecorators(node) ? [...(ts.getDecorators(node) ?? [])] : [];
}

function decoratorName(d: ts.Decorator): string {
  return dottedName(d.expression).split('.').pop() ?? '';
}

function decorator(node: ts.Node, name: string): ts.Decorator | undefined {
  return decorators(node).find((d) => decoratorName(d) === name);
}

function decoratorArgs(d: ts.Decorator | undefined): readonly ts.Expression[] {
  return d && ts.isCallExpression(d.expression) ? d.expression.arguments : [];
}

interface ModuleInfo {
  node: ts.ClassDeclaration;
  file: string;
  controllers: ts.Node[];
  imports: ts.Node[];
  guards: Array<{ expr: ts.Expression; file: string }>;
}

interface App {
  root: ModuleInfo;
  prefix: string;
  guards: Array<{ expr: ts.Expression; file: string }>;
}

/**
 * Nest routes: controller and method guards, global guards of the application the controller
 * belongs to (APP_GUARD providers of its modules, `useGlobalGuards`), `@Public()` opt-outs.
 */
export function nestRoutes(files: Map<string, NestFileFacts>, auth: AuthClassifier): RouteInfo[] {
  const resolver = auth.resolver;
  const modules = new Map<ts.Node, ModuleInfo>();
  for (const [file, facts] of files) {
    for (const node of facts.modules) {
      const meta = decoratorArgs(decorator(node, 'Module'))[0];
      const object = meta && ts.isObjectLiteralExpression(unwrap(meta)) ? (unwrap(meta) as ts.ObjectLiteralExpression) : undefined;
      const list = (key: string) => {
        const value = objectProperty(object, key);
        return value && ts.isArrayLiteralExpression(unwrap(value)) ? [...(unwrap(value) as ts.ArrayLiteralExpression).elements] : [];
      };
      const resolveClass = (e: ts.Expression): ts.Node => {
        const origin = resolver.origin(e, file);
        return origin?.kind === 'node' ? origin.node : e;
      };
      const guards = list('providers').flatMap((p) => {
        const o = unwrap(p);
        if (!ts.isObjectLiteralExpression(o) || dottedName(objectProperty(o, 'provide') ?? o).split('.').pop() !== 'APP_GUARD') return [];
        const guard = objectProperty(o, 'useClass') ?? objectProperty(o, 'useExisting');
        return guard ? [{ expr: guard, file }] : [];
      });
      modules.set(node, { node, file, controllers: list('controllers').map(resolveClass), imports: list('imports').map(resolveClass), guards });
    }
  }
  const apps: App[] = [];
  for (const [file, facts] of files) {
    for (const call of facts.factories) {
      const rootArg = call.arguments[0];
      const origin = rootArg && resolver.origin(rootArg, file);
      const root = origin?.kind === 'node' ? modules.get(origin.node) : undefined;
      if (!root) continue;
      const scope = enclosingFunction(call);
      const guards: App['guards'] = [];
      let prefix = '';
      scope.forEachChild(function visit(node): void {
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
          if (node.expression.name.text === 'useGlobalGuards') for (const g of node.arguments) guards.push({ expr: g, file });
          if (node.expression.name.text === 'setGlobalPrefix') prefix = literalPath(node.arguments[0]) ?? prefix;
        }
        node.forEachChild(visit);
      });
      apps.push({ root, prefix, guards });
    }
  }
  // Modules no bootstrap names are roots of their own (a library module, a test module).
  const imported = new Set([...modules.values()].flatMap((m) => m.imports));
  for (const m of modules.values()) if (!imported.has(m.node) && !apps.some((a) => a.root === m)) apps.push({ root: m, prefix: '', guards: [] });
  const closure = (root: ModuleInfo): ModuleInfo[] => {
    const seen = new Set<ModuleInfo>();
    const walk = (m: ModuleInfo) => {
      if (seen.has(m)) return;
      seen.add(m);
      for (const i of m.imports) {
        const child = modules.get(i);
        if (child) walk(child);
      }
    };
    walk(root);
    return [...seen];
  };
  const appsOf = new Map<ts.Node, Array<{ app: App; guards: App['guards'] }>>();
  for (const app of apps) {
    const members = closure(app.root);
    const guards = [...members.flatMap((m) => m.guards), ...app.guards];
    for (const m of members) for (const c of m.controllers) appsOf.set(c, [...(appsOf.get(c) ?? []), { app, guards }]);
  }
  const anyGlobal = apps.flatMap((a) => [...closure(a.root).flatMap((m) => m.guards), ...a.guards]);

  const routes: RouteInfo[] = [];
  for (const [file, facts] of files) {
    for (const controller of facts.controllers) {
      const controllerDecorator = decorator(controller, 'Controller')!;
      const controllerPrefix = controllerPath(decoratorArgs(controllerDecorator)[0]);
      const classGuards = guardsOf(controller, file);
      const classOptOut = optOutOf(controller, file, auth);
      const memberships = appsOf.get(controller) ?? [{ app: { root: undefined as unknown as ModuleInfo, prefix: '', guards: [] }, guards: anyGlobal }];
      for (const member of controller.members) {
        if (!ts.isMethodDeclaration(member)) continue;
        const routeDecorator = decorators(member).find((d) => METHOD_DECORATORS.has(decoratorName(d)));
        if (!routeDecorator) continue;
        const methodPath = literalPath(decoratorArgs(routeDecorator)[0]) ?? '';
        const optOut = optOutOf(member, file, auth) ?? classOptOut;
        for (const { app, guards } of memberships) {
          const steps: AuthStep[] = [];
          let authenticated = false;
          let excludedAny = false;
          const add = (g: { expr: ts.Expression; file: string }, level: AuthStep['level'], global: boolean) => {
            const verdict = auth.guard(g.expr, g.file);
            const step: AuthStep = { label: labelOf(g.expr), verdict: verdict.verdict, why: verdict.why, level, file: g.file, range: nodeRange(g.expr) };
            if (verdict.verdict === 'auth' && optOut && (global || verdict.honoursOptOut)) {
              step.excluded = optOut;
              excludedAny = true;
            } else if (verdict.verdict === 'auth') authenticated = true;
            steps.push(step);
          };
          for (const g of guards) add(g, 'global', true);
          for (const g of classGuards) add(g, 'guard', false);
          for (const g of guardsOf(member, file)) add(g, 'guard', false);
          routes.push({
            framework: 'nest',
            method: decoratorName(routeDecorator).toUpperCase(),
            path: joinPaths(app.prefix, controllerPrefix, methodPath),
            file,
            range: nodeRange(routeDecorator),
            status: authenticated ? 'authenticated' : excludedAny ? 'opted-out' : 'unauthenticated',
            auth: steps,
            optOut: !authenticated && excludedAny ? optOut : undefined,
            handler: { file, node: member },
            registration: member,
          });
        }
      }
    }
  }
  return routes;
}

function controllerPath(arg: ts.Expression | undefined): string {
  if (!arg) return '';
  const literal = literalPath(arg);
  if (literal !== undefined) return literal;
  const n = unwrap(arg);
  if (ts.isObjectLiteralExpression(n)) return literalPath(objectProperty(n, 'path')) ?? '';
  return '';
}

function guardsOf(node: ts.Node, file: string): Array<{ expr: ts.Expression; file: string }> {
  return decorators(node)
    .filter((d) => decoratorName(d) === 'UseGuards')
    .flatMap((d) => decoratorArgs(d).map((expr) => ({ expr, file })));
}

/** `@Public()`, `@SetMetadata(IS_PUBLIC_KEY, true)`, or a decorator defined as one of them. */
function optOutOf(node: ts.Node, file: string, auth: AuthClassifier): (Place & { label: string }) | undefined {
  const k = auth.knowledge;
  for (const d of decorators(node)) {
    const name = decoratorName(d);
    if (k.optOutDecorators.has(name) || isPublicMetadata(d.expression, k.optOutMetadataKeys)) return { file, range: nodeRange(d), label: labelOf(d) };
    const origin = auth.resolver.origin(ts.isCallExpression(d.expression) ? d.expression.expression : d.expression, file);
    if (origin?.kind === 'node' && ts.isFunctionLike(origin.node)) {
      let found = false;
      origin.node.forEachChild(function visit(n): void {
        if (ts.isCallExpression(n) && isPublicMetadata(n, k.optOutMetadataKeys)) found = true;
        n.forEachChild(visit);
      });
      if (found) return { file, range: nodeRange(d), label: labelOf(d) };
    }
  }
  return undefined;
}

function isPublicMetadata(expression: ts.Expression, keys: ReadonlySet<string>): boolean {
  if (!ts.isCallExpression(expression) || dottedName(expression.expression) !== 'SetMetadata') return false;
  const [key, value] = expression.arguments;
  const keyName = key && (literalPath(key) ?? dottedName(key).split('.').pop());
  return !!keyName && keys.has(keyName) && value?.kind === ts.SyntaxKind.TrueKeyword;
}

function enclosingFunction(node: ts.Node): ts.Node {
  let current: ts.Node = node;
  while (current.parent && !ts.isFunctionLike(current) && !ts.isSourceFile(current)) current = current.parent;
  return current;
}
