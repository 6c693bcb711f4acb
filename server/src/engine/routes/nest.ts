import ts from 'typescript';
import type { AuthClassifier } from './auth.js';
import { objectProperty } from './chain.js';
import type { AuthStep, Place, RouteInfo } from './model.js';
import { joinPaths, literalPath, nodeRange } from './paths.js';
import { dottedName, enclosingFunctionOrFile, unwrap } from '../syntax/ast.js';
import { labelOf } from './steps.js';
import { nodesOfKind } from '../syntax/node-index.js';

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
  /** Some import or controller could not be resolved (a spread of an unknown list, a dynamic value). */
  uncertain: boolean;
}

interface App {
  root: ModuleInfo;
  prefix: string;
  guards: Array<{ expr: ts.Expression; file: string }>;
}

/**
 * Nest routes: controller and method guards (also through composite decorators built with
 * `applyDecorators(UseGuards(...))`), global guards of the application the controller belongs to
 * (APP_GUARD providers of its modules, `useGlobalGuards`), and opt-outs: a decorator that sets
 * metadata the guard in force reads through its `Reflector`. A controller that no module of a
 * bootstrapped application registers is not served.
 */
export function nestRoutes(files: Map<string, NestFileFacts>, auth: AuthClassifier): RouteInfo[] {
  const resolver = auth.resolver;
  const modules = new Map<ts.Node, ModuleInfo>();
  const moduleNodes = new Set<ts.Node>([...files.values()].flatMap((f) => f.modules));
  // A path alias the resolver does not know (`@app/patients`) looks like a package: find the class by its name.
  const byName = new Map<string, ts.Node[]>();
  for (const f of files.values()) {
    for (const c of [...f.modules, ...f.controllers])
      if (c.name) byName.set(c.name.text, [...(byName.get(c.name.text) ?? []), c]);
  }
  const named = (origin: { name: string; members: string[] }): ts.Node | undefined => {
    const name = origin.members.length > 0 ? origin.members[origin.members.length - 1]! : origin.name;
    const found = byName.get(name);
    return found?.length === 1 ? found[0] : undefined;
  };
  for (const [file, facts] of files) {
    for (const node of facts.modules) {
      const meta = decoratorArgs(decorator(node, 'Module'))[0];
      const object =
        meta && ts.isObjectLiteralExpression(unwrap(meta)) ? (unwrap(meta) as ts.ObjectLiteralExpression) : undefined;
      let uncertain = !!meta && !object;
      const list = (key: string) => {
        const value = objectProperty(object, key);
        if (!value) return [];
        const items = arrayItems(value, file, resolver);
        if (!items) uncertain = true;
        return items ?? [];
      };
      const resolveClass = (e: { node: ts.Expression; file: string }, modulesOnly: boolean): ts.Node | undefined => {
        const ref = moduleReference(e.node);
        const origin = resolver.origin(ref, e.file);
        if (origin?.kind === 'package') return named(origin);
        const target = origin?.kind === 'node' ? origin.node : undefined;
        if (!target || (modulesOnly ? !moduleNodes.has(target) : !ts.isClassLike(target))) {
          // An import that is not a project module: a package's module (`TypeOrmModule.forRoot()`) is fine.
          if (!(ts.isCallExpression(unwrap(e.node)) && origin?.kind !== 'node')) uncertain = true;
          return undefined;
        }
        return target;
      };
      const guards = list('providers').flatMap(({ node: p, file: f }) => {
        const o = unwrap(p);
        if (
          !ts.isObjectLiteralExpression(o) ||
          dottedName(objectProperty(o, 'provide') ?? o)
            .split('.')
            .pop() !== 'APP_GUARD'
        )
          return [];
        const guard = objectProperty(o, 'useClass') ?? objectProperty(o, 'useExisting');
        return guard ? [{ expr: guard, file: f }] : [];
      });
      const controllers = list('controllers')
        .map((c) => resolveClass(c, false))
        .filter((c): c is ts.Node => !!c);
      const imports = list('imports')
        .map((i) => resolveClass(i, true))
        .filter((i): i is ts.Node => !!i);
      modules.set(node, { node, file, controllers, imports, guards, uncertain });
    }
  }
  const apps: App[] = [];
  for (const [file, facts] of files) {
    for (const call of facts.factories) {
      const rootArg = call.arguments[0];
      const origin = rootArg && resolver.origin(rootArg, file);
      const root = origin?.kind === 'node' ? modules.get(origin.node) : undefined;
      if (!root) continue;
      const scope = enclosingFunctionOrFile(call);
      const guards: App['guards'] = [];
      let prefix = '';
      scope.forEachChild(function visit(node): void {
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
          if (node.expression.name.text === 'useGlobalGuards')
            for (const g of node.arguments) guards.push({ expr: g, file });
          if (node.expression.name.text === 'setGlobalPrefix') prefix = literalPath(node.arguments[0]) ?? prefix;
        }
        node.forEachChild(visit);
      });
      apps.push({ root, prefix, guards });
    }
  }
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
  // With a bootstrap in view whose module graph is fully resolved, modules it never reaches are not
  // served (a feature module nobody imports, a copy outside the source root). Otherwise a module
  // no one imports may be a root of its own (a library, an app whose bootstrap is not in view).
  const bootstrapped = apps.length > 0 && apps.every((a) => closure(a.root).every((m) => !m.uncertain));
  if (!bootstrapped) {
    const imported = new Set([...modules.values()].flatMap((m) => m.imports));
    for (const m of modules.values())
      if (!imported.has(m.node) && !apps.some((a) => a.root === m)) apps.push({ root: m, prefix: '', guards: [] });
  }
  const appsOf = new Map<ts.Node, Array<{ app: App; guards: App['guards'] }>>();
  for (const app of apps) {
    const members = closure(app.root);
    const guards = [...members.flatMap((m) => m.guards), ...app.guards];
    for (const m of members) {
      for (const c of m.controllers) {
        const list = appsOf.get(c) ?? [];
        // A controller listed by two modules of one application is served once.
        if (!list.some((x) => x.app === app)) appsOf.set(c, [...list, { app, guards }]);
      }
    }
  }
  const anyGlobal = apps.flatMap((a) => [...closure(a.root).flatMap((m) => m.guards), ...a.guards]);
  // A controller no module lists is not served, when the project's modules are all in view.
  const registrationKnown = modules.size > 0 && [...modules.values()].every((m) => !m.uncertain);
  const unregistered = new Set<ts.Node>();
  if (registrationKnown || bootstrapped) {
    const listed = new Set([...modules.values()].flatMap((m) => m.controllers));
    for (const facts of files.values())
      for (const c of facts.controllers) if (!appsOf.has(c) && (bootstrapped || !listed.has(c))) unregistered.add(c);
  }
  const metadata = new MetadataReads(auth);

  const routes: RouteInfo[] = [];
  for (const [file, facts] of files) {
    for (const controller of facts.controllers) {
      const controllerDecorator = decorator(controller, 'Controller')!;
      const controllerPrefix = controllerPath(decoratorArgs(controllerDecorator)[0], file, resolver);
      const classGuards = guardsOf(controller, file, auth);
      const classMarks = metadataMarks(controller, file, auth);
      const memberships = appsOf.get(controller) ?? [
        { app: { root: undefined as unknown as ModuleInfo, prefix: '', guards: [] }, guards: anyGlobal },
      ];
      for (const member of controller.members) {
        if (!ts.isMethodDeclaration(member)) continue;
        const routeDecorator = decorators(member).find((d) => METHOD_DECORATORS.has(decoratorName(d)));
        if (!routeDecorator) continue;
        const methodPath = constantText(decoratorArgs(routeDecorator)[0], file, resolver) ?? '';
        const marks = [...metadataMarks(member, file, auth), ...classMarks];
        for (const { app, guards } of memberships) {
          const steps: AuthStep[] = [];
          let authenticated = false;
          let excludedAny = false;
          let optOut: RouteInfo['optOut'];
          let ineffective: RouteInfo['ineffectiveOptOut'];
          const add = (g: { expr: ts.Expression; file: string }, level: AuthStep['level']) => {
            const verdict = auth.guard(g.expr, g.file);
            const step: AuthStep = {
              label: labelOf(g.expr),
              verdict: verdict.verdict,
              why: verdict.why,
              level,
              file: g.file,
              range: nodeRange(g.expr),
              ...(verdict.undecided ? { undecided: true } : {}),
            };
            const skip = verdict.verdict === 'auth' ? metadata.skipping(g, marks) : undefined;
            if (skip?.honoured) {
              step.excluded = skip.mark.place;
              optOut ??= skip.mark.place;
              excludedAny = true;
            } else if (verdict.verdict === 'auth') {
              authenticated = true;
              if (skip) ineffective ??= { ...skip.mark.place, why: `${step.label} never reads its metadata` };
            }
            steps.push(step);
          };
          for (const g of guards) add(g, 'global');
          for (const g of classGuards) add(g, 'guard');
          for (const g of guardsOf(member, file, auth)) add(g, 'guard');
          routes.push({
            framework: 'nest',
            method: decoratorName(routeDecorator).toUpperCase(),
            path: joinPaths(app.prefix, controllerPrefix, methodPath),
            file,
            range: nodeRange(routeDecorator),
            status: unregistered.has(controller)
              ? 'unmounted'
              : authenticated
                ? 'authenticated'
                : excludedAny
                  ? 'opted-out'
                  : steps.some((s) => s.undecided)
                    ? 'unverified'
                    : 'unauthenticated',
            auth: steps,
            optOut: !authenticated && excludedAny ? optOut : undefined,
            ...(authenticated && ineffective ? { ineffectiveOptOut: ineffective } : {}),
            handler: { file, node: member },
            registration: member,
          });
        }
      }
    }
  }
  return routes;
}

