import ts from 'typescript';
import type { Detector, DetectorContext } from '../detector.js';
import { describeData, readRelated, severityOf, suppression, writeRelated } from '../exports/describe.js';
import type { Exposure } from '../exports/destinations.js';
import { carriesPersonalData, exportFactsOf, type ExportFact } from '../exports/facts.js';
import { exportKnowledge, type ExportKnowledge } from '../exports/knowledge.js';
import { servedDirectories, servedDirectoryOf } from '../exports/served.js';
import { bindingOf } from '../names/binding.js';
import { unwrap } from '../syntax/ast.js';
import type { Fix, Range, RelatedLocation, TextEdit } from '../types.js';

const RULE = 'export-to-public-location';

/**
 * `export-to-public-location`: personal data written where others can read it (Art. 5(1)(f),
 * 32): a folder a web or FTP server publishes, a directory the application serves as static
 * content, a shared `/tmp`, a public bucket or ACL, a long-lived signed link. The exports are the
 * engine's export facts (the privacy inventory's Exports section), so each finding is a row there.
 */
export const exportToPublicLocation: Detector = {
  ruleId: RULE,
  languages: ['sql', 'typescript', 'javascript'],
  check(ctx) {
    for (const fact of exportFactsOf(ctx)) {
      ctx.tick();
      if (!fact.exposure || !carriesPersonalData(fact)) continue;
      report(ctx, fact, fact.exposure);
    }
  },
};

function report(ctx: DetectorContext, fact: ExportFact, exposure: Exposure): void {
  const range = fact.anchor;
  const target = fact.destination.target
    ? `${fact.destination.kind === 'bucket' ? 'bucket ' : ''}${fact.destination.target}`
    : `a ${fact.destination.kind}`;
  const related: RelatedLocation[] = [...readRelated(fact, ctx, range), ...writeRelated(fact, ctx)];
  if (exposure.declared)
    related.push({ file: exposure.declared.file, range: exposure.declared.range, message: exposure.declared.what });
  const fixes = [...moveFixes(ctx, fact, exposure), ...exposureFixes(ctx, exposure), suppression(ctx, range, RULE)];
  // A suppression is never the preferred fix: only a change of the code is.
  if (fixes.length > 1) fixes[0] = { ...fixes[0]!, isPreferred: true };
  ctx.report({
    range,
    // What becomes of it: read by other accounts of the server (a shared folder) or by anyone (a served folder, a bucket).
    messageId:
      fact.origin === 'write'
        ? exposure.local
          ? 'written-shared'
          : fact.destination.kind === 'bucket'
            ? 'written-to-bucket'
            : 'written'
        : exposure.local
          ? 'exported-shared'
          : fact.destination.kind === 'bucket'
            ? 'exported-to-bucket'
            : 'exported',
    args: { data: describeData(fact), target, reason: exposure.reason },
    severity: exposure.local ? 'warning' : severityOf(fact),
    fixes,
    ...(related.length > 0 ? { related } : {}),
    data: {
      exposure: exposure.kind,
      destination: fact.destination.kind,
      ...(fact.destination.target ? { target: fact.destination.target } : {}),
      tables: fact.tables,
      categories: fact.categories,
      job: fact.job,
    },
  });
}

// ---- Quick fixes -------------------------------------------------------------------------

/** Move the output below `exports.privateDir`: the literal that names the public folder, in this file, is rewritten. */
function moveFixes(ctx: DetectorContext, fact: ExportFact, exposure: Exposure): Fix[] {
  const privateDir = ctx.config.exports?.privateDir?.replace(/[\\/]+$/, '');
  if (!privateDir || privateDir.startsWith('$') || fact.destination.kind !== 'file') return [];
  const known = exportKnowledge(ctx.config);
  const edit =
    fact.sql?.origin === 'sql-file' || ctx.file.language === 'sql' || !fact.node
      ? sqlPathEdit(ctx, fact.anchor, privateDir, exposure, known)
      : tsPathEdit(ctx, fact, privateDir, exposure, known);
  return edit ? [{ title: `Write it under the private export directory ${privateDir}`, edits: [edit] }] : [];
}

