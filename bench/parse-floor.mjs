// The physical floor of an AST scan: read every JS/TS file and parse it with ts.createSourceFile
// (parent pointers set: the engine needs them too, and sets them in its one walk of each file), nothing else.
//   node bench/parse-floor.mjs LIST_FILE   (one absolute path per line)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const ts = createRequire(import.meta.url)('typescript');

function scriptKind(path) {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.(m|c)?js$/.test(lower)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

const files = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
let statements = 0;
for (const file of files) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, scriptKind(file));
  statements += source.statements.length;
}
process.stdout.write(`${JSON.stringify({ files: files.length, statements })}\n`);
