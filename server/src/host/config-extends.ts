import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { CONFIG_FILE_NAMES, PACKAGE_PROPERTY, type ConfigRef } from './config-discovery.js';
import { didYouMean } from './config-validate.js';
import { packageRoot } from './rulepack.js';

const PRESETS = ['recommended', 'strict'] as const;
const CONFIG_EXTENSION = /\.(ya?ml|json)$/i;
const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/.*)?$/i;
const EXPECTED = '(expected recommended, strict, a ./relative/file.yaml or an npm package name)';

/** Where an `extends` entry points to, or why it cannot be used. Never a JavaScript file. */
export function resolveExtends(spec: string, fromFile: string): ConfigRef | { problem: string } {
  if ((PRESETS as readonly string[]).includes(spec))
    return { file: join(packageRoot(), 'rules', 'presets', `${spec}.yaml`) };
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const file = resolve(dirname(fromFile), spec);
    if (!CONFIG_EXTENSION.test(file))
      return {
        problem: `"${spec}" is not a YAML or JSON file (expected a .yaml, .yml or .json file; JavaScript config is never run)`,
      };
    if (!existsSync(file)) return { problem: `file not found: ${spec} ${EXPECTED}` };
    return { file };
  }
  if (!PACKAGE_NAME.test(spec)) return { problem: `"${spec}" is not a preset, file or package name ${EXPECTED}` };
  const fromPackage = resolvePackageConfig(spec, dirname(fromFile));
  if (fromPackage) return fromPackage;
  const near = didYouMean(spec, PRESETS);
  if (near || (!spec.includes('-') && !spec.startsWith('@')))
    return { problem: `unknown preset "${spec}"${near} ${EXPECTED}` };
  return { problem: `cannot find the npm package "${spec}" in node_modules ${EXPECTED}` };
}

/** The YAML/JSON config an installed npm package provides, looked up in node_modules from `dir` upwards. */
function resolvePackageConfig(spec: string, dir: string): ConfigRef | { problem: string } | undefined {
  const parts = spec.split('/');
  const nameLength = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = parts.slice(nameLength).join('/');
  for (let current = dir; ; current = dirname(current)) {
    const root = join(current, 'node_modules', name);
    if (existsSync(join(root, 'package.json'))) return packageConfig(root, spec, subpath);
    if (dirname(current) === current) return undefined;
  }
}

function packageConfig(root: string, spec: string, subpath: string): ConfigRef | { problem: string } {
  if (subpath) {
    if (!CONFIG_EXTENSION.test(subpath))
      return { problem: `"${spec}" is not a YAML or JSON file (JavaScript config is never run)` };
    const file = join(root, subpath);
    return existsSync(file) ? { file } : { problem: `file not found in the package: ${spec}` };
  }
  const pkgFile = join(root, 'package.json');
  let pkg: { main?: unknown; [key: string]: unknown };
  try {
    pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as typeof pkg;
  } catch {
    return { problem: `the package.json of "${spec}" is not valid JSON` };
  }
  if (pkg[PACKAGE_PROPERTY] !== undefined) return { file: pkgFile, property: PACKAGE_PROPERTY };
  for (const name of CONFIG_FILE_NAMES) if (existsSync(join(root, name))) return { file: join(root, name) };
  if (typeof pkg.main === 'string' && CONFIG_EXTENSION.test(pkg.main)) return { file: join(root, pkg.main) };
  return {
    problem: `the package "${spec}" has no YAML or JSON gdpr-lint config (expected a "${PACKAGE_PROPERTY}" property, a .gdpr-lint.yaml or a YAML/JSON "main"; JavaScript config is never run)`,
  };
}
