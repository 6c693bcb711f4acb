import ts from 'typescript';
import type { TsProject } from '../ts-project.js';
import { propertyName, unwrap } from '../syntax/ast.js';
import { MODULE_SUFFIXES, relativeModulePath } from '../syntax/modules.js';

/** Where a value comes from: a node of a project file, or an export of a package. */
export type Origin =
  { kind: 'node'; file: string; node: ts.Node } | { kind: 'package'; module: string; name: string; members: string[] };

const MAX_DEPTH = 12;

/**
 * The names a scope declares, and a module's exports: pure functions of a tree, kept per node
 * across resolutions (a re-parse makes new nodes for what changed), so that resolving the
 * routes again after an edit reads again only the scopes and exports of the edited code.
 */
const scopes = new WeakMap<ts.Node, Map<string, ts.Node>>();
const exportsBySource = new WeakMap<ts.SourceFile, ModuleExports>();

interface ModuleExports {
  named: Map<string, { node: ts.Node } | { from: string; name: string }>;
  stars: string[];
  /** `export default x` or `module.exports = x`. */
  default?: ts.Node;
}

/**
 * Syntax-only resolution of names across the project's files: scopes, imports, ES and CommonJS
 * exports, `require`/`import()`. No type checker: routes are modelled on every file, cheaply.
 */
export class Resolver {
  /** While `definition` runs: a member that cannot be followed is its own origin. */
  private keepMembers = false;

  constructor(
    private readonly project: TsProject,
    readonly files: ReadonlySet<string>,
  ) {}

  sourceFile(file: string): ts.SourceFile | undefined {
    return this.project.sourceFile(file);
  }

  /** Module resolutions of this resolver's file set, by folder and specifier (every import is resolved again for each name it brings). */
  private readonly modules = new Map<string, string | undefined>();

  /** The project file a module specifier names, or undefined for a package. */
  resolveModule(from: string, specifier: string): string | undefined {
    const key = `${from.slice(0, from.lastIndexOf('/') + 1)}\u0000${specifier}`;
    if (this.modules.has(key)) return this.modules.get(key);
    const target = this.findModule(from, specifier);
    this.modules.set(key, target);
    return target;
  }

  private findModule(from: string, specifier: string): string | undefined {
    let base: string[];
    if (specifier.startsWith('.')) {
      base = [relativeModulePath(from, specifier)];
    } else if (/^[@~#]\//.test(specifier)) {
      const rest = specifier.slice(2);
      base = [rest, 'src/' + rest];
    } else {
      return undefined;
    }
    for (const b of base) {
      const stripped = b.replace(/\.(m|c)?jsx?$/, '');
      for (const candidate of [b, ...MODULE_SUFFIXES.map((e) => stripped + e)]) {
        if (this.files.has(candidate)) return candidate;
      }
    }
    return undefined;
  }

  /** The declaration an identifier refers to, walking scopes outwards. */
  declarationOf(id: ts.Identifier): ts.Node | undefined {
    for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
      const found = this.scopeNames(scope).get(id.text);
      if (found) return found;
    }
    return undefined;
  }

