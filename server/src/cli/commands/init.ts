import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../../host/workspace.js';
import type { RegisterCommand } from '../run.js';

/** `gdpr-lint init [dir]`: writes a commented starter .gdpr-lint.yaml for the frameworks and ORMs in use. */
export const registerInit: RegisterCommand = (program, io, exit) => {
  program
    .command('init')
    .description('write a commented starter .gdpr-lint.yaml, tuned to the frameworks and ORMs in package.json')
    .argument('[dir]', 'directory of the project', '.')
    .option('--force', 'overwrite an existing .gdpr-lint.yaml')
    .action((dir: string, options: { force?: boolean }) => {
      const root = resolve(io.cwd, dir);
      const target = join(root, '.gdpr-lint.yaml');
      if (existsSync(target) && !options.force)
        throw new UsageError(`${relative(io.cwd, target) || target} already exists (use --force to overwrite it)`);
      const stack = detectStack(root);
      writeFileSync(target, starterConfig(stack));
      const found = [...stack.frameworks, ...stack.orms, ...stack.others];
      io.stdout.write(
        `wrote ${relative(io.cwd, target) || target}${found.length > 0 ? ` (detected: ${found.join(', ')})` : ''}\n`,
      );
      exit(0);
    });
};

interface Stack {
  frameworks: string[];
  orms: string[];
  others: string[];
}

const FRAMEWORKS: Record<string, string> = {
  express: 'express',
  fastify: 'fastify',
  koa: 'koa',
  '@hapi/hapi': 'hapi',
  '@nestjs/core': 'nestjs',
  next: 'next',
};
const ORMS: Record<string, string> = {
  typeorm: 'typeorm',
  prisma: 'prisma',
  '@prisma/client': 'prisma',
  sequelize: 'sequelize',
  mongoose: 'mongoose',
  knex: 'knex',
  '@mikro-orm/core': 'mikro-orm',
  pg: 'pg',
  mysql2: 'mysql2',
  'drizzle-orm': 'drizzle',
};
const OTHERS: Record<string, string> = {
  pino: 'pino',
  winston: 'winston',
  '@sentry/node': 'sentry',
  kafkajs: 'kafkajs',
  passport: 'passport',
};

/** Frameworks, ORMs and a few libraries named in the dependencies of `root/package.json`. */
function detectStack(root: string): Stack {
  let deps: Record<string, unknown> = {};
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, unknown> | undefined
    >;
    deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
  } catch {
    // no package.json: a generic starter
  }
  const pick = (table: Record<string, string>) =>
    [...new Set(Object.keys(deps).flatMap((d) => (table[d] ? [table[d]] : [])))].sort();
  return { frameworks: pick(FRAMEWORKS), orms: pick(ORMS), others: pick(OTHERS) };
}

/** The starter file: valid as written (every example that needs editing is commented out). */
function starterConfig(stack: Stack): string {
  const has = (name: string) => [...stack.frameworks, ...stack.orms, ...stack.others].includes(name);
  const lines = [
    '# yaml-language-server: $schema=./node_modules/gdpr-lint/schemas/config.schema.json',
    '# gdpr-lint configuration (validated as you type by the YAML extension, redhat.vscode-yaml).',
    `# Detected: ${[...stack.frameworks, ...stack.orms, ...stack.others].join(', ') || 'nothing in package.json'}.`,
    '# Every key is optional; see `gdpr-lint rules` and `gdpr-lint explain RULE`.',
    '',
    '# recommended (the defaults) or strict (every finding is an error); also ./shared.yaml or an npm package.',
    'extends: recommended',
    '',
    '# Severities: off | note | warning | error, or { severity, options }.',
    'rules:',
    '  plaintext-health-data: error',
    '  # select-star-export: warning',
    '  # health-data-in-logs: { severity: error }',
    '',
    '# Your own names for health data, and built-in terms that are false friends here.',
    'vocabulary:',
    '  add:',
    '    lab-result: []        # e.g. [glycemie_a_jeun, anapath*]',
    '    genetic: []           # e.g. [caryo]',
    '  remove: []              # e.g. [tension] if it means electrical tension in your code',
    '',
    '# Your encryption helpers: values going through them count as protected.',
    'encryption:',
    `  functions: []          # e.g. [encryptPhi]${has('pg') ? ' (pgcrypto pgp_sym_encrypt is built in)' : ''}`,
    ...(has('typeorm')
      ? ['  transformers: []       # e.g. [EncryptionTransformer] for TypeORM @Column({ transformer })']
      : []),
    ...(has('prisma') ? ['  # Prisma: mark encrypted fields with /// @encrypted (prisma-field-encryption).'] : []),
    ...(has('mongoose') ? ['  # Mongoose: mongoose-encryption / mongoose-field-encryption plugins are built in.'] : []),
    '',
    '# Your authentication: routes behind these count as authenticated.',
    'auth:',
    `  middleware: []         # e.g. [requireLabAuth]${has('passport') ? ' (passport.authenticate is built in)' : ''}`,
    ...(has('nestjs')
      ? ['  guards: []             # e.g. [LabAuthGuard]', '  decorators: []         # e.g. [Authenticated]']
      : []),
    '  publicPaths: []        # e.g. [/status, /login]: public by design',
    '',
    '# Hosts of your own that are not third parties, and processors under an Art. 28 contract.',
    'thirdParty:',
    '  internalHosts: []      # e.g. [lis.example.internal]',
    `  approvedProcessors: [] # e.g. [hds-host.example]${has('sentry') ? ' (Sentry is a third party unless listed)' : ''}`,
    '',
    `# Functions that redact health data before logging.${has('pino') ? ' pino redact options are understood.' : ''}`,
    'redaction:',
    '  functions: []          # e.g. [maskPhi]',
    '',
    '# Where exports belong (outside any web or FTP root), and outputs kept on purpose with their legal basis.',
    '# exports:',
    '#   privateDir: /var/lib/my-lab/exports',
    '# retention:',
    '#   - { path: /data/archive/**, basis: "Art. 6(1)(c): lab reports kept 10 years", period: 10 years }',
    '',
    '# Suppression comments need "-- reason" unless this is false.',
    'suppressions:',
    '  requireJustification: true',
    '',
    'ignore:',
    '  - "**/*.generated.ts"',
    ...(has('next') ? ['  - ".next/"'] : []),
    '',
    '# Team rules in the format of the built-in rules/*.yaml (kind: field | sink | sql | route).',
    '# ruleFiles:',
    '#   - ./gdpr-rules/*.yaml',
    '',
  ];
  return lines.join('\n');
}
