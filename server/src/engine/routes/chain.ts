import { codeRegex, type LinearRegex } from '../linear-regex.js';
import ts from 'typescript';
import { literalPath } from './paths.js';
import { requiredModule, type Origin, type Resolver } from '../names/resolver.js';
import { dottedName, propertyName, unwrap } from '../syntax/ast.js';
import { nodesOfKind } from '../syntax/node-index.js';

/**
 * The "chain" frameworks: Express, Koa (@koa/router) and Fastify. Apps, routers and plugin
 * instances are containers; calls on them (`get`, `use`, `addHook`, `register`...) are events
 * in source order; mounts attach a container to its parent at a position.
 */
export const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head']);
const CHAIN_METHODS = new Set([...HTTP_METHODS, 'use', 'route', 'addHook', 'register', 'prefix']);
export const FASTIFY_HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler']);

/** The calls of one file that may be routing calls (resolved against containers later). */
export interface ChainFileFacts {
  calls: ts.CallExpression[];
  /** `registerRoutes(app)`: calls that may hand a container to a function that registers routes. */
  invocations: ts.CallExpression[];
  /** For each invocation, the callee's last name, or null for `require('./routes')(app)`. */
  invocationNames: (string | null)[];
  /** The invocation names of the file (what decides whether any of them is followed). */
  invoked: Set<string | null>;
}

export function collectChainCalls(source: ts.SourceFile): ChainFileFacts {
  const facts: ChainFileFacts = { calls: [], invocations: [], invocationNames: [], invoked: new Set() };
  for (const node of nodesOfKind(source, ts.SyntaxKind.CallExpression)) {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee) && CHAIN_METHODS.has(callee.name.text)) facts.calls.push(node);
      // registerRoutes(app), initApp(express(), config): calls that may hand a container to a function.
      else if (
        node.arguments.some((a) => ts.isIdentifier(a) || ts.isCallExpression(a)) &&
        requiredModule(node) === undefined
      ) {
        const name = requiredModule(unwrap(callee)) !== undefined ? null : (dottedName(callee).split('.').pop() ?? '');
        facts.invocations.push(node);
        facts.invocationNames.push(name);
        facts.invoked.add(name);
      }
    }
  }
  return facts;
}

type ChainFramework = 'express' | 'koa' | 'fastify' | 'unknown';

/** An order within a container: events of the file that creates it come first. */
export type Order = readonly [number, number];

export function before(a: Order, b: Order): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

export interface Container {
  key: string;
  file: string;
  node: ts.Node;
  framework: ChainFramework;
  role: 'app' | 'router' | 'param';
  prefix: string;
  events: ChainEvent[];
  attachments: Attachment[];
}

export type ChainEvent =
  | {
      kind: 'route';
      file: string;
      order: Order;
      call: ts.CallExpression;
      method: string;
      path: string;
      pathNode: ts.Node;
      middleware: ts.Expression[];
      handler?: ts.Expression;
      options?: ts.ObjectLiteralExpression;
    }
  | {
      kind: 'use';
      file: string;
      order: Order;
      call: ts.CallExpression;
      paths?: string[];
      patterns?: LinearRegex[];
      middleware: ts.Expression[];
    }
  | { kind: 'hook'; file: string; order: Order; call: ts.CallExpression; hook: string; fn: ts.Expression }
  /** Hooks of a non-encapsulated (fastify-plugin) child apply to this container. */
  | { kind: 'shared'; file: string; order: Order; call: ts.CallExpression; child: Container };

export interface Attachment {
  parent: Container;
  file: string;
  order: Order;
  prefix: string;
  /** Middleware written in the mount call before the router: `app.use('/x', auth, router)`. */
  middleware: ts.Expression[];
  via: ts.CallExpression;
}

/** Builds the containers, events and mounts of the whole project. */
export class ChainModel {
  readonly containers = new Map<string, Container>();
  private children: Map<Container, Array<{ child: Container; attachment: Attachment }>> | undefined;

  constructor(private readonly resolver: Resolver) {}

