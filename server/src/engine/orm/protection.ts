import ts from 'typescript';
import type { EngineConfig } from '../config.js';
import type { ProjectFacts } from '../facts.js';
import { vocabularyOf } from '../pack.js';
import type { ColumnFact } from '../schema.js';
import { resolveName, type Resolved } from '../names/top-level.js';
import { calleeName, lastSegment, unwrap } from '../syntax/ast.js';
import { splitWords } from '../vocabulary/words.js';
import { knowledgeOf, knowledgePart } from '../knowledge.js';

/** `rules/vocabulary/encryption.yaml`: what counts as encryption at rest, and what does not. */
export interface EncryptionKnowledge {
  functions: string[];
  functionPrefixes: string[];
  implementations: string[];
  notProtection: string[];
  weakModes: string[];
  sqlFunctions: string[];
  sqlClauses: string[];
  binaryTypes: string[];
  encryptedNames: string[];
  transformers: string[];
  decorators: string[];
  typeNames: string[];
  mongoose: { documentPlugins: string[]; fieldPlugins: string[] };
  prisma: string[];
  fix: { typeormTransformer: string; pgFunction: string; pgKey: string };
  expected: Record<string, string>;
}

/** The pack's encryption knowledge merged with the team's `encryption.functions/transformers/decorators`. */
export function encryptionOf(config: EngineConfig): EncryptionKnowledge {
  return knowledgeOf(config).get(ENCRYPTION);
}

const ENCRYPTION = knowledgePart('encryption', (config): EncryptionKnowledge => {
  const data = vocabularyOf<EncryptionKnowledge>(config.pack, 'encryption');
  const team = config.encryption ?? {};
  return {
    functions: [...data.functions, ...(team.functions ?? [])],
    functionPrefixes: data.functionPrefixes,
    implementations: data.implementations,
    notProtection: data.notProtection,
    weakModes: data.weakModes,
    sqlFunctions: data.sqlFunctions.map((f) => f.toLowerCase()),
    sqlClauses: data.sqlClauses,
    binaryTypes: data.binaryTypes.map((t) => t.toLowerCase()),
    encryptedNames: data.encryptedNames,
    transformers: [...data.transformers, ...(team.transformers ?? [])],
    decorators: [...data.decorators, ...(team.decorators ?? [])],
    typeNames: data.typeNames,
    mongoose: { documentPlugins: data.mongoose.documentPlugins, fieldPlugins: data.mongoose.fieldPlugins },
    prisma: data.prisma,
    expected: data.expected,
    fix: { ...data.fix, ...(team.transformers?.[0] ? { typeormTransformer: team.transformers[0] } : {}) },
  };
});

/** A function name that says it encrypts: listed, or starting with a listed prefix (`encryptField`, `chiffrerPourNavigateur`). */
export function isEncryptionName(name: string, known: EncryptionKnowledge): boolean {
  const last = lastSegment(name);
  if (known.functions.includes(name) || known.functions.includes(last)) return true;
  const lower = last.toLowerCase();
  if (known.notProtection.some((n) => n.toLowerCase() === lower)) return false;
  const first = splitWords(last)[0] ?? '';
  return known.functionPrefixes.some((p) => first.startsWith(p.toLowerCase()));
}

