import { describe, expect, it } from 'vitest';
import { applyEdits, Project } from '../../server/src/engine/index.js';
import { importFor, projectImportSource } from '../../server/src/engine/edits/import-sources.js';
import { importEdits } from '../../server/src/engine/edits/imports.js';
import { testConfig } from '../helpers.js';

const withImport = (path: string, text: string, name: string, source: Parameters<typeof importEdits>[3]) => {
  const edits = importEdits(path, text, name, source);
  return edits && applyEdits(text, edits).text;
};

describe("imports written by TypeScript's import fix", () => {
  it('merge into the import of the same module', () => {
    expect(
      withImport('a.ts', "import { Controller, Get } from '@nestjs/common';\nexport class C {}\n", 'UseGuards', {
        kind: 'package',
        module: '@nestjs/common',
      }),
    ).toBe("import { Controller, Get, UseGuards } from '@nestjs/common';\nexport class C {}\n");
  });

  it('follow the file: double quotes and no semicolons, CRLF, require in CommonJS', () => {
    expect(
      withImport('src/a.ts', 'import express from "express"\nconst app = express()\n', 'requireAuth', {
        kind: 'file',
        file: 'src/auth/require-auth.ts',
      }),
    ).toBe('import express from "express"\nimport { requireAuth } from "./auth/require-auth"\nconst app = express()\n');
    expect(
      withImport('a.ts', "import a from 'a';\r\nconst x = a;\r\n", 'rm', {
        kind: 'package',
        module: 'node:fs/promises',
      }),
    ).toBe("import a from 'a';\r\nimport { rm } from 'node:fs/promises';\r\nconst x = a;\r\n");
    expect(
      withImport('lib/open.js', "const Router = require('@koa/router');\nconst router = new Router();\n", 'checkJwt', {
        kind: 'file',
        file: 'lib/auth.js',
      }),
    ).toBe(
      "const Router = require('@koa/router');\nconst { checkJwt } = require('./auth');\nconst router = new Router();\n",
    );
  });

  it('write the .js ending an ESM project writes, and a default import for a default export', () => {
    expect(
      withImport('src/routes/a.ts', "import { x } from '../lib/x.js';\n", 'requireAuth', {
        kind: 'file',
        file: 'src/middleware/auth.ts',
        withExtension: true,
      }),
    ).toBe("import { x } from '../lib/x.js';\nimport { requireAuth } from '../middleware/auth.js';\n");
    expect(
      withImport('src/a.ts', "import a from 'a';\n", 'redact', {
        kind: 'file',
        file: 'src/lib/redact.ts',
        isDefault: true,
      }),
    ).toBe("import a from 'a';\nimport redact from './lib/redact';\n");
  });

  it('nothing when the file binds the name already; undefined when there is no source', () => {
    expect(
      importEdits('a.ts', "import { redact } from './x';\nredact(1);\n", 'redact', {
        kind: 'file',
        file: 'lib/redact.ts',
      }),
    ).toEqual([]);
    expect(importEdits('a.js', "const { redact } = require('./x');\n", 'redact', undefined)).toEqual([]);
    expect(importEdits('a.ts', 'function redact(v: unknown) { return v; }\n', 'redact', undefined)).toEqual([]);
    expect(importEdits('a.ts', 'export const x = 1;\n', 'redact', undefined)).toBeUndefined();
    expect(
      importEdits('a.ts', 'export const x = 1;\n', 'not a name', { kind: 'package', module: 'x' }),
    ).toBeUndefined();
  });
});

describe('where the project gets a name', () => {
  const project = (files: Record<string, string>) => {
    const p = new Project(testConfig());
    for (const [path, text] of Object.entries(files)) p.setFile({ path, text });
    return p.facts;
  };

  it('the source most of its files import it from, else the one file that exports it', () => {
    const facts = project({
      'src/lib/privacy.ts': 'export function redact(v: unknown) { return v; }\n',
      'src/a.ts': "import { redact } from '@lab/privacy';\nexport const a = redact;\n",
      'src/b.ts': "import { redact } from '@lab/privacy';\nexport const b = redact;\n",
      'src/c.ts': "import { redact } from './lib/privacy';\nexport const c = redact;\n",
    });
    expect(projectImportSource(facts, 'redact')).toEqual({ kind: 'package', module: '@lab/privacy', isDefault: false });
    expect(
      projectImportSource(
        project({ 'src/lib/privacy.js': 'function redact(v) { return v; }\nmodule.exports = { redact };\n' }),
        'redact',
      ),
    ).toEqual({ kind: 'file', file: 'src/lib/privacy.js', isDefault: false });
    expect(
      projectImportSource(project({ 'src/lib/privacy.ts': 'function redact(v: unknown) { return v; }\n' }), 'redact'),
    ).toBeUndefined();
  });

  it('a package the file’s manifest does not declare is not imported', () => {
    const files = {
      'package.json': '{ "name": "api", "dependencies": { "@nestjs/common": "10" } }',
      'src/a.ts': "import { Get } from '@nestjs/common';\nexport class C {}\n",
    };
    const facts = project(files);
    expect(importFor(facts, 'src/a.ts', 'AuthGuard', { kind: 'package', module: '@nestjs/passport' })).toBeUndefined();
    expect(importFor(facts, 'src/a.ts', 'UseGuards', { kind: 'package', module: '@nestjs/common' })).toEqual([
      { start: 12, end: 12, newText: ', UseGuards' },
    ]);
    expect(importFor(facts, 'src/a.ts', 'rm', { kind: 'package', module: 'node:fs/promises' })).toHaveLength(1);
  });
});
