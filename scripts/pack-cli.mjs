// Packs the CLI as a publishable npm package: `npm run pack:cli [-- --out DIR]` writes
// gdpr-lint-<version>.tgz holding the `gdpr-lint` bin, its self-contained bundle (dependencies
// included: the package needs none at install time), the rule pack, the schemas, README and LICENSE.
// Run `npm run build` first.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: root } } });
const bundle = join(root, 'server', 'dist', 'cli.js');
if (!existsSync(bundle)) {
  console.error('pack-cli: server/dist/cli.js is missing: run `npm run build` first');
  process.exit(2);
}

const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const stage = mkdtempSync(join(tmpdir(), 'gdpr-lint-pack-'));
try {
  mkdirSync(join(stage, 'bin'));
  mkdirSync(join(stage, 'dist'));
  cpSync(join(root, 'server', 'bin', 'gdpr-lint.js'), join(stage, 'bin', 'gdpr-lint.js'));
  cpSync(bundle, join(stage, 'dist', 'cli.js'));
  cpSync(join(root, 'rules'), join(stage, 'rules'), { recursive: true });
  cpSync(join(root, 'schemas'), join(stage, 'schemas'), { recursive: true });
  for (const file of ['README.md', 'LICENSE', 'SECURITY.md', '.pre-commit-hooks.yaml'])
    cpSync(join(root, file), join(stage, file));
  const manifest = {
    name: 'gdpr-lint',
    version: project.version,
    description:
      'Finds GDPR risks in the code of medical-laboratory software: plaintext health data, over-broad exports, unauthenticated routes, leaks to logs and third parties.',
    keywords: ['gdpr', 'rgpd', 'privacy', 'health data', 'linter', 'sarif', 'language server'],
    license: project.license,
    bin: { 'gdpr-lint': 'bin/gdpr-lint.js' },
    engines: { node: '>=20' },
    files: ['bin/', 'dist/', 'rules/', 'schemas/', 'README.md', 'LICENSE', 'SECURITY.md', '.pre-commit-hooks.yaml'],
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  mkdirSync(values.out, { recursive: true });
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', resolve(values.out)], {
    cwd: stage,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop();
  console.log(join(resolve(values.out), name));
} finally {
  rmSync(stage, { recursive: true, force: true });
}
