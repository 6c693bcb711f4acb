import ts from 'typescript';

/**
 * The syntax toolkit: small questions every analysis asks of a TypeScript/JavaScript AST, each
 * answered once. Purely syntactic (no type checker, no project).
 */

/** Strips `await`, parentheses, `as`, `!`, `satisfies` and type assertions: `(await x as T)!` -> `x`. */
export function unwrap<T extends ts.Node>(node: T): T extends ts.Expression ? ts.Expression : ts.Node {
  let e: ts.Node = node;
  for (;;) {
    if (
      ts.isParenthesizedExpression(e) ||
      ts.isAsExpression(e) ||
      ts.isNonNullExpression(e) ||
      ts.isAwaitExpression(e) ||
      ts.isTypeAssertionExpression(e) ||
      ts.isSatisfiesExpression(e)
    )
      e = e.expression;
    else return e as T extends ts.Expression ? ts.Expression : ts.Node;
  }
}

/**
 * The dotted name of an expression, `this` and calls kept, wrappers skipped at every step:
 * `this.kafkaProducer.send(...)` -> `this.kafkaProducer.send`, `passport.authenticate('jwt')` ->
 * `passport.authenticate`, `requireRole('A')` -> `requireRole`; '' when it is not a dotted name.
 */
export function dottedName(node: ts.Node): string {
  const n = unwrap(node);
  if (ts.isIdentifier(n)) return n.text;
  if (ts.isPropertyAccessExpression(n)) {
    const base = dottedName(n.expression);
    return base ? `${base}.${n.name.text}` : n.name.text;
  }
  if (ts.isCallExpression(n) || ts.isNewExpression(n)) return dottedName(n.expression);
  if (n.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  return '';
}

/**
 * The name a callee is called by, as flow analysis and its messages show it: `encryptField`,
 * `subtle.encrypt`, `crypto.subtle.encrypt`. Unlike `dottedName` it leaves out `this`
 * (`this.crypto.encrypt` -> `crypto.encrypt`), reads through parentheses and `!` only (a cast or
 * an `await` ends the name: `(await repo()).save` -> `save`) and is undefined when nothing names it.
 */
export function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) {
    const left = calleeName(expression.expression);
    return left ? `${left}.${expression.name.text}` : expression.name.text;
  }
  if (ts.isCallExpression(expression)) return calleeName(expression.expression);
  if (ts.isParenthesizedExpression(expression) || ts.isNonNullExpression(expression))
    return calleeName(expression.expression);
  if (ts.isNewExpression(expression)) return calleeName(expression.expression);
  return undefined;
}

/** The last segment of a callee: `crypto.subtle.encrypt` -> `encrypt`. */
export function lastSegment(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1) : name;
}

/** The name a call uses, its last segment only: `s3.putObject(...)` -> `putObject`, `upload(...)` -> `upload`; '' for any other callee. */
export function calledName(callee: ts.Expression): string {
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
}

/** The static name of a property or binding: `a`, `'a'`, `1`, `#a`; undefined for a computed name or a pattern. */
export function propertyName(name: ts.PropertyName | ts.BindingName): string | undefined {
  if (
    ts.isIdentifier(name) ||
    ts.isStringLiteralLike(name) ||
    ts.isNumericLiteral(name) ||
    ts.isPrivateIdentifier(name)
  )
    return name.text;
  return undefined;
}

/** The text of a string literal or a no-substitution template. */
export function stringValue(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** A property of an object literal by name. */
export function property(
  object: ts.ObjectLiteralExpression | undefined,
  name: string,
): ts.ObjectLiteralElementLike | undefined {
  if (!object) return undefined;
  return object.properties.find((p) => p.name && propertyName(p.name) === name);
}

/** The value of a property of an object literal by name (a shorthand's name node). */
export function propertyValue(object: ts.ObjectLiteralExpression | undefined, name: string): ts.Expression | undefined {
  const p = property(object, name);
  if (!p) return undefined;
  if (ts.isPropertyAssignment(p)) return p.initializer;
  if (ts.isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

/** String elements of an array literal (`['vih', 'hepatiteB']`). */
export function stringList(node: ts.Expression | undefined): { value: string; node: ts.Expression }[] | undefined {
  if (!node) return undefined;
  const e = unwrap(node);
  if (!ts.isArrayLiteralExpression(e)) return undefined;
  return e.elements.flatMap((el) => {
    const v = stringValue(el);
    return v === undefined ? [] : [{ value: v, node: el }];
  });
}

/** The value of the first property of an object literal whose static key matches `key` (a shorthand's name node). */
export function propertyValueMatching(arg: ts.Expression, key: RegExp): ts.Expression | undefined {
  const e = unwrap(arg);
  if (!ts.isObjectLiteralExpression(e)) return undefined;
  for (const p of e.properties) {
    if (
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) &&
      key.test(p.name.text)
    )
      return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && key.test(p.name.text)) return p.name;
  }
  return undefined;
}

/** The nearest function-like node around `node` (`node` itself excluded), or undefined at the top level. */
export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return n;
  return undefined;
}

/** The function (or, at the top level, the file) whose body a node belongs to. */
export function enclosingFunctionOrFile(node: ts.Node): ts.Node {
  return enclosingFunction(node) ?? node.getSourceFile();
}

/** Calls `add` for each name a declaration binds, in source order: `x`, `{ a, b: [c] }` (with the binding element of a pattern's name). */
export function forEachBoundName(
  name: ts.BindingName,
  add: (id: ts.Identifier, element?: ts.BindingElement) => void,
): void {
  if (ts.isIdentifier(name)) {
    add(name);
    return;
  }
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (ts.isIdentifier(element.name)) add(element.name, element);
    else forEachBoundName(element.name, add);
  }
}
