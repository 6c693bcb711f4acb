import ts from 'typescript';
import type { DetectorContext } from '../detector.js';
import { vocabularyOf } from '../pack.js';
import { hostOfText, urlTarget, type UrlTarget } from './hosts.js';
import { accessChain, bindingOf, namingIdentifier, requireOf, type Binding } from '../names/binding.js';
import { unwrap } from '../syntax/ast.js';
import { nameMatches, termList } from './terms.js';

/** A call that sends data outside the system. */
export interface ThirdPartySink {
  kind: 'http' | 'sdk';
  /** HTTP: where the request goes. */
  target?: UrlTarget;
  /** HTTP: the expression the target was read from (the URL, or the client's base URL). */
  url?: ts.Expression;
  /** SDK: its name and kind (`Segment`, `analytics`). */
  sdk?: string;
  sdkKind?: string;
  label: string;
  /** The arguments that carry data (not the URL, not the error of captureException). */
  payload: ts.Expression[];
  /** Object storage and media hosts: the options that name the uploaded object (`Key`, `folder`, `public_id`). */
  documentOptions?: string[];
}

interface SdkSpec {
  name: string;
  kind: string;
  modules?: string[];
  receivers?: string[];
  functions?: string[];
  methods?: string[];
  constructors?: string[];
  skipFirstArgument?: string[];
  anyReceiver?: boolean;
  documentOptions?: string[];
  /** The option holding a model object whose package names the real provider (`model: openai('gpt-4o')`). */
  modelOption?: string;
}

interface HttpSpec {
  functions?: string[];
  modules?: string[];
  receivers?: string[];
  methods?: string[];
  factories?: string[];
  baseUrlOptions?: string[];
  streamWrites?: string[];
}

interface ThirdPartyData {
  http?: HttpSpec;
  sdks?: SdkSpec[];
  aiProviders?: Record<string, string>;
  localAiProviders?: string[];
}

function data(ctx: DetectorContext): Required<ThirdPartyData> {
  return vocabularyOf<Required<ThirdPartyData>>(ctx.config.pack, 'third-party');
}

export function thirdPartySinkOf(
  node: ts.CallExpression | ts.NewExpression,
  ctx: DetectorContext,
): ThirdPartySink | undefined {
  if (ts.isNewExpression(node)) return sdkConstructor(node, ctx);
  return httpCall(node, ctx) ?? sdkCall(node, ctx);
}

// ---- HTTP clients ------------------------------------------------------------------------