/** The items of a list in `@Module({...})`: array literals, spreads of lists declared elsewhere. Undefined when not all resolve. */
function arrayItems(
  value: ts.Expression,
  file: string,
  resolver: AuthClassifier['resolver'],
  depth = 0,
): Array<{ node: ts.Expression; file: string }> | undefined {
  if (depth > 4) return undefined;
  const n = unwrap(value);
  if (!ts.isArrayLiteralExpression(n)) {
    const origin = resolver.origin(n, file);
    return origin?.kind === 'node' && origin.node !== n && ts.isArrayLiteralExpression(unwrap(origin.node))
      ? arrayItems(origin.node as ts.Expression, origin.file, resolver, depth + 1)
      : undefined;
  }
  const out: Array<{ node: ts.Expression; file: string }> = [];
  for (const e of n.elements) {
    if (ts.isSpreadElement(e)) {
      const inner = arrayItems(e.expression, file, resolver, depth + 1);
      if (!inner) return undefined;
      out.push(...inner);
    } else out.push({ node: e, file });
  }
  return out;
}

/** `forwardRef(() => UsersModule)` and `FeatureModule.forRoot(...)` name `UsersModule` / `FeatureModule`. */
function moduleReference(node: ts.Expression): ts.Expression {
  const n = unwrap(node);
  if (ts.isCallExpression(n)) {
    if (
      dottedName(n.expression).split('.').pop() === 'forwardRef' &&
      n.arguments[0] &&
      ts.isArrowFunction(unwrap(n.arguments[0]))
    ) {
      const body = (unwrap(n.arguments[0]) as ts.ArrowFunction).body;
      if (!ts.isBlock(body)) return moduleReference(body);
    }
    if (ts.isPropertyAccessExpression(n.expression)) return n.expression.expression;
  }
  return n;
}