  build(files: Map<string, ChainFileFacts>): void {
    // Routes and hooks first, so that mounts can tell a registering function's parameter from any other.
    const mounting = (call: ts.CallExpression) =>
      /^(use|register)$/.test((call.expression as ts.PropertyAccessExpression).name.text);
    for (const [file, facts] of files) for (const call of facts.calls) if (!mounting(call)) this.addCall(call, file);
    for (const [file, facts] of files) for (const call of facts.calls) if (mounting(call)) this.addCall(call, file);
    const registrars = this.registrarNames();
    // `require('./routes/patients')(app)` (no name) calls a module that exports its registrar.
    const followed = (name: string | null) => registrars === 'any' || name === null || registrars.has(name);
    for (const [file, facts] of files) {
      let any = false;
      for (const name of facts.invoked) if ((any = followed(name))) break;
      if (!any) continue;
      facts.invocations.forEach((call, i) => {
        if (followed(facts.invocationNames[i]!)) this.addInvocation(call, file);
      });
    }
  }

  /** The containers mounted in `parent`, each with its mount (built once, after `build`). */
  mountedIn(parent: Container): Array<{ child: Container; attachment: Attachment }> {
    if (!this.children) {
      this.children = new Map();
      for (const child of this.containers.values()) {
        for (const attachment of child.attachments) {
          const list = this.children.get(attachment.parent) ?? [];
          list.push({ child, attachment });
          this.children.set(attachment.parent, list);
        }
      }
    }
    return this.children.get(parent) ?? [];
  }

  /** A route path held by a constant: a name, a member of a constant object, a template of constants. */
  private constantPath(node: ts.Node, file: string, depth = 0): string[] {
    if (depth > 3) return [];
    const n = unwrap(node);
    if (ts.isTemplateExpression(n)) {
      let text = n.head.text;
      for (const span of n.templateSpans) {
        const part = this.constantPath(span.expression, file, depth + 1);
        if (part.length !== 1) return [];
        text += part[0]! + span.literal.text;
      }
      return [text];
    }
    if (!ts.isIdentifier(n) && !ts.isPropertyAccessExpression(n)) return [];
    const origin = this.resolver.origin(n, file);
    if (origin?.kind !== 'node' || origin.node === n) return [];
    const value = literalPath(origin.node);
    if (value !== undefined) return [value];
    return ts.isTemplateExpression(origin.node) ? this.constantPath(origin.node, origin.file, depth + 1) : [];
  }

