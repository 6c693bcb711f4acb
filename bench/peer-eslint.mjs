// The peer linter: ESLint 9 + eslint-plugin-security (recommended rules) with the typescript-eslint
// parser, over a list of files, with the flat config given (no config lookup).
//   node bench/peer-eslint.mjs CONFIG_FILE LIST_FILE CWD
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { ESLint } = createRequire(import.meta.url)('eslint');
const [config, list, cwd] = process.argv.slice(2);
const files = readFileSync(list, 'utf8').split('\n').filter(Boolean);
const eslint = new ESLint({
  cwd,
  overrideConfigFile: config,
  cache: false,
  errorOnUnmatchedPattern: false,
  warnIgnored: false,
});
const results = await eslint.lintFiles(files);
let problems = 0;
let fatal = 0;
for (const r of results) {
  problems += r.messages.length;
  fatal += r.fatalErrorCount;
}
process.stdout.write(`${JSON.stringify({ files: results.length, problems, fatal })}\n`);