function controllerPath(arg: ts.Expression | undefined, file: string, resolver: AuthClassifier['resolver']): string {
  if (!arg) return '';
  const literal = constantText(arg, file, resolver);
  if (literal !== undefined) return literal;
  const n = unwrap(arg);
  if (ts.isObjectLiteralExpression(n)) return constantText(objectProperty(n, 'path'), file, resolver) ?? '';
  return '';
}

/** A path written as a string, or held by a constant (`@Controller(ROUTES.patients)`, `@Get(CALLBACK)`). */
function constantText(
  node: ts.Node | undefined,
  file: string,
  resolver: AuthClassifier['resolver'],
): string | undefined {
  if (!node) return undefined;
  const literal = literalPath(node);
  if (literal !== undefined) return literal;
  const n = unwrap(node);
  if (!ts.isIdentifier(n) && !ts.isPropertyAccessExpression(n)) return undefined;
  const origin = resolver.origin(n, file);
  return origin?.kind === 'node' && origin.node !== n ? literalPath(origin.node) : undefined;
}

/** `@UseGuards(...)` on a class or method, also inside a composite decorator (`applyDecorators(UseGuards(JwtGuard), ...)`). */
function guardsOf(node: ts.Node, file: string, auth: AuthClassifier): Array<{ expr: ts.Expression; file: string }> {
  const found: Array<{ expr: ts.Expression; file: string }> = [];
  for (const d of decorators(node)) {
    if (decoratorName(d) === 'UseGuards') {
      found.push(...decoratorArgs(d).map((expr) => ({ expr, file })));
      continue;
    }
    const composite = compositeOf(d, file, auth);
    if (!composite) continue;
    composite.fn.forEachChild(function visit(n): void {
      if (ts.isCallExpression(n) && dottedName(n.expression).split('.').pop() === 'UseGuards')
        found.push(...n.arguments.map((expr) => ({ expr, file: composite.file })));
      n.forEachChild(visit);
    });
  }
  return found;
}