  /** Names of the functions whose parameters receive routes (`function registerRoutes(app)`); 'any' when one is anonymous. */
  private registrarNames(): Set<string> | 'any' {
    const names = new Set<string>();
    for (const c of this.containers.values()) {
      if (c.role !== 'param' || c.events.length === 0 || c.attachments.length > 0) continue;
      const fn = c.node.parent;
      const name = fn && (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) ? fn.name?.text : undefined;
      const holder = fn?.parent;
      const assigned =
        holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)
          ? holder.name.text
          : holder && ts.isPropertyAssignment(holder)
            ? propertyName(holder.name)
            : undefined;
      if (!name && !assigned) return 'any';
      if (name) names.add(name);
      if (assigned) names.add(assigned);
    }
    return names;
  }

  private addCall(call: ts.CallExpression, file: string): void {
    const callee = call.expression as ts.PropertyAccessExpression;
    const method = callee.name.text;
    let receiver: ts.Expression = callee.expression;
    let routePath: ts.Node | undefined;
    if (HTTP_METHODS.has(method)) {
      const chained = routeChain(receiver);
      if (chained) ({ receiver, path: routePath } = chained);
    }
    receiver = chainRoot(receiver);
    const container = this.containerOf(receiver, file);
    if (!container) return;
    const order: Order = [file === container.file ? 0 : 1, call.getStart()];
    const args = [...call.arguments];
    if (HTTP_METHODS.has(method)) this.addRoute(container, call, file, order, method, args, routePath);
    else if (method === 'route' && args[0] && ts.isObjectLiteralExpression(unwrap(args[0])))
      this.addRouteObject(container, call, file, order, unwrap(args[0]) as ts.ObjectLiteralExpression);
    else if (method === 'use') this.addUse(container, call, file, order, args);
    else if (
      method === 'addHook' &&
      args.length >= 2 &&
      literalPath(args[0]) &&
      FASTIFY_HOOKS.has(literalPath(args[0])!)
    ) {
      container.events.push({ kind: 'hook', file, order, call, hook: literalPath(args[0])!, fn: args[1]! });
      if (container.framework === 'unknown') container.framework = 'fastify';
    } else if (method === 'register' && args[0]) this.addRegister(container, call, file, order, args);
    else if (method === 'prefix' && literalPath(args[0]) !== undefined) container.prefix = literalPath(args[0])!;
  }

  private addRoute(
    container: Container,
    call: ts.CallExpression,
    file: string,
    order: Order,
    method: string,
    args: ts.Expression[],
    routePath: ts.Node | undefined,
  ): void {
    let rest = args;
    let pathNode = routePath;
    if (!pathNode) {
      // koa-router named routes: router.get('name', '/path', handler)
      const named =
        args.length >= 3 &&
        literalPath(args[0]) !== undefined &&
        literalPath(args[1])?.startsWith('/') &&
        !literalPath(args[0])!.startsWith('/');
      pathNode = named ? args[1] : args[0];
      rest = args.slice(named ? 2 : 1);
    }
    // app.get(OAUTH_CALLBACK, handler), router.get(`${API}/visits`, ...): a path held by a constant.
    const written = routePaths(pathNode);
    const resolved = written.length > 0 || !pathNode ? written : this.constantPath(pathNode, file);
    const paths = resolved.filter(isRoutePath);
    if (!pathNode || paths.length === 0 || rest.length === 0) return;
    const options =
      rest.length >= 1 && ts.isObjectLiteralExpression(unwrap(rest[0]!))
        ? (unwrap(rest[0]!) as ts.ObjectLiteralExpression)
        : undefined;
    let handler: ts.Expression | undefined = rest[rest.length - 1];
    let middleware = rest.slice(0, -1);
    if (options) {
      middleware = [];
      handler = rest.length > 1 ? rest[rest.length - 1] : objectProperty(options, 'handler');
      if (container.framework === 'unknown') container.framework = 'fastify';
    }
    if (!handler) return;
    if (method === 'all' && !options && paths.every((p) => p.includes('*')) && !ts.isFunctionLike(unwrap(handler))) {
      // app.all('/api/*', requireAuth): middleware for the paths below, not a route.
      container.events.push({
        kind: 'use',
        file,
        order,
        call,
        paths: paths.map((p) => p.replace(/\/?\*.*$/, '') || '/'),
        middleware: rest,
      });
      return;
    }
    for (const path of paths)
      container.events.push({ kind: 'route', file, order, call, method, path, pathNode, middleware, handler, options });
  }

  private addRouteObject(
    container: Container,
    call: ts.CallExpression,
    file: string,
    order: Order,
    options: ts.ObjectLiteralExpression,
  ): void {
    const pathNode = objectProperty(options, 'url') ?? objectProperty(options, 'path');
    const methodNode = objectProperty(options, 'method');
    const path = literalPath(pathNode);
    if (!pathNode || path === undefined || !isRoutePath(path)) return;
    const methods =
      methodNode && ts.isArrayLiteralExpression(methodNode)
        ? methodNode.elements.map((e) => literalPath(e) ?? '?')
        : [literalPath(methodNode) ?? 'GET'];
    container.events.push({
      kind: 'route',
      file,
      order,
      call,
      method: methods.join('|').toLowerCase(),
      path,
      pathNode,
      middleware: [],
      handler: objectProperty(options, 'handler'),
      options,
    });
  }

  private addUse(
    container: Container,
    call: ts.CallExpression,
    file: string,
    order: Order,
    args: ts.Expression[],
  ): void {
    const paths = args[0] ? routePaths(args[0]) : [];
    // app.use(/^\/api/, auth): a regular expression scopes the middleware like a path.
    const patterns = paths.length === 0 && args[0] ? regexPaths(args[0]) : [];
    if (patterns.length > 0) {
      const middleware = args.slice(1).filter((a) => !isAllowedMethods(a));
      if (middleware.length > 0) container.events.push({ kind: 'use', file, order, call, patterns, middleware });
      return;
    }
    const rest = paths.length > 0 ? args.slice(1) : args;
    const middleware: ts.Expression[] = [];
    for (const arg of rest) {
      if (isAllowedMethods(arg)) continue;
      const mount = this.mountTarget(arg, file);
      if (mount) {
        for (const prefix of paths.length > 0 ? paths : ['']) {
          mount.container.attachments.push({
            parent: container,
            file,
            order,
            prefix: joinPrefix(prefix, mount.prefix),
            middleware: [...middleware],
            via: call,
          });
        }
      } else middleware.push(arg);
    }
    if (middleware.length > 0 && middleware.length === rest.filter((a) => !isAllowedMethods(a)).length)
      container.events.push({
        kind: 'use',
        file,
        order,
        call,
        paths: paths.length > 0 ? paths : undefined,
        middleware,
      });
  }

  private addRegister(
    container: Container,
    call: ts.CallExpression,
    file: string,
    order: Order,
    args: ts.Expression[],
  ): void {
    const plugin = this.pluginTarget(args[0]!, file);
    const options =
      args[1] && ts.isObjectLiteralExpression(unwrap(args[1]))
        ? (unwrap(args[1]) as ts.ObjectLiteralExpression)
        : undefined;
    const prefix = literalPath(options && objectProperty(options, 'prefix')) ?? '';
    if (container.framework === 'unknown') container.framework = 'fastify';
    if (!plugin) {
      this.addAutoload(container, call, file, order, args);
      return;
    }
    const child = this.paramContainer(plugin.fn, plugin.file, 0);
    if (!child) return;
    child.framework = 'fastify';
    child.attachments.push({ parent: container, file, order, prefix, middleware: [], via: call });
    if (!plugin.encapsulated) container.events.push({ kind: 'shared', file, order, call, child });
  }

  /**
   * `fastify.register(AutoLoad, { dir: path.join(__dirname, 'routes'), options: { prefix } })`:
   * every plugin file under the folder is registered, its sub-folders giving route prefixes.
   */
  private addAutoload(
    container: Container,
    call: ts.CallExpression,
    file: string,
    order: Order,
    args: ts.Expression[],
  ): void {
    const origin = args[0] && this.resolver.origin(args[0], file);
    if (origin?.kind !== 'package' || !/(^|\/)(@fastify\/autoload|fastify-autoload)$/.test(origin.module)) return;
    const options =
      args[1] && ts.isObjectLiteralExpression(unwrap(args[1]))
        ? (unwrap(args[1]) as ts.ObjectLiteralExpression)
        : undefined;
    const dirNode = objectProperty(options, 'dir');
    const parts = dirNode ? [...dirNode.getText().matchAll(/['"`]([^'"`]+)['"`]/g)].map((m) => m[1]!) : [];
    if (!dirNode || parts.length === 0 || !/__dirname|import\.meta/.test(dirNode.getText())) return;
    const here = file.split('/').slice(0, -1);
    const dir = parts
      .join('/')
      .split('/')
      .reduce((acc, seg) => (seg === '..' ? acc.slice(0, -1) : seg === '.' || seg === '' ? acc : [...acc, seg]), here)
      .join('/');
    const inner = objectProperty(options, 'options');
    const base =
      literalPath(
        inner && ts.isObjectLiteralExpression(unwrap(inner))
          ? objectProperty(unwrap(inner) as ts.ObjectLiteralExpression, 'prefix')
          : undefined,
      ) ?? '';
    for (const candidate of this.resolver.files) {
      if (!candidate.startsWith(dir + '/') || !/\.[cm]?[jt]s$/.test(candidate)) continue;
      const exported = this.resolver.exported(candidate, 'default');
      const fn = exported?.kind === 'node' && ts.isFunctionLike(exported.node) ? exported.node : undefined;
      if (!fn || exported?.kind !== 'node') continue;
      const child = this.paramContainer(fn, exported.file, 0);
      if (!child) continue;
      child.framework = 'fastify';
      const folders = candidate
        .slice(dir.length + 1)
        .split('/')
        .slice(0, -1)
        .join('/');
      child.attachments.push({
        parent: container,
        file,
        order,
        prefix: joinPrefix(base, folders ? '/' + folders : ''),
        middleware: [],
        via: call,
      });
    }
  }

  private addInvocation(call: ts.CallExpression, file: string): void {
    let origin = this.resolver.origin(call.expression, file);
    // `module.exports = (app) => { app.get(...) }` required and called: the module's default export.
    if (origin?.kind === 'node' && ts.isSourceFile(origin.node))
      origin = this.resolver.exported(origin.file, 'default');
    if (origin?.kind !== 'node' || !ts.isFunctionLike(origin.node)) return;
    const fn = origin.node;
    call.arguments.forEach((arg, i) => {
      if (!ts.isIdentifier(arg) && !ts.isCallExpression(arg)) return;
      const param = fn.parameters[i];
      const child = param ? this.containers.get(keyOf(origin.file, param)) : undefined;
      if (!child || child.events.length === 0) return;
      const parent = this.containerOf(arg, file);
      if (!parent || parent === child) return;
      const order: Order = [file === parent.file ? 0 : 1, call.getStart()];
      child.attachments.push({ parent, file, order, prefix: '', middleware: [], via: call });
    });
  }

  /** The container an expression refers to: an app/router/instance made somewhere, or a function parameter. */
  containerOf(expression: ts.Expression, file: string): Container | undefined {
    const origin = this.resolver.origin(expression, file);
    return origin ? this.containerAt(origin) : undefined;
  }

  private containerAt(origin: Origin): Container | undefined {
    if (origin.kind !== 'node') return undefined;
    const node = origin.node;
    const key = keyOf(origin.file, node);
    const known = this.containers.get(key);
    if (known) return known;
    if (ts.isParameter(node)) return this.create(key, origin.file, node, 'unknown', 'param', '');
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const made = this.creation(node, origin.file);
      if (made) return this.create(key, origin.file, node, made.framework, made.role, made.prefix);
    }
    return undefined;
  }

  private paramContainer(fn: ts.SignatureDeclaration, file: string, index: number): Container | undefined {
    const param = fn.parameters[index];
    if (!param) return undefined;
    const key = keyOf(file, param);
    return this.containers.get(key) ?? this.create(key, file, param, 'unknown', 'param', '');
  }

  private create(
    key: string,
    file: string,
    node: ts.Node,
    framework: ChainFramework,
    role: Container['role'],
    prefix: string,
  ): Container {
    const container: Container = { key, file, node, framework, role, prefix, events: [], attachments: [] };
    this.containers.set(key, container);
    return container;
  }

  /** `express()`, `express.Router()`, `new Koa()`, `new Router({ prefix })`, `Fastify()`. */
  private creation(
    node: ts.CallExpression | ts.NewExpression,
    file: string,
  ): { framework: ChainFramework; role: 'app' | 'router'; prefix: string } | undefined {
    const origin = this.resolver.origin(node.expression, file);
    const isNew = ts.isNewExpression(node);
    const options =
      node.arguments?.[0] && ts.isObjectLiteralExpression(node.arguments[0]) ? node.arguments[0] : undefined;
    const prefix = literalPath(options && objectProperty(options, 'prefix')) ?? '';
    let module: string | undefined;
    let member: string;
    if (origin?.kind === 'package') {
      module = origin.module;
      member = [...(origin.name === 'default' ? [] : [origin.name]), ...origin.members].join('.');
    } else {
      member = dottedName(node.expression);
    }
    if (module === 'express' || (!module && !isNew && /^(express|express\.Router|Router)$/.test(member))) {
      if (member === '' || member === 'express') return { framework: 'express', role: 'app', prefix: '' };
      if (/(^|\.)Router$/.test(member)) return { framework: 'express', role: 'router', prefix: '' };
      return undefined;
    }
    if (module === 'express-promise-router') return { framework: 'express', role: 'router', prefix: '' };
    if (module === 'koa' || (!module && isNew && member === 'Koa'))
      return { framework: 'koa', role: 'app', prefix: '' };
    if (
      module === '@koa/router' ||
      module === 'koa-router' ||
      (!module && isNew && /^(Router|KoaRouter)$/.test(member))
    )
      return { framework: 'koa', role: 'router', prefix };
    if (module === 'fastify' || (!module && /^[Ff]astify$/.test(member)))
      return { framework: 'fastify', role: 'app', prefix: '' };
    return undefined;
  }

  /** What `use` mounts: a router, `router.routes()`, `mount('/x', app)`, `require('./r')`, `makeRouter()`. */
  private mountTarget(
    expression: ts.Expression,
    file: string,
    depth = 0,
  ): { container: Container; prefix: string } | undefined {
    if (depth > 6) return undefined;
    const node = unwrap(expression);
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      /^(routes|middleware|callback)$/.test(node.expression.name.text)
    ) {
      return this.mountTarget(node.expression.expression, file, depth + 1);
    }
    if (
      ts.isCallExpression(node) &&
      dottedName(node.expression).split('.').pop() === 'mount' &&
      node.arguments.length === 2 &&
      literalPath(node.arguments[0]) !== undefined
    ) {
      const inner = this.mountTarget(node.arguments[1]!, file, depth + 1);
      return inner
        ? { container: inner.container, prefix: joinPrefix(literalPath(node.arguments[0])!, inner.prefix) }
        : undefined;
    }
    const origin = this.resolver.origin(node, file);
    const container = origin ? this.containerFromOrigin(origin, depth) : undefined;
    return container ? { container, prefix: '' } : undefined;
  }

  private containerFromOrigin(origin: Origin, depth: number): Container | undefined {
    if (origin.kind !== 'node' || depth > 6) return undefined;
    const node = origin.node;
    if (ts.isSourceFile(node)) {
      const exported = this.resolver.exported(origin.file, 'default');
      return exported ? this.containerFromOrigin(exported, depth + 1) : undefined;
    }
    const direct = this.containerAt(origin);
    if (direct && (direct.role !== 'param' || direct.events.length > 0)) return direct;
    if (ts.isCallExpression(node)) {
      if (ts.isPropertyAccessExpression(node.expression) && /^(routes|middleware)$/.test(node.expression.name.text))
        return this.mountTarget(node, origin.file, depth + 1)?.container;
      const callee = this.resolver.origin(node.expression, origin.file);
      if (callee?.kind === 'node' && ts.isFunctionLike(callee.node)) {
        for (const returned of returnedExpressions(callee.node)) {
          const found = this.mountTarget(returned, callee.file, depth + 1);
          if (found) return found.container;
        }
      }
    }
    return undefined;
  }

  /** What `register` registers: a plugin function, `fp(fn)`, `import('./plugin')`. */
  private pluginTarget(
    expression: ts.Expression,
    file: string,
    depth = 0,
    encapsulated = true,
  ): { fn: ts.SignatureDeclaration; file: string; encapsulated: boolean } | undefined {
    if (depth > 6) return undefined;
    const node = unwrap(expression);
    if (ts.isCallExpression(node) && requiredModule(node) === undefined && node.arguments[0]) {
      const name = dottedName(node.expression);
      if (/^(fp|fastifyPlugin|plugin)$/i.test(name) || /fastify-plugin/.test(name))
        return this.pluginTarget(node.arguments[0], file, depth + 1, false);
    }
    if (ts.isFunctionLike(node)) return { fn: node, file, encapsulated };
    let origin = this.resolver.origin(node, file);
    if (origin?.kind === 'node' && ts.isSourceFile(origin.node))
      origin = this.resolver.exported(origin.file, 'default');
    if (origin?.kind !== 'node') return undefined;
    if (ts.isFunctionLike(origin.node)) return { fn: origin.node, file: origin.file, encapsulated };
    if (ts.isCallExpression(origin.node) && origin.node !== node)
      return this.pluginTarget(origin.node, origin.file, depth + 1, encapsulated);
    return undefined;
  }
}

export function keyOf(file: string, node: ts.Node): string {
  return `${file}:${node.pos}`;
}

/** `app.route('/x').get(...)` -> receiver `app`, path `'/x'`. */
function routeChain(receiver: ts.Expression): { receiver: ts.Expression; path: ts.Node } | undefined {
  let node = unwrap(receiver);
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const name = node.expression.name.text;
    if (name === 'route' && node.arguments[0] && literalPath(node.arguments[0]) !== undefined)
      return { receiver: node.expression.expression, path: node.arguments[0] };
    if (!HTTP_METHODS.has(name)) return undefined;
    node = unwrap(node.expression.expression);
  }
  return undefined;
}

/** `app.use(a).use(b)` -> `app`. */
function chainRoot(receiver: ts.Expression): ts.Expression {
  let node = unwrap(receiver);
  while (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    (node.expression.name.text === 'use' || HTTP_METHODS.has(node.expression.name.text))
  ) {
    node = unwrap(node.expression.expression);
  }
  return node;
}

/** A route path argument: a string, or an array of strings. */
function routePaths(node: ts.Node | undefined): string[] {
  if (!node) return [];
  const n = unwrap(node);
  const single = literalPath(n);
  if (single !== undefined) return [single];
  if (ts.isArrayLiteralExpression(n)) {
    const all = n.elements.map((e) => literalPath(e));
    return all.every((p) => p !== undefined) ? all : [];
  }
  return [];
}

/** `/^\/api/`, `new RegExp('^/api')`, or an array of them: the paths a `use` applies to. */
function regexPaths(node: ts.Node): LinearRegex[] {
  const n = unwrap(node);
  const one = (e: ts.Node): LinearRegex | undefined => {
    const u = unwrap(e);
    if (ts.isRegularExpressionLiteral(u)) {
      const m = /^\/(.*)\/([a-z]*)$/s.exec(u.text);
      return m ? codeRegex(m[1]!, m[2]) : undefined;
    }
    if (
      ts.isNewExpression(u) &&
      dottedName(u.expression) === 'RegExp' &&
      u.arguments?.[0] &&
      ts.isStringLiteralLike(u.arguments[0])
    )
      return codeRegex(u.arguments[0].text);
    return undefined;
  };
  if (ts.isArrayLiteralExpression(n)) {
    const all = n.elements.map(one);
    return all.every((r) => r !== undefined) ? all : [];
  }
  const single = one(n);
  return single ? [single] : [];
}

export function objectProperty(
  object: ts.ObjectLiteralExpression | undefined,
  name: string,
): ts.Expression | undefined {
  if (!object) return undefined;
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && propertyName(p.name) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
    if (ts.isMethodDeclaration(p) && propertyName(p.name) === name) return p as unknown as ts.Expression;
  }
  return undefined;
}

function returnedExpressions(fn: ts.SignatureDeclaration): ts.Expression[] {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

function joinPrefix(a: string, b: string): string {
  if (!a || a === '/') return b;
  if (!b || b === '/') return a;
  return a.replace(/\/+$/, '') + '/' + b.replace(/^\/+/, '');
}

/** koa-router's `router.allowedMethods()`: answers OPTIONS/405, neither a route nor authentication. */
function isAllowedMethods(arg: ts.Expression): boolean {
  const node = unwrap(arg);
  return (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'allowedMethods'
  );
}

/** Route paths start with `/` (or are a catch-all): `cache.get('key', fallback)` is not a route. */
function isRoutePath(path: string): boolean {
  return path.startsWith('/') || path === '*' || path === '(.*)';
}
