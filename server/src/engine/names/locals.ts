import ts from 'typescript';

/** Where a local name comes from: a variable (or destructured binding), a parameter, a function. */
type LocalDeclaration = ts.VariableDeclaration | ts.BindingElement | ts.ParameterDeclaration | ts.FunctionDeclaration | ts.ClassDeclaration | ts.ImportSpecifier | ts.ImportClause | ts.NamespaceImport;

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
    const statements = statementsOf(scope);
    if (!statements) continue;
    for (const statement of statements) {
      if (ts.isVariableStatement(statement)) {
        const found = inDeclarationList(statement.declarationList, name);
        if (found) return found;
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name) {
        return statement;
      } else if (ts.isImportDeclaration(statement) && statement.importClause) {
        const clause = statement.importClause;
        if (clause.name?.text === name) return clause;
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) return bindings;
        if (bindings && ts.isNamedImports(bindings)) {
          const el = bindings.elements.find((e) => e.name.text === name);
          if (el) return el;
        }
      }
    }
  }
  return undefined;
}

function statementsOf(node: ts.Node): readonly ts.Statement[] | undefined {
  if (ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node)) return node.statements;
  if (ts.isCaseClause(node) || ts.isDefaultClause(node)) return node.statements;
  return undefined;
}

function inDeclarationList(list: ts.VariableDeclarationList, name: string): ts.VariableDeclaration | ts.BindingElement | undefined {
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

/**
 * Values written into a local after its declaration, within `scope`: `x = v`, `x += v`,
 * `x.push(v)`, `x.prop = v`, `x[k] = v`. Nested functions are included (callbacks building the value).
 */
export function writesTo(name: string, scope: ts.Node): { value: ts.Expression; key?: string }[] {
  const out: { value: ts.Expression; key?: string }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind)) {
      const left = n.left;
      if (ts.isIdentifier(left) && left.text === name) out.push({ value: n.right });
      else if (ts.isPropertyAccessExpression(left) && ts.isIdentifier(left.expression) && left.expression.text === name) out.push({ value: n.right, key: left.name.text });
      else if (ts.isElementAccessExpression(left) && ts.isIdentifier(left.expression) && left.expression.text === name) {
        const key = ts.isStringLiteralLike(left.argumentExpression) ? left.argumentExpression.text : undefined;
        out.push({ value: n.right, ...(key ? { key } : {}) });
      }
    } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === name) {
      const method = n.expression.name.text;
      if (method === 'push' || method === 'unshift' || method === 'add' || method === 'set') {
        const value = n.arguments[method === 'set' ? 1 : 0];
        if (value) out.push({ value });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return out;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsToken || kind === ts.SyntaxKind.PlusEqualsToken || kind === ts.SyntaxKind.QuestionQuestionEqualsToken || kind === ts.SyntaxKind.BarBarEqualsToken;
}