  private scopeNames(scope: ts.Node): Map<string, ts.Node> {
    if (!holdsNames(scope)) return NO_NAMES;
    let names = scopes.get(scope);
    if (names) return names;
    names = new Map();
    const add = (name: ts.BindingName | ts.Identifier | undefined, node: ts.Node) => {
      if (!name) return;
      if (ts.isIdentifier(name)) {
        if (!names.has(name.text)) names.set(name.text, node);
        return;
      }
      for (const element of name.elements) if (!ts.isOmittedExpression(element)) add(element.name, element);
    };
    if (ts.isFunctionLike(scope)) for (const p of scope.parameters) add(p.name, p);
    if (ts.isCatchClause(scope) && scope.variableDeclaration)
      add(scope.variableDeclaration.name, scope.variableDeclaration);
    if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && scope.name) add(scope.name, scope);
    if (ts.isForOfStatement(scope) || ts.isForInStatement(scope) || ts.isForStatement(scope)) {
      const init = scope.initializer;
      if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) add(d.name, d);
    }
    const statements =
      ts.isSourceFile(scope) ||
      ts.isBlock(scope) ||
      ts.isModuleBlock(scope) ||
      ts.isCaseClause(scope) ||
      ts.isDefaultClause(scope)
        ? scope.statements
        : undefined;
    for (const statement of statements ?? []) {
      if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) add(d.name, d);
      else if (
        ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement)
      )
        add(statement.name, statement);
      else if (ts.isImportDeclaration(statement) && statement.importClause) {
        const clause = statement.importClause;
        if (clause.name) add(clause.name, clause);
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name, bindings);
        if (bindings && ts.isNamedImports(bindings)) for (const s of bindings.elements) add(s.name, s);
      } else if (ts.isImportEqualsDeclaration(statement)) add(statement.name, statement);
    }
    scopes.set(scope, names);
    return names;
  }

  /**
   * Like `origin`, but a member of a value that cannot be followed further (`t.procedure` where `t`
   * is what a package call returned) is returned as the expression itself rather than lost.
   */
  definition(expression: ts.Node, file: string): Origin | undefined {
    this.keepMembers = true;
    try {
      return this.origin(expression, file);
    } finally {
      this.keepMembers = false;
    }
  }

  /** Follows a value to where it is made: through names, imports, exports, requires, awaits and casts. */
  origin(expression: ts.Node, file: string, depth = 0): Origin | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrap(expression);
    if (ts.isIdentifier(node)) {
      const decl = this.declarationOf(node);
      return decl ? this.originOfDeclaration(decl, file, depth + 1) : undefined;
    }
    if (ts.isPropertyAccessExpression(node)) {
      const base = this.origin(node.expression, file, depth + 1);
      const member = base ? this.member(base, node.name.text, depth + 1) : undefined;
      return member ?? (this.keepMembers && base ? { kind: 'node', file, node } : undefined);
    }
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
      const base = this.origin(node.expression, file, depth + 1);
      return base ? this.member(base, node.argumentExpression.text, depth + 1) : undefined;
    }
    const required = requiredModule(node);
    if (required !== undefined) return this.moduleOrigin(file, required);
    return { kind: 'node', file, node };
  }

  private moduleOrigin(file: string, specifier: string): Origin | undefined {
    const target = this.resolveModule(file, specifier);
    if (!target) return { kind: 'package', module: specifier, name: 'default', members: [] };
    const source = this.sourceFile(target);
    return source ? { kind: 'node', file: target, node: source } : undefined;
  }

  private originOfDeclaration(decl: ts.Node, file: string, depth: number): Origin | undefined {
    if (ts.isImportClause(decl)) return this.imported(file, moduleText(decl.parent), 'default', depth);
    if (ts.isImportSpecifier(decl))
      return this.imported(file, moduleText(decl.parent.parent.parent), (decl.propertyName ?? decl.name).text, depth);
    if (ts.isNamespaceImport(decl)) return this.moduleOrigin(file, moduleText(decl.parent.parent));
    if (ts.isImportEqualsDeclaration(decl)) {
      const ref = decl.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression))
        return this.moduleOrigin(file, ref.expression.text);
      return undefined;
    }
    if (ts.isVariableDeclaration(decl)) {
      if (!decl.initializer) return { kind: 'node', file, node: decl };
      return this.origin(assignedValue(decl.initializer), file, depth);
    }
    if (ts.isBindingElement(decl)) {
      const key =
        (decl.propertyName && ts.isIdentifier(decl.propertyName) ? decl.propertyName.text : undefined) ??
        (ts.isIdentifier(decl.name) ? decl.name.text : undefined);
      let holder: ts.Node = decl.parent.parent;
      while (ts.isBindingElement(holder)) holder = holder.parent.parent;
      if (key && ts.isVariableDeclaration(holder) && holder.initializer && ts.isObjectBindingPattern(decl.parent)) {
        const base = this.origin(holder.initializer, file, depth);
        // `const { auth } = NextAuth(config)`: a member of what a package's function returns.
        const made =
          base?.kind === 'node' && ts.isCallExpression(base.node)
            ? this.origin(base.node.expression, base.file, depth + 1)
            : undefined;
        if (made?.kind === 'package') return { ...made, members: [...made.members, key] };
        return base ? this.member(base, key, depth) : undefined;
      }
      return { kind: 'node', file, node: decl };
    }
    return { kind: 'node', file, node: decl };
  }

  private imported(file: string, specifier: string, name: string, depth: number): Origin | undefined {
    const target = this.resolveModule(file, specifier);
    if (!target) return { kind: 'package', module: specifier, name, members: [] };
    return this.exported(target, name, depth + 1);
  }

  /** The origin of an export of a project file. */
  exported(file: string, name: string, depth = 0): Origin | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const exports = this.exportsOf(file);
    if (!exports) return undefined;
    if (name === 'default' && exports.default) return this.exportedNode(exports.default, file, depth);
    const named = exports.named.get(name);
    if (named && 'node' in named) return this.exportedNode(named.node, file, depth);
    if (named && 'from' in named) return this.imported(file, named.from, named.name, depth);
    if (name !== 'default' && exports.default) {
      const viaDefault = this.exportedNode(exports.default, file, depth);
      if (viaDefault?.kind === 'node' && ts.isObjectLiteralExpression(viaDefault.node))
        return this.member(viaDefault, name, depth);
    }
    for (const star of exports.stars) {
      const target = this.resolveModule(file, star);
      const found = target ? this.exported(target, name, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  private exportedNode(node: ts.Node, file: string, depth: number): Origin | undefined {
    if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) return { kind: 'node', file, node };
    if (ts.isVariableDeclaration(node) || ts.isBindingElement(node))
      return this.originOfDeclaration(node, file, depth + 1);
    return this.origin(node, file, depth + 1);
  }

  private member(base: Origin, name: string, depth: number): Origin | undefined {
    if (base.kind === 'package') return { ...base, members: [...base.members, name] };
    const node = base.node;
    if (ts.isSourceFile(node)) return this.exported(base.file, name, depth + 1);
    if (ts.isObjectLiteralExpression(node)) {
      for (const p of node.properties) {
        if (ts.isPropertyAssignment(p) && propertyName(p.name) === name)
          return this.origin(p.initializer, base.file, depth + 1);
        if (ts.isShorthandPropertyAssignment(p) && p.name.text === name)
          return this.origin(p.name, base.file, depth + 1);
        if (ts.isMethodDeclaration(p) && propertyName(p.name) === name)
          return { kind: 'node', file: base.file, node: p };
      }
    }
    return undefined;
  }

  private exportsOf(file: string): ModuleExports | undefined {
    const source = this.sourceFile(file);
    if (!source) return undefined;
    const cached = exportsBySource.get(source);
    if (cached) return cached;
    const result: ModuleExports = { named: new Map(), stars: [] };
    for (const statement of source.statements) {
      const exported =
        ts.canHaveModifiers(statement) &&
        ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      const isDefault =
        ts.canHaveModifiers(statement) &&
        ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (ts.isVariableStatement(statement) && exported) {
        for (const d of statement.declarationList.declarations) {
          if (ts.isIdentifier(d.name)) result.named.set(d.name.text, { node: d });
          // export const { handlers, auth } = NextAuth(config)
          else if (ts.isObjectBindingPattern(d.name))
            for (const e of d.name.elements) if (ts.isIdentifier(e.name)) result.named.set(e.name.text, { node: e });
        }
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && exported) {
        if (isDefault) result.default = statement;
        else if (statement.name) result.named.set(statement.name.text, { node: statement });
      } else if (ts.isExportAssignment(statement)) {
        result.default = statement.expression;
      } else if (ts.isExportDeclaration(statement)) {
        const from =
          statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
            ? statement.moduleSpecifier.text
            : undefined;
        const clause = statement.exportClause;
        if (!clause && from) result.stars.push(from);
        else if (clause && ts.isNamedExports(clause)) {
          for (const s of clause.elements) {
            const local = (s.propertyName ?? s.name) as ts.Identifier;
            const target = from ? { from, name: local.text } : { node: local };
            if (s.name.text === 'default' && !from) result.default = local;
            else result.named.set(s.name.text, target);
          }
        }
      } else if (ts.isExpressionStatement(statement)) {
        collectCommonJs(statement.expression, result);
      }
    }
    exportsBySource.set(source, result);
    return result;
  }
}

