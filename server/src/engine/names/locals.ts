import ts from 'typescript';

/** Where a local name comes from: a variable (or destructured binding), a parameter, a function. */
type LocalDeclaration =
  | ts.VariableDeclaration
  | ts.BindingElement
  | ts.ParameterDeclaration
  | ts.FunctionDeclaration
  | ts.ClassDeclaration
  | ts.ImportSpecifier
  | ts.ImportClause
  | ts.NamespaceImport;

/**
 * The declaration a local identifier refers to, found syntactically by walking the enclosing
 * scopes (blocks, functions, the file). Shadowing is respected scope by scope; hoisting is not
 * modelled beyond "declared somewhere in the scope".
 */
export function localDeclarationOf(identifier: ts.Identifier): LocalDeclaration | undefined {
  const name = identifier.text;
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      for (const p of scope.parameters) {
        const found = bindingNamed(p.name, name);
        if (found) return found === p.name ? p : (found as ts.BindingElement);
      }
    }
    if (ts.isForOfStatement(scope) || ts.isForInStatement(scope) || ts.isForStatement(scope)) {
      const init = scope.initializer;
      if (init && ts.isVariableDeclarationList(init)) {
        const found = inDeclarationList(init, name);
        if (found) return found;
      }
    }
    if (ts.isCatchClause(scope) && scope.variableDeclaration) {
      const found = bindingNamed(scope.variableDeclaration.name, name);
      if (found) return scope.variableDeclaration;
    }
    const found = declaredIn(scope)?.get(name);
    if (found) return found;
  }
  return undefined;
}

/**
 * The names the statements of a block (or file, module, case clause) declare, first declaration
 * first: built once per block, so looking a name up costs the same in a 40,000-statement file as
 * in a small one.
 */
const declaredByBlock = new WeakMap<ts.Node, Map<string, LocalDeclaration>>();

function declaredIn(scope: ts.Node): Map<string, LocalDeclaration> | undefined {
  const statements = statementsOf(scope);
  if (!statements) return undefined;
  const known = declaredByBlock.get(scope);
  if (known) return known;
  const names = new Map<string, LocalDeclaration>();
  const add = (name: string, declaration: LocalDeclaration) => {
    if (!names.has(name)) names.set(name, declaration);
  };
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) add(d.name.text, d);
        else for (const [name, element] of bindingElements(d.name)) add(name, element);
      }
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      add(statement.name.text, statement);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) add(clause.name.text, clause);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name.text, bindings);
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) add(el.name.text, el);
    }
  }
  declaredByBlock.set(scope, names);
  return names;
}

/** The names a destructuring pattern binds, in the order `bindingNamed` looks for them. */
function bindingElements(
  pattern: ts.BindingPattern,
  out: [string, ts.BindingElement][] = [],
): [string, ts.BindingElement][] {
  for (const el of pattern.elements) {
    if (ts.isOmittedExpression(el)) continue;
    if (ts.isIdentifier(el.name)) out.push([el.name.text, el]);
    else bindingElements(el.name, out);
  }
  return out;
}

function statementsOf(node: ts.Node): readonly ts.Statement[] | undefined {
  if (ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node)) return node.statements;
  if (ts.isCaseClause(node) || ts.isDefaultClause(node)) return node.statements;
  return undefined;
}

function inDeclarationList(
  list: ts.VariableDeclarationList,
  name: string,
): ts.VariableDeclaration | ts.BindingElement | undefined {
  for (const d of list.declarations) {
    const found = bindingNamed(d.name, name);
    if (found) return found === d.name ? d : (found as ts.BindingElement);
  }
  return undefined;
}

/** The identifier itself (simple binding) or the BindingElement that binds `name` in a pattern. */
function bindingNamed(binding: ts.BindingName, name: string): ts.Node | undefined {
  if (ts.isIdentifier(binding)) return binding.text === name ? binding : undefined;
  for (const el of binding.elements) {
    if (ts.isOmittedExpression(el)) continue;
    if (ts.isIdentifier(el.name)) {
      if (el.name.text === name) return el;
    } else {
      const inner = bindingNamed(el.name, name);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** A value written into a local: `x = v` (no key), `x.prop = v` (key `prop`). */
export interface LocalWrite {
  value: ts.Expression;
  key?: string;
}

/** Per scope, the writes into each name: one walk of the scope for every name asked about. */
const writesByScope = new WeakMap<ts.Node, Map<string, LocalWrite[]>>();

/**
 * Values written into a local after its declaration, within `scope`: `x = v`, `x += v`,
 * `x.push(v)`, `x.prop = v`, `x[k] = v`. Nested functions are included (callbacks building the value).
 */
export function writesTo(name: string, scope: ts.Node): LocalWrite[] {
  let writes = writesByScope.get(scope);
  if (!writes) {
    writes = collectWrites(scope);
    writesByScope.set(scope, writes);
  }
  return writes.get(name) ?? [];
}

function collectWrites(scope: ts.Node): Map<string, LocalWrite[]> {
  const out = new Map<string, LocalWrite[]>();
  const add = (name: string, write: LocalWrite) => {
    const list = out.get(name);
    if (list) list.push(write);
    else out.set(name, [write]);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind)) {
      const left = n.left;
      if (ts.isIdentifier(left)) add(left.text, { value: n.right });
      else if (ts.isPropertyAccessExpression(left) && ts.isIdentifier(left.expression))
        add(left.expression.text, { value: n.right, key: left.name.text });
      else if (ts.isElementAccessExpression(left) && ts.isIdentifier(left.expression)) {
        const key = ts.isStringLiteralLike(left.argumentExpression) ? left.argumentExpression.text : undefined;
        add(left.expression.text, { value: n.right, ...(key ? { key } : {}) });
      }
    } else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      ts.isIdentifier(n.expression.expression)
    ) {
      const method = n.expression.name.text;
      if (method === 'push' || method === 'unshift' || method === 'add' || method === 'set') {
        const value = n.arguments[method === 'set' ? 1 : 0];
        if (value) add(n.expression.expression.text, { value });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return out;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.EqualsToken ||
    kind === ts.SyntaxKind.PlusEqualsToken ||
    kind === ts.SyntaxKind.QuestionQuestionEqualsToken ||
    kind === ts.SyntaxKind.BarBarEqualsToken
  );
}