/** The function behind a custom decorator (`@Auth()` -> `export function Auth() { return applyDecorators(...) }`). */
function compositeOf(d: ts.Decorator, file: string, auth: AuthClassifier): { fn: ts.Node; file: string } | undefined {
  const callee = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
  const origin = auth.resolver.origin(callee, file);
  if (origin?.kind !== 'node') return undefined;
  const node = unwrap(origin.node);
  if (ts.isFunctionLike(node) || ts.isCallExpression(node)) return { fn: node, file: origin.file };
  return undefined;
}

interface MetadataMark {
  /** The metadata keys the decorator sets (string values, or the name of the key constant). */
  keys: Set<string>;
  /** Named or keyed like a public-route opt-out. */
  publicLike: boolean;
  /** The decorator's definition is in view: `keys` is all it sets. */
  known: boolean;
  place: Place & { label: string };
}

/** What the decorators of a class or method set as metadata: `@Public()`, `@SetMetadata(KEY, true)`, composites of them. */
function metadataMarks(node: ts.Node, file: string, auth: AuthClassifier): MetadataMark[] {
  const k = auth.knowledge;
  const marks: MetadataMark[] = [];
  for (const d of decorators(node)) {
    const name = decoratorName(d);
    if (name === 'UseGuards' || METHOD_DECORATORS.has(name) || name === 'Controller') continue;
    const keys = new Set<string>();
    const collect = (n: ts.Node, at: string): void => {
      if (ts.isCallExpression(n) && dottedName(n.expression).split('.').pop() === 'SetMetadata' && n.arguments[0])
        for (const key of keyNames(n.arguments[0], at, auth)) keys.add(key);
      n.forEachChild((c) => collect(c, at));
    };
    collect(d.expression, file);
    const composite = compositeOf(d, file, auth);
    if (composite) {
      collect(composite.fn, composite.file);
      // export const Public = Reflector.createDecorator<boolean>(): the decorator is its own key.
      if (ts.isCallExpression(composite.fn) && /createDecorator$/.test(dottedName(composite.fn.expression)))
        keys.add(name);
    }
    const publicLike = k.optOutDecorators.has(name) || [...keys].some((key) => k.optOutMetadataKeys.has(key));
    const known = !!composite || name === 'SetMetadata';
    if (keys.size > 0 || publicLike)
      marks.push({ keys, publicLike, known, place: { file, range: nodeRange(d), label: labelOf(d) } });
  }
  return marks;
}