function collectCommonJs(expression: ts.Expression, result: ModuleExports): void {
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const target = expression.left.getText();
  const value = assignedValue(expression.right);
  if (target === 'module.exports') result.default = value;
  else {
    const match = /^(?:module\.)?exports\.([\w$]+)$/.exec(target);
    if (match) result.named.set(match[1]!, { node: value });
  }
  if (ts.isBinaryExpression(expression.right)) collectCommonJs(expression.right, result);
}

/** `a = b = express()` -> `express()`. */
function assignedValue(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) node = node.right;
  return node;
}

/** `require('x')` / `import('x')` -> 'x'. */
export function requiredModule(node: ts.Node): string | undefined {
  if (!ts.isCallExpression(node) || node.arguments.length !== 1) return undefined;
  const arg = node.arguments[0]!;
  if (!ts.isStringLiteralLike(arg)) return undefined;
  if (node.expression.kind === ts.SyntaxKind.ImportKeyword) return arg.text;
  if (ts.isIdentifier(node.expression) && node.expression.text === 'require') return arg.text;
  return undefined;
}

function moduleText(declaration: ts.ImportDeclaration | ts.JSDocImportTag): string {
  return ts.isStringLiteral(declaration.moduleSpecifier) ? declaration.moduleSpecifier.text : '';
}

const NO_NAMES = new Map<string, ts.Node>();

/** `holdsNames` by syntax kind: what it tests is the kind alone, and it is asked of every ancestor of every name resolved. */
const holdsByKind: (boolean | undefined)[] = [];

/** The nodes `scopeNames` reads: any other node declares no name of its own. */
function holdsNames(n: ts.Node): boolean {
  let holds = holdsByKind[n.kind];
  if (holds === undefined) holdsByKind[n.kind] = holds = holdsNamesOfKind(n);
  return holds;
}

function holdsNamesOfKind(n: ts.Node): boolean {
  return (
    ts.isSourceFile(n) ||
    ts.isBlock(n) ||
    ts.isModuleBlock(n) ||
    ts.isCaseClause(n) ||
    ts.isDefaultClause(n) ||
    ts.isFunctionLike(n) ||
    ts.isCatchClause(n) ||
    ts.isClassExpression(n) ||
    ts.isForOfStatement(n) ||
    ts.isForInStatement(n) ||
    ts.isForStatement(n)
  );
}