/** The string token of a COPY ... TO / INTO OUTFILE, rewritten in place. */
function sqlPathEdit(
  ctx: DetectorContext,
  anchor: Range,
  privateDir: string,
  exposure: Exposure,
  known: ExportKnowledge,
): TextEdit | undefined {
  const raw = ctx.file.text.slice(anchor.start, anchor.end);
  const m = /^(['"])(.*)\1$/s.exec(raw);
  if (!m || m[2]!.includes(m[1]!) || m[2]!.includes('\\')) return undefined;
  const moved = movedPath(m[2]!, privateDir, exposure, known, ctx);
  return moved === undefined || moved.includes(m[1]!)
    ? undefined
    : { start: anchor.start + 1, end: anchor.end - 1, newText: moved };
}

function tsPathEdit(
  ctx: DetectorContext,
  fact: ExportFact,
  privateDir: string,
  exposure: Exposure,
  known: ExportKnowledge,
): TextEdit | undefined {
  const source = ctx.file.ts;
  if (!source) return undefined;
  const start = findNode(source, fact.anchor);
  if (!start || !ts.isExpression(start)) return undefined;
  const visit = (expr: ts.Expression, depth: number): TextEdit | undefined => {
    const e = unwrap(expr);
    if (depth > 4 || e.getSourceFile() !== source) return undefined;
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e))
      return pieceEdit(e, source, e.text, privateDir, exposure, known, ctx);
    if (ts.isTemplateExpression(e)) {
      return (
        pieceEdit(e.head, source, e.head.text, privateDir, exposure, known, ctx) ??
        e.templateSpans.reduce<TextEdit | undefined>(
          (found, span) =>
            found ??
            visit(span.expression, depth + 1) ??
            pieceEdit(span.literal, source, span.literal.text, privateDir, exposure, known, ctx),
          undefined,
        )
      );
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken)
      return visit(e.left, depth + 1) ?? visit(e.right, depth + 1);
    if (ts.isCallExpression(e)) {
      const callee = e.expression.getText(source).replace(/\s+/g, '');
      if (/(^|\.)tmpdir$/.test(callee) && exposure.kind === 'shared-folder')
        return {
          start: e.getStart(source),
          end: e.end,
          newText: quote(privateDir, source.text[start.getStart(source)] === '"' ? '"' : "'"),
        };
      if (/(^|\.)(join|resolve)$/.test(callee))
        return e.arguments.reduce<TextEdit | undefined>((found, a) => found ?? visit(a, depth + 1), undefined);
      return undefined;
    }
    if (ts.isIdentifier(e)) {
      const init = bindingOf(e, ctx)?.initializer;
      return init && init.getSourceFile() === source ? visit(init, depth + 1) : undefined;
    }
    return undefined;
  };
  return visit(start, 0);
}

function quote(text: string, q: string): string {
  return q + text.replace(/\\/g, '\\\\').split(q).join(`\\${q}`) + q;
}

/** One literal piece (a string, a template head, middle or tail): its inner text replaced when it names the public place. */
function pieceEdit(
  piece: ts.Node,
  source: ts.SourceFile,
  text: string,
  privateDir: string,
  exposure: Exposure,
  known: ExportKnowledge,
  ctx: DetectorContext,
): TextEdit | undefined {
  const moved = movedPath(text, privateDir, exposure, known, ctx);
  if (moved === undefined) return undefined;
  const raw = piece.getText(source);
  const open = 1;
  const close = ts.isTemplateHead(piece) || ts.isTemplateMiddle(piece) ? 2 : 1;
  const inner = raw.slice(open, raw.length - close);
  if (inner !== text) return undefined; // escapes in the literal: not rewritten
  const escaped = ts.isStringLiteral(piece)
    ? moved.replace(/\\/g, '\\\\').split(raw[0]!).join(`\\${raw[0]}`)
    : moved.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  const start = piece.getStart(source) + open;
  return { start, end: start + inner.length, newText: escaped };
}