/** A metadata key written as a string, a constant holding one (both names kept), or a member of an enum/object. */
function keyNames(node: ts.Expression, file: string, auth: AuthClassifier): string[] {
  const literal = literalPath(node);
  if (literal !== undefined) return [literal];
  const names = [dottedName(node).split('.').pop() ?? ''];
  const origin = auth.resolver.origin(node, file);
  if (origin?.kind === 'node') {
    const value = ts.isVariableDeclaration(origin.node) ? origin.node.initializer : origin.node;
    const text = value && literalPath(unwrap(value));
    if (text !== undefined) names.push(text);
  }
  return names.filter(Boolean);
}

/** Which metadata keys a guard reads through its Reflector, per guard class. */
class MetadataReads {
  private readonly byGuard = new Map<ts.Node, Set<string> | 'unknown'>();
  constructor(private readonly auth: AuthClassifier) {}

  /** The opt-out a guard skips for this route: honoured when the guard reads one of its keys. */
  skipping(
    guard: { expr: ts.Expression; file: string },
    marks: MetadataMark[],
  ): { mark: MetadataMark; honoured: boolean } | undefined {
    if (marks.length === 0) return undefined;
    const reads = this.readsOf(guard);
    for (const mark of marks) {
      const honoured =
        reads === 'unknown' || (!mark.known && reads.size > 0)
          ? mark.publicLike
          : [...mark.keys].some((key) => reads.has(key));
      if (honoured) return { mark, honoured: true };
    }
    const publicMark = marks.find((m) => m.publicLike);
    return publicMark ? { mark: publicMark, honoured: false } : undefined;
  }

  /** Keys read by `reflector.get/getAllAndOverride/getAllAndMerge(KEY, ...)` in the guard class; 'unknown' when the class is not in view. */
  private readsOf(guard: { expr: ts.Expression; file: string }): Set<string> | 'unknown' {
    const node = unwrap(guard.expr);
    const target = ts.isNewExpression(node) ? node.expression : node;
    // A package guard (`AuthGuard('jwt')` of @nestjs/passport) reads no route metadata.
    if (ts.isCallExpression(target))
      return this.auth.knowledge.guards.has(dottedName(target.expression).split('.').pop() ?? '')
        ? new Set()
        : 'unknown';
    const origin = this.auth.resolver.origin(target, guard.file);
    if (origin?.kind !== 'node' || !ts.isClassLike(origin.node))
      return origin?.kind === 'package' ? new Set() : 'unknown';
    const cls = origin.node;
    const known = this.byGuard.get(cls);
    if (known) return known;
    const keys = new Set<string>();
    const auth = this.auth;
    cls.forEachChild(function visit(n): void {
      if (
        ts.isCallExpression(n) &&
        ts.isPropertyAccessExpression(n.expression) &&
        /^(get|getAllAndOverride|getAllAndMerge)$/.test(n.expression.name.text) &&
        /reflector/i.test(n.expression.expression.getText()) &&
        n.arguments[0]
      ) {
        for (const key of keyNames(n.arguments[0], origin.file, auth)) keys.add(key);
      }
      n.forEachChild(visit);
    });
    this.byGuard.set(cls, keys);
    return keys;
  }
}
