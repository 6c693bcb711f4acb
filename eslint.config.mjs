// Lints the project's own code: typescript-eslint's type-checked rules, and the layers of the
// architecture as import restrictions (engine <- host <- lsp, cli; lsp and cli never import each other).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** One restriction per layer: every import pattern it must not use, each with why. */
const layer = (files, restrictions) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: restrictions.map(([group, message]) => ({ group, message })) }],
  },
});
const ENGINE_INTERNALS = [
  ['**/engine/*/**', '**/engine/*.js', '!**/engine/index.js'],
  'adapters use the engine through its entry point, engine/index.ts',
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/out/**',
      'node_modules/**',
      'test/**',
      'bench/**',
      'scripts/**',
      'eval/**',
      'examples/**',
      '**/*.mjs',
      '**/*.cjs',
      '**/*.js',
      '**/*.mts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
  },
  layer(
    ['server/src/engine/**/*.ts'],
    [
      [
        [
          '**/host/**',
          '**/lsp/**',
          '**/cli/**',
          'vscode',
          'vscode-languageserver*',
          'node:*',
          'fs',
          'path',
          'child_process',
        ],
        'the engine is pure: files in, findings out (no host, LSP, CLI, file system or process)',
      ],
    ],
  ),
  layer(
    ['server/src/host/**/*.ts'],
    [
      [['**/lsp/**', '**/cli/**', 'vscode', 'vscode-languageserver*'], 'host serves both adapters: it imports neither'],
      ENGINE_INTERNALS,
    ],
  ),
  layer(
    ['server/src/lsp/**/*.ts'],
    [[['**/cli/**'], 'the language server does not import the CLI: shared logic lives in host/'], ENGINE_INTERNALS],
  ),
  layer(
    ['server/src/cli/**/*.ts'],
    [
      [
        ['**/lsp/**', 'vscode-languageserver*'],
        'the CLI does not import the language server: shared logic lives in host/',
      ],
      ENGINE_INTERNALS,
    ],
  ),
);