/** `/srv/www/public/exports/p.csv` -> `<privateDir>/exports/p.csv`: what follows the public folder is kept. */
function movedPath(
  text: string,
  privateDir: string,
  exposure: Exposure,
  known: ExportKnowledge,
  ctx: DetectorContext,
): string | undefined {
  const segments = text.split(/([\\/])/);
  const names = segments.filter((_s, i) => i % 2 === 0).map((s) => s.toLowerCase());
  let end = -1;
  const mark = (parts: string[]) => {
    for (let i = 0; i + parts.length <= names.length; i++) {
      if (parts.every((p, j) => names[i + j] === p)) end = Math.max(end, i + parts.length - 1);
    }
  };
  if (exposure.kind === 'web-folder' || exposure.kind === 'ftp-folder') {
    for (const folder of [...known.publicFolders, ...known.ftpFolders])
      mark(folder.toLowerCase().split('/').filter(Boolean));
  } else if (exposure.kind === 'served') {
    const served = servedDirectoryOf(text, servedDirectories(ctx.project));
    const tail = served?.dir
      .replace(/\\/g, '/')
      .split('/')
      .filter((s) => s && s !== '.' && s !== '..' && !/[{}$]/.test(s))
      .map((s) => s.toLowerCase());
    if (tail && tail.length > 0) mark(tail.slice(-1));
  } else if (exposure.kind === 'shared-folder') {
    for (const folder of known.sharedFolders) if (folder.startsWith('/')) mark(folder.toLowerCase().split('/'));
  }
  if (end < 0) return undefined;
  const rest = segments.slice(2 * end + 1).join('');
  return privateDir + rest;
}

function findNode(source: ts.SourceFile, range: Range): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(source) === range.start && node.end === range.end) found = node;
    if (!found && node.pos <= range.start && range.end <= node.end) ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Drop the public ACL (`ACL: 'private'`), the `makePublic()` call, or shorten the signed link to an hour. */
function exposureFixes(ctx: DetectorContext, exposure: Exposure): Fix[] {
  const declared = exposure.declared;
  const source = ctx.file.ts;
  if (!declared || declared.file !== ctx.file.path || !source) return [];
  const node = findNode(source, declared.range);
  if (!node) return [];
  if (exposure.kind === 'public-acl' && ts.isStringLiteralLike(node)) {
    const q = node.getText(source)[0]!;
    return [
      {
        title: 'Make the object private (drop the public ACL)',
        edits: [{ ...declared.range, newText: `${q}private${q}` }],
      },
    ];
  }
  if (exposure.kind === 'public-acl' && ts.isCallExpression(node)) {
    let statement: ts.Node = node;
    while (statement.parent && !ts.isExpressionStatement(statement)) statement = statement.parent;
    if (!ts.isExpressionStatement(statement)) return [];
    const lineStart = ctx.file.text.lastIndexOf('\n', statement.getStart(source) - 1) + 1;
    const onlyThis = ctx.file.text.slice(lineStart, statement.getStart(source)).trim() === '';
    const next = ctx.file.text.indexOf('\n', statement.end);
    const end =
      onlyThis && next >= 0 && ctx.file.text.slice(statement.end, next).trim() === '' ? next + 1 : statement.end;
    return [
      {
        title: `Do not make it public (remove ${node.expression.getText(source)}())`,
        edits: [{ start: onlyThis ? lineStart : statement.getStart(source), end, newText: '' }],
      },
    ];
  }
  if (exposure.kind === 'signed-url' && ts.isCallExpression(node)) {
    for (const arg of node.arguments) {
      const e = unwrap(arg);
      if (!ts.isObjectLiteralExpression(e)) continue;
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p) && /^(expiresIn|Expires|expiry|expirySeconds)$/.test(p.name.getText(source))) {
          return [
            {
              title: 'Make the signed link expire after an hour',
              edits: [{ start: p.initializer.getStart(source), end: p.initializer.end, newText: '3600' }],
            },
          ];
        }
      }
    }
  }
  return [];
}