function httpCall(call: ts.CallExpression, ctx: DetectorContext): ThirdPartySink | undefined {
  const spec = data(ctx).http;
  const callee = unwrap(call.expression);
  const { names } = accessChain(callee);
  const args = [...call.arguments];
  if (ts.isIdentifier(callee) || (names.length === 2 && ['window', 'globalThis', 'self'].includes(names[0]!))) {
    // fetch(url, init), got(url, opts), axios(config), ky(url, opts), undici.request
    const name = names[names.length - 1]!;
    const binding = ts.isIdentifier(callee) ? bindingOf(callee, ctx) : undefined;
    const fromModule = binding?.module && spec.modules?.includes(binding.module);
    if (!(spec.functions?.includes(name) || fromModule)) return clientInstanceCall(call, callee, ctx, binding);
    return requestWith(args, ctx, name, undefined);
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const receiver = callee.expression;
  // superagent.post(url).send(data)
  if (method === 'send' && ts.isCallExpression(unwrap(receiver))) {
    const inner = httpCall(unwrap(receiver) as ts.CallExpression, ctx);
    if (inner) return { ...inner, payload: [...inner.payload, ...args] };
  }
  if (spec.streamWrites?.includes(method)) return streamWrite(receiver, args, ctx);
  if (!spec.methods?.includes(method)) return undefined;
  const base = httpClientBase(receiver, ctx, 0);
  if (!base) {
    // http.request(...).write/end is handled through the request variable.
    return undefined;
  }
  const label = `${names
    .slice(0, -1)
    .filter((n) => n !== 'this')
    .join('.')}.${method}`;
  return requestWith(args, ctx, label, base.baseUrl);
}

/** `const req = https.request(...); req.write(body); req.end(body)`: the body goes where the request goes. */
function streamWrite(receiver: ts.Expression, args: ts.Expression[], ctx: DetectorContext): ThirdPartySink | undefined {
  const e = unwrap(receiver);
  if (ts.isCallExpression(e)) {
    const direct = httpCall(e, ctx);
    return direct ? { ...direct, payload: args } : undefined;
  }
  if (!ts.isIdentifier(e)) return undefined;
  const init = bindingOf(e, ctx)?.initializer;
  if (!init || !ts.isCallExpression(init)) return undefined;
  const request = httpCall(init, ctx);
  return request ? { ...request, payload: args } : undefined;
}

/** A call of an instance made by `axios.create({ baseURL })`, `got.extend({ prefixUrl })`. */
function clientInstanceCall(
  call: ts.CallExpression,
  callee: ts.Expression,
  ctx: DetectorContext,
  binding: Binding | undefined,
): ThirdPartySink | undefined {
  if (!binding?.initializer) return undefined;
  const base = httpClientBase(callee, ctx, 0);
  if (!base || base.baseUrl === undefined) return undefined;
  return requestWith([...call.arguments], ctx, callee.getText(), base.baseUrl);
}

/** Is `receiver` an HTTP client? Returns its base URL expression when it is an instance with one. */
function httpClientBase(
  receiver: ts.Expression,
  ctx: DetectorContext,
  depth: number,
): { baseUrl?: ts.Expression } | undefined {
  if (depth > 3) return undefined;
  const spec = data(ctx).http;
  const e = unwrap(receiver);
  if (ts.isCallExpression(e)) {
    const req = requireOf(e);
    if (req) return spec.modules?.includes(req) ? {} : undefined;
    const callee = unwrap(e.expression);
    if (
      ts.isPropertyAccessExpression(callee) &&
      spec.factories?.includes(callee.name.text) &&
      httpClientBase(callee.expression, ctx, depth + 1)
    ) {
      const options = e.arguments.map(unwrap).find(ts.isObjectLiteralExpression);
      return { baseUrl: options ? optionValue(options, spec.baseUrlOptions ?? ['baseURL']) : undefined };
    }
    return undefined;
  }
  const id = namingIdentifier(e);
  if (!id) return undefined;
  const binding = ts.isIdentifier(id) || ts.isPrivateIdentifier(id) ? bindingOf(id, ctx) : undefined;
  if (binding?.module) return spec.modules?.includes(binding.module) ? {} : undefined;
  if (binding?.initializer) {
    const fromInit = httpClientBase(binding.initializer, ctx, depth + 1);
    if (fromInit) return fromInit;
  }
  if (binding?.typeName && /^(HttpClient|AxiosInstance|Got|KyInstance|SuperAgentStatic)$/.test(binding.typeName))
    return {};
  // `private readonly http: HttpService` with HttpService imported from an HTTP client module (NestJS's `@nestjs/axios`).
  if (binding?.typeName && typeImportedFrom(binding.typeName, e.getSourceFile(), spec.modules ?? [])) return {};
  const receivers = termList(spec.receivers ?? []);
  return nameMatches(id.text, receivers, 'end') && !binding?.initializer ? {} : undefined;
}

/** Whether the file imports the type name from one of the modules (`import { HttpService } from '@nestjs/axios'`). */
function typeImportedFrom(typeName: string, source: ts.SourceFile, modules: readonly string[]): boolean {
  for (const s of source.statements) {
    if (
      !ts.isImportDeclaration(s) ||
      !ts.isStringLiteral(s.moduleSpecifier) ||
      !modules.includes(s.moduleSpecifier.text)
    )
      continue;
    const named = s.importClause?.namedBindings;
    if (named && ts.isNamedImports(named) && named.elements.some((el) => el.name.text === typeName)) return true;
  }
  return false;
}

function optionValue(options: ts.ObjectLiteralExpression, keys: readonly string[]): ts.Expression | undefined {
  for (const p of options.properties) {
    if (ts.isPropertyAssignment(p) && keys.includes(p.name.getText().replace(/['"]/g, ''))) return p.initializer;
  }
  return undefined;
}

/** The URL is the first argument (or the `url` option of a config object); everything else is payload. */
function requestWith(
  args: ts.Expression[],
  ctx: DetectorContext,
  label: string,
  baseUrl: ts.Expression | undefined,
): ThirdPartySink | undefined {
  const first = args[0] ? unwrap(args[0]) : undefined;
  let urlExpr: ts.Expression | undefined = first;
  let payload = args.slice(1);
  if (first && ts.isObjectLiteralExpression(first)) {
    urlExpr = optionValue(first, ['url', 'uri', 'href']) ?? optionValue(first, ['baseURL', 'prefixUrl']);
    const host = optionValue(first, ['hostname', 'host']);
    if (!urlExpr && host) {
      const h = unwrap(host);
      if (ts.isStringLiteralLike(h))
        return { kind: 'http', target: hostOfText(`https://${h.text}`, ctx), label, payload: args.slice(1) };
      urlExpr = host;
    }
    payload = args;
  }
  let target: UrlTarget = urlExpr ? urlTarget(urlExpr, ctx) : { kind: 'unknown' };
  let url = urlExpr;
  if (baseUrl && (target.kind === 'internal' || target.kind === 'unknown') && !(urlExpr && isAbsolute(urlExpr))) {
    target = urlTarget(baseUrl, ctx);
    url = baseUrl;
  }
  if (urlExpr && ts.isTemplateExpression(unwrap(urlExpr))) {
    // values in the path or query string are sent too (not the host part)
    const spans = (unwrap(urlExpr) as ts.TemplateExpression).templateSpans;
    payload = [
      ...payload,
      ...spans.slice((unwrap(urlExpr) as ts.TemplateExpression).head.text === '' ? 1 : 0).map((s) => s.expression),
    ];
  }
  return { kind: 'http', target, label, payload, ...(url ? { url } : {}) };
}

function isAbsolute(e: ts.Expression): boolean {
  const u = unwrap(e);
  return ts.isStringLiteralLike(u) && /^[a-z][a-z0-9+.-]*:\/\//i.test(u.text);
}

// ---- SDKs --------------------------------------------------------------------------------

function sdkCall(call: ts.CallExpression, ctx: DetectorContext): ThirdPartySink | undefined {
  const callee = unwrap(call.expression);
  const { names, root } = accessChain(callee);
  if (names.length === 0) return undefined;
  const args = [...call.arguments];
  const sdks = data(ctx).sdks;
  if (names.length === 1 && ts.isIdentifier(callee)) {
    const binding = bindingOf(callee, ctx);
    for (const sdk of sdks) {
      const imported = binding?.module && sdk.modules?.includes(binding.module);
      if (sdk.functions?.includes(names[0]!) && (!binding || imported || !binding.initializer))
        return sdk.modelOption ? modelSink(sdk, names[0]!, args, ctx) : sdkSink(sdk, names[0]!, args);
      if (imported && sdk.methods?.includes(binding.imported ?? '')) return sdkSink(sdk, names[0]!, args);
    }
    return undefined;
  }
  // Each SDK's first method whose path ends the chain, in pack order; looked up by the last name.
  for (const { sdk, methods } of methodIndex(sdks).get(names[names.length - 1]!) ?? []) {
    const method = methods.find((m) => endsWithPath(names, m));
    if (!method) continue;
    const receiverNames = names.slice(0, names.length - method.split('.').length);
    if (receiverNames.length === 0) continue;
    if (sdk.anyReceiver || receiverIsSdk(sdk, receiverNames, root, ctx))
      return selfHosted(root, receiverNames, ctx) ? undefined : sdkSink(sdk, method, args);
  }
  return undefined;
}

const methodIndexes = new WeakMap<SdkSpec[], Map<string, Array<{ sdk: SdkSpec; methods: string[] }>>>();

/** Last name of a method path -> the SDKs (in pack order) with their methods ending in it. */
function methodIndex(sdks: SdkSpec[]): Map<string, Array<{ sdk: SdkSpec; methods: string[] }>> {
  let index = methodIndexes.get(sdks);
  if (index) return index;
  index = new Map();
  for (const sdk of sdks) {
    const byLast = new Map<string, string[]>();
    for (const method of sdk.methods ?? []) {
      const last = method.slice(method.lastIndexOf('.') + 1);
      byLast.set(last, [...(byLast.get(last) ?? []), method]);
    }
    for (const [last, methods] of byLast) index.set(last, [...(index.get(last) ?? []), { sdk, methods }]);
  }
  methodIndexes.set(sdks, index);
  return index;
}

/** A client made with a base URL on a system host (`new OpenAI({ baseURL: 'http://llm.svc.cluster.local' })`): nothing leaves. */
function selfHosted(root: ts.Expression, receiverNames: string[], ctx: DetectorContext): boolean {
  if (!ts.isIdentifier(root) || receiverNames[0] === 'this') return false;
  const init = bindingOf(root, ctx)?.initializer;
  const made = init ? unwrap(init) : undefined;
  if (!made || !(ts.isNewExpression(made) || ts.isCallExpression(made))) return false;
  const options = (made.arguments ?? []).map(unwrap).find(ts.isObjectLiteralExpression);
  const base = options
    ? optionValue(options, [
        ...(data(ctx).http.baseUrlOptions ?? ['baseURL']),
        'host',
        'endpoint',
        'apiHost',
        'serverUrl',
        'serverURL',
      ])
    : undefined;
  return base !== undefined && urlTarget(base, ctx).kind === 'internal';
}

/** `a.b` -> ['a', 'b'], split once: endsWithPath runs for every call x every SDK method. */
const methodParts = new Map<string, string[]>();

function endsWithPath(names: string[], method: string): boolean {
  let parts = methodParts.get(method);
  if (!parts) methodParts.set(method, (parts = method.split('.')));
  if (parts.length >= names.length || parts[parts.length - 1] !== names[names.length - 1]) return false;
  return parts.every((p, i) => names[names.length - parts.length + i] === p);
}

function receiverIsSdk(sdk: SdkSpec, receiverNames: string[], root: ts.Expression, ctx: DetectorContext): boolean {
  const last = receiverNames[receiverNames.length - 1]!;
  if (sdk.receivers && nameMatches(last, termList(sdk.receivers), 'end') && last !== 'client' && last !== 'event')
    return true;
  // Resolve the root: an import of the SDK module, or a variable created from one.
  const rootId = ts.isIdentifier(root) ? root : undefined;
  const id = receiverNames[0] === 'this' ? undefined : rootId;
  const binding = id ? bindingOf(id, ctx) : undefined;
  if (binding && createdBySdk(sdk, binding, ctx, 0)) return true;
  return false;
}

function createdBySdk(sdk: SdkSpec, binding: Binding, ctx: DetectorContext, depth: number): boolean {
  if (binding.module) return sdk.modules?.includes(binding.module) ?? false;
  if (!binding.initializer || depth > 3) return false;
  const init = unwrap(binding.initializer);
  if (ts.isCallExpression(init) || ts.isNewExpression(init)) {
    const req = ts.isCallExpression(init) ? requireOf(init) : undefined;
    if (req) return sdk.modules?.includes(req) ?? false;
    const { root } = accessChain(init.expression);
    const inner = unwrap(init.expression);
    if (ts.isCallExpression(inner) && requireOf(inner)) return sdk.modules?.includes(requireOf(inner)!) ?? false;
    if (ts.isIdentifier(root)) {
      const b = bindingOf(root, ctx);
      return b ? createdBySdk(sdk, b, ctx, depth + 1) : false;
    }
  }
  if (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init)) {
    const { root } = accessChain(init);
    const b = ts.isIdentifier(root) ? bindingOf(root, ctx) : undefined;
    return b ? createdBySdk(sdk, b, ctx, depth + 1) : false;
  }
  return false;
}

function sdkConstructor(node: ts.NewExpression, ctx: DetectorContext): ThirdPartySink | undefined {
  const name = accessChain(node.expression).names.pop();
  if (!name) return undefined;
  const sdk = data(ctx).sdks.find((s) => s.constructors?.includes(name));
  if (!sdk) return undefined;
  // `client.send(new PutObjectCommand(...))` on a client made for a system host (a MinIO in the cluster): nothing leaves.
  const sent = node.parent;
  if (
    ts.isCallExpression(sent) &&
    ts.isPropertyAccessExpression(sent.expression) &&
    sent.expression.name.text === 'send'
  ) {
    const { names, root } = accessChain(sent.expression.expression);
    if (selfHosted(root, names, ctx)) return undefined;
  }
  return sdkSink(sdk, name, [...(node.arguments ?? [])]);
}

/** `generateText({ model: openai('gpt-4o'), ... })`: the provider the model comes from receives the prompt; a local model, nobody. */
function modelSink(
  sdk: SdkSpec,
  method: string,
  args: ts.Expression[],
  ctx: DetectorContext,
): ThirdPartySink | undefined {
  const options = args[0] ? unwrap(args[0]) : undefined;
  const model = options && ts.isObjectLiteralExpression(options) ? optionValue(options, [sdk.modelOption!]) : undefined;
  const root = model
    ? accessChain(ts.isCallExpression(unwrap(model)) ? (unwrap(model) as ts.CallExpression).expression : model).root
    : undefined;
  const module = root && ts.isIdentifier(root) ? bindingOf(root, ctx)?.module : undefined;
  const { aiProviders, localAiProviders } = data(ctx);
  if (module && localAiProviders.includes(module)) return undefined;
  if (model && root && selfHosted(root, [], ctx)) return undefined;
  const provider = module ? aiProviders[module] : undefined;
  const sink = sdkSink(sdk, method, args);
  // What the model's tools return goes back to the provider with the conversation.
  const toolOutputs = options && ts.isObjectLiteralExpression(options) ? toolReturns(options) : [];
  const withTools = { ...sink, payload: [...sink.payload, ...toolOutputs] };
  return provider
    ? { ...withTools, sdk: `${provider} (through the ${sdk.name})`, label: `${provider} ${method}` }
    : withTools;
}

/** The values the `execute` functions of an AI call's tools return (`tools: { lookup: tool({ execute: async () => rows }) }`). */
function toolReturns(options: ts.ObjectLiteralExpression): ts.Expression[] {
  const tools = optionValue(options, ['tools']);
  const list = tools && unwrap(tools);
  if (!list || !ts.isObjectLiteralExpression(list)) return [];
  const out: ts.Expression[] = [];
  for (const p of list.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    let def = unwrap(p.initializer);
    if (ts.isCallExpression(def) && def.arguments[0]) def = unwrap(def.arguments[0]);
    const execute = ts.isObjectLiteralExpression(def)
      ? def.properties.find((x) => x.name?.getText() === 'execute')
      : undefined;
    const fn =
      execute && ts.isPropertyAssignment(execute)
        ? unwrap(execute.initializer)
        : execute && ts.isMethodDeclaration(execute)
          ? execute
          : undefined;
    if (!fn || !ts.isFunctionLike(fn)) continue;
    const body = (fn as ts.FunctionLikeDeclaration).body;
    if (!body) continue;
    if (!ts.isBlock(body)) {
      out.push(body);
      continue;
    }
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n)) return;
      if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
      else ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
  }
  return out;
}

function sdkSink(sdk: SdkSpec, method: string, args: ts.Expression[]): ThirdPartySink {
  const payload = sdk.skipFirstArgument?.includes(method) ? args.slice(1) : args;
  return {
    kind: 'sdk',
    sdk: sdk.name,
    sdkKind: sdk.kind,
    label: `${sdk.name} ${method}`,
    payload,
    ...(sdk.documentOptions ? { documentOptions: sdk.documentOptions } : {}),
  };
}