export function isBinaryType(type: string | undefined, known: EncryptionKnowledge): boolean {
  if (!type) return false;
  const bare = lastSegment(type.toLowerCase().replace(/\(.*$/, '').replace(/["'`]/g, '').trim());
  return known.binaryTypes.includes(bare);
}

/** A column name that says it holds ciphertext (`num_secu_chiffre`, `encryptedNotes`). */
function hasEncryptedName(name: string, known: EncryptionKnowledge): boolean {
  return splitWords(name).some((w) => known.encryptedNames.includes(w));
}

/**
 * What protects a column, from every source of evidence: the collector's finding (transformer,
 * plugin, annotation, ENCRYPTED WITH), a binary ciphertext type, or a name that says it is encrypted.
 */
export function columnProtection(column: ColumnFact, known: EncryptionKnowledge): string | undefined {
  if (column.protection) return column.protection;
  if (isBinaryType(column.type, known)) return `binary ciphertext column (${column.type})`;
  if (hasEncryptedName(column.name, known)) return 'a column named as ciphertext';
  const dbName = column.dbName;
  if (dbName && hasEncryptedName(dbName, known)) return 'a column named as ciphertext';
  return undefined;
}

/** Why code that claims to encrypt does not: deprecated createCipher, ECB mode, an encoding. */
function weakCrypto(node: ts.Node, known: EncryptionKnowledge): string | undefined {
  let reason: string | undefined;
  const visit = (n: ts.Node): void => {
    if (reason) return;
    if (ts.isCallExpression(n)) {
      const name = calleeName(n.expression);
      if (name && lastSegment(name) === 'createCipher') reason = 'createCipher (deprecated, no IV)';
    }
    if (
      (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) &&
      known.weakModes.some((m) => new RegExp(`(^|[-_])${m}($|[-_])`, 'i').test(n.text))
    ) {
      reason = `${n.text} (ECB mode)`;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return reason;
}

/** Does this code (a function, class or object) call a real encryption primitive or an encryption helper? */
export function codeEncrypts(node: ts.Node, file: ts.SourceFile, facts: ProjectFacts, depth = 0): string | undefined {
  const known = encryptionOf(facts.config);
  if (weakCrypto(node, known)) return undefined;
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const name = calleeName(n.expression);
      if (name) {
        if (known.implementations.some((i) => name === i || name.endsWith(`.${i}`) || lastSegment(name) === i))
          found = lastSegment(name);
        else if (isEncryptionName(name, known)) {
          const inner =
            depth < 2 && ts.isIdentifier(n.expression) ? resolveName(n.expression.text, file, facts) : undefined;
          found = inner ? codeEncrypts(inner.node, inner.file, facts, depth + 1) && name : name;
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/**
 * Is this call encryption? By name (a listed function or `encrypt*`/`chiffr*`), confirmed by reading
 * the project helper when it can be resolved (ECB or createCipher inside means no); or a project
 * helper with another name whose code encrypts.
 */
export function callProtection(
  call: ts.CallExpression | ts.NewExpression,
  file: ts.SourceFile,
  facts: ProjectFacts,
): string | undefined {
  const known = encryptionOf(facts.config);
  const name = calleeName(call.expression);
  if (!name) return undefined;
  const callee = unwrap(call.expression);
  const resolved: Resolved | undefined = ts.isIdentifier(callee) ? resolveName(callee.text, file, facts) : undefined;
  if (isEncryptionName(name, known)) {
    if (call.arguments?.some((a) => ts.isStringLiteral(a) && weakCrypto(a, known))) return undefined;
    // A project helper named `encrypt` is read: base64, hex, ECB or createCipher inside is not encryption.
    if (resolved && isCode(resolved.node)) return codeEncrypts(resolved.node, resolved.file, facts) ? name : undefined;
    return name;
  }
  if (resolved && isCode(resolved.node)) {
    const inner = codeEncrypts(resolved.node, resolved.file, facts);
    if (inner) return `${name} (calls ${inner})`;
  }
  return undefined;
}

/**
 * What a TypeORM `transformer:` option protects with: `new EncryptionTransformer(...)`, a known
 * transformer name, or a project transformer (in this file or imported) whose `to` encrypts.
 */
export function transformerProtection(
  expression: ts.Expression,
  file: ts.SourceFile,
  facts: ProjectFacts,
  depth = 0,
): string | undefined {
  const known = encryptionOf(facts.config);
  const e = unwrap(expression);
  if (ts.isArrayLiteralExpression(e)) {
    for (const el of e.elements) {
      const p = transformerProtection(el, file, facts, depth);
      if (p) return p;
    }
    return undefined;
  }
  if (ts.isNewExpression(e) || ts.isCallExpression(e)) {
    const name = calleeName(e.expression);
    if (name && (known.transformers.includes(lastSegment(name)) || isEncryptionName(name, known)))
      return lastSegment(name);
    if (name && depth < 3 && ts.isIdentifier(e.expression)) {
      const r = resolveName(e.expression.text, file, facts);
      if (r && codeEncrypts(r.node, r.file, facts)) return name;
    }
    return undefined;
  }
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
    const name = calleeName(e)!;
    if (known.transformers.includes(lastSegment(name))) return lastSegment(name);
    if (ts.isIdentifier(e) && depth < 3) {
      const r = resolveName(e.text, file, facts);
      if (r && !ts.isVariableDeclaration(r.node) && !isCode(r.node) && r.node !== e) {
        const p = transformerProtection(r.node as ts.Expression, r.file, facts, depth + 1);
        if (p) return p === lastSegment(name) ? p : `${name} (${p})`;
      }
      if (r && codeEncrypts(r.node, r.file, facts)) return name;
    }
    return undefined;
  }
  if (ts.isObjectLiteralExpression(e)) {
    const encrypts = codeEncrypts(e, file, facts);
    return encrypts ? `a transformer calling ${encrypts}` : undefined;
  }
  return undefined;
}

function isCode(node: ts.Node): boolean {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isClassDeclaration(node) ||
    ts.isClassExpression(node)
  );
}
