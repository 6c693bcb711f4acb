import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../server/src/engine/detectors/index.js';
import { formatMessage, placeholdersOf } from '../server/src/engine/messages.js';
import { parseRulePack } from '../server/src/host/rulepack.js';
import { REPO_ROOT, testPack } from './helpers.js';

const ruleIds = readdirSync(join(REPO_ROOT, 'rules'))
  .filter((n) => n.endsWith('.yaml'))
  .map((n) => n.replace(/\.yaml$/, ''));
const testFiles = readdirSync(join(REPO_ROOT, 'test/rules'));

describe('every rule has its four parts: YAML, doc, detector, tests', () => {
  it('the pack loads and validates', () => {
    expect(Object.keys(testPack().rules).sort()).toEqual([...ruleIds].sort());
  });
  for (const id of ruleIds) {
    it(id, () => {
      expect(existsSync(join(REPO_ROOT, 'rules', `${id}.md`)), `rules/${id}.md`).toBe(true);
      expect(
        DETECTORS.filter((d) => d.ruleId === id),
        `detector for ${id}`,
      ).toHaveLength(1);
      expect(
        testFiles.some((f) => f.startsWith(id) && f.endsWith('.test.ts')),
        `test/rules/${id}*.test.ts`,
      ).toBe(true);
      const doc = readFileSync(join(REPO_ROOT, 'rules', `${id}.md`), 'utf8');
      expect(doc).toMatch(/Art\. \d+/);
    });
  }
  it('the strict preset fails the build on every rule', () => {
    const strict = readFileSync(join(REPO_ROOT, 'rules/presets/strict.yaml'), 'utf8');
    for (const id of ruleIds) expect(strict, `strict.yaml: ${id}`).toMatch(new RegExp(`^  ${id}: error$`, 'm'));
  });
  it('no detector without a rule', () => {
    for (const d of DETECTORS) expect(ruleIds).toContain(d.ruleId);
  });
  it.each(ruleIds)('%s declares the schema of its options, and its defaults satisfy it', (id) => {
    const rule = testPack().rules[id]!;
    expect(rule.options, `options schema of ${id}`).toMatchObject({ type: 'object', additionalProperties: false });
    const validate = new Ajv({ strict: true }).compile(rule.options!);
    for (const [name, property] of Object.entries(
      (rule.options!['properties'] ?? {}) as Record<string, { description?: unknown }>,
    )) {
      expect(typeof property.description, `${id}: options.${name}.description`).toBe('string');
    }
    expect(validate(rule.parameters ?? {}), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('the engine is pure', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  it('imports no Node built-in, vscode or LSP module and reads no process state', () => {
    for (const file of walk(join(REPO_ROOT, 'server/src/engine'))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (
          (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
          node.moduleSpecifier &&
          ts.isStringLiteral(node.moduleSpecifier)
        ) {
          expect(node.moduleSpecifier.text, file).not.toMatch(
            /^(node:|fs$|path$|os$|child_process$|worker_threads$|vscode)/,
          );
        }
        if (
          ts.isPropertyAccessExpression(node) &&
          ts.isIdentifier(node.expression) &&
          node.expression.text === 'process'
        ) {
          throw new Error(`${file}: reads process.${node.name.text}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  });
  it('its tsconfig has no Node types and forbids vscode imports', () => {
    const tsconfig = JSON.parse(readFileSync(join(REPO_ROOT, 'server/src/engine/tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions.types).toEqual([]);
    expect(Object.keys(tsconfig.compilerOptions.paths)).toContain('vscode-languageserver');
  });
  it('importing fs or vscode-languageserver from engine code is a compile error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdpr-purity-'));
    writeFileSync(
      join(dir, 'probe.ts'),
      "import { readFileSync } from 'node:fs';\nimport { createConnection } from 'vscode-languageserver';\nexport const x = [readFileSync, createConnection];\n",
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(REPO_ROOT, 'server/src/engine/tsconfig.json'),
        compilerOptions: {
          composite: false,
          noEmit: true,
          emitDeclarationOnly: false,
          declaration: false,
          rootDir: dir,
          outDir: undefined,
          typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
        },
        include: [join(dir, 'probe.ts')],
      }),
    );
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/probe\.ts\(1,.*TS2307/);
    expect(run.stdout).toMatch(/probe\.ts\(2,.*TS2307/);
  });
});

describe('the vocabulary files are data with a schema', () => {
  it('every rules/vocabulary file validates against its schema', () => {
    expect(() => parseRulePack(REPO_ROOT)).not.toThrow();
  });

  it('a misspelt key in a vocabulary file is a located error', () => {
    const root = mkdtempSync(join(tmpdir(), 'gdpr-pack-'));
    cpSync(join(REPO_ROOT, 'rules'), join(root, 'rules'), { recursive: true });
    cpSync(join(REPO_ROOT, 'schemas'), join(root, 'schemas'), { recursive: true });
    cpSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
    const file = join(root, 'rules', 'vocabulary', 'lab-result.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^weak:/m, 'waek:'));
    expect(() => parseRulePack(root)).toThrow(
      /lab-result\.yaml:\d+:\d+: waek: must NOT have additional properties \(schema category\.schema\.json\)/,
    );
    writeFileSync(join(root, 'rules', 'vocabulary', 'new-list.yaml'), 'words: [a]\n');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^waek:/m, 'weak:'));
    expect(() => parseRulePack(root)).toThrow(/new-list\.yaml:1:1: no schema/);
  });

  it('a knowledge file missing a key is an error: the engine has no copy of the YAML to fall back on', () => {
    const root = mkdtempSync(join(tmpdir(), 'gdpr-pack-'));
    cpSync(join(REPO_ROOT, 'rules'), join(root, 'rules'), { recursive: true });
    cpSync(join(REPO_ROOT, 'schemas'), join(root, 'schemas'), { recursive: true });
    cpSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
    const file = join(root, 'rules', 'vocabulary', 'export-sinks.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^mail: .*\n/m, ''));
    expect(() => parseRulePack(root)).toThrow(/export-sinks\.yaml:\d+:\d+: .*must have required property 'mail'/);
  });
});

/**
 * The messageIds a source file uses, by rule: the literal values of its `messageId:` properties
 * (through conditionals, and through a function of the same file that returns literals), and the
 * literal ids of its `formatMessage(pack, RULE, 'id', ...)` calls. A messageId computed any other way
 * could not be checked here, so it fails the test.
 */
function messageIdsUsed(file: string, ruleOfFile: string | undefined): { rule: string; id: string; args?: string[] }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const constants = new Map<string, string>();
  const functions = new Map<string, ts.FunctionDeclaration>();
  const walk = (node: ts.Node, visit: (n: ts.Node) => void): void => {
    visit(node);
    ts.forEachChild(node, (child) => walk(child, visit));
  };
  walk(source, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isStringLiteral(n.initializer))
      constants.set(n.name.text, n.initializer.text);
    if (ts.isFunctionDeclaration(n) && n.name) functions.set(n.name.text, n);
  });
  const literals = (e: ts.Expression): string[] => {
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
    if (ts.isParenthesizedExpression(e)) return literals(e.expression);
    if (ts.isConditionalExpression(e)) return [...literals(e.whenTrue), ...literals(e.whenFalse)];
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && functions.has(e.expression.text)) {
      const out: string[] = [];
      walk(functions.get(e.expression.text)!, (n) => {
        if (ts.isReturnStatement(n) && n.expression) out.push(...literals(n.expression));
      });
      return out;
    }
    throw new Error(
      `${file}:${source.getLineAndCharacterOfPosition(e.getStart()).line + 1}: a messageId must be a literal (or a choice of literals): ${e.getText()}`,
    );
  };
  const argsOf = (object: ts.ObjectLiteralExpression): string[] | undefined => {
    const args = object.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'args');
    if (!args || !ts.isPropertyAssignment(args) || !ts.isObjectLiteralExpression(args.initializer)) return undefined;
    // Spread parts are not followed: the keys are then not all known here.
    if (args.initializer.properties.some((p) => ts.isSpreadAssignment(p))) return undefined;
    return args.initializer.properties.flatMap((p) =>
      p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? [p.name.text] : [],
    );
  };
  const used: { rule: string; id: string; args?: string[] }[] = [];
  walk(source, (n) => {
    if (ruleOfFile && ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'messageId') {
      const args = argsOf(n.parent as ts.ObjectLiteralExpression);
      for (const id of literals(n.initializer)) used.push({ rule: ruleOfFile, id, ...(args ? { args } : {}) });
    }
    if (
      ts.isCallExpression(n) &&
      ts.isIdentifier(n.expression) &&
      n.expression.text === 'formatMessage' &&
      n.arguments.length >= 3
    ) {
      const ruleArg = n.arguments[1]!;
      const rule = ts.isStringLiteral(ruleArg)
        ? ruleArg.text
        : ts.isIdentifier(ruleArg)
          ? constants.get(ruleArg.text)
          : undefined;
      if (!rule) return;
      for (const id of literals(n.arguments[2]!)) used.push({ rule, id });
    }
  });
  return used;
}

describe("a rule's messages live in its YAML, by messageId", () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  const detectorFiles = new Map(ruleIds.map((id) => [join(REPO_ROOT, 'server/src/engine/detectors', `${id}.ts`), id]));
  const used = walk(join(REPO_ROOT, 'server/src/engine')).flatMap((file) =>
    messageIdsUsed(file, detectorFiles.get(file)),
  );

  it('every messageId a detector reports is a message of its rule, and every placeholder has a value', () => {
    expect(used.length).toBeGreaterThan(ruleIds.length);
    for (const { rule, id, args } of used) {
      const template = testPack().rules[rule]?.messages?.[id];
      expect(template, `rules/${rule}.yaml: messages.${id}`).toBeTypeOf('string');
      if (args)
        for (const name of placeholdersOf(template!))
          expect(args, `${rule}: {{${name}}} of messages.${id}`).toContain(name);
    }
  });

  it.each(ruleIds)('every message of %s is reported somewhere', (id) => {
    const messages = Object.keys(testPack().rules[id]!.messages ?? {});
    expect(messages.length, `rules/${id}.yaml: messages`).toBeGreaterThan(0);
    for (const messageId of messages)
      expect(
        used.some((u) => u.rule === id && u.id === messageId),
        `rules/${id}.yaml: messages.${messageId} is never reported`,
      ).toBe(true);
  });

  it('built-in detectors report messageIds, not text', () => {
    for (const [file] of detectorFiles) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (n: ts.Node): void => {
        if (
          ts.isCallExpression(n) &&
          ts.isPropertyAccessExpression(n.expression) &&
          n.expression.name.text === 'report' &&
          n.arguments[0] &&
          ts.isObjectLiteralExpression(n.arguments[0])
        ) {
          const names = n.arguments[0].properties.flatMap((p) =>
            p.name && ts.isIdentifier(p.name) ? [p.name.text] : ts.isSpreadAssignment(p) ? ['...'] : [],
          );
          expect(names, `${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`).not.toContain(
            'message',
          );
          expect(
            names.includes('messageId') || names.includes('...'),
            `${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}: no messageId`,
          ).toBe(true);
        }
        ts.forEachChild(n, visit);
      };
      visit(source);
    }
  });

  it('a message is filled from its placeholders; a missing value is an error, not a hole', () => {
    const pack = testPack();
    expect(formatMessage(pack, 'suppression-comment', 'expired', { until: '2020-01-01' })).toBe(
      'Suppression expired on 2020-01-01: the findings it covered are reported again. Fix them, or renew the suppression with a new date and justification.',
    );
    expect(() => formatMessage(pack, 'suppression-comment', 'expired', {})).toThrow(/needs a value for \{\{until\}\}/);
    expect(() => formatMessage(pack, 'suppression-comment', 'no-such-message')).toThrow(
      /has no message "no-such-message"/,
    );
    // A value is inserted once, as written: a placeholder inside a value is not filled again.
    expect(formatMessage(pack, 'suppression-comment', 'invalid-date', { until: '{{until}}' })).toBe(
      'Invalid until= date "{{until}}" in a suppression comment (expected YYYY-MM-DD).',
    );
  });
});
