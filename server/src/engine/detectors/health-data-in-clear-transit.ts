import ts from 'typescript';
import type { Detector, DetectorContext } from '../detector.js';
import { exportFactsOf } from '../exports/facts.js';
import { staticText } from '../exports/static-text.js';
import { describeEvidence } from '../sinks/fixes.js';
import { suppressionFix } from '../suppressions.js';
import { healthSlots, type HealthSlot } from '../sinks/payload.js';
import { bindingOf } from '../names/binding.js';
import { propertyName, unwrap } from '../syntax/ast.js';
import { clearChannels, type ClearChannel, type Send } from '../transit/channels.js';
import type { Fix, RelatedLocation } from '../types.js';
import { classifierFor, isSpecial } from '../vocabulary/classify.js';

const RULE = 'health-data-in-clear-transit';

/**
 * `health-data-in-clear-transit`: health data or health identifiers sent over a channel without
 * encryption (plain HTTP or WebSocket to a host that is not local, FTP without TLS, SMTP with TLS
 * ignored, a database connection with TLS off carrying special-category tables) or to a server
 * that is not verified (`rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED=0`) (Art. 32).
 */
export const healthDataInClearTransit: Detector = {
  ruleId: RULE,
  languages: ['typescript', 'javascript'],
  check(ctx) {
    if (!ctx.file.ts) return;
    for (const channel of clearChannels(ctx)) {
      ctx.tick();
      const carried = channel.carriesDatabase
        ? databaseEvidence(ctx)
        : (sentHealthData(channel.sends, ctx) ?? trailEvidence(channel, ctx));
      if (!carried) continue;
      report(ctx, channel, carried);
    }
  },
};

interface Carried {
  /** `lab result (`r.valeur`)`, `the table "resultats" (valeur: lab-result)`. */
  text: string;
  related: RelatedLocation[];
  /** The call that sends it (the inventory links its third-party flow or export to the finding). */
  call?: ts.Node;
}

/** The first health value in what the channel sends: the payload of the call, or a file an export of this file wrote. */
function sentHealthData(sends: readonly Send[], ctx: DetectorContext): Carried | undefined {
  const source = ctx.file.ts!;
  for (const send of sends) {
    const slots: HealthSlot[] = send.payload.flatMap((arg) => {
      const direct = healthSlots(arg, ctx);
      // Readable.from(JSON.stringify(x)), Buffer.from(x): a stream or buffer made of the value carries it.
      const e = unwrap(arg);
      const nested =
        direct.length > 0 || !ts.isCallExpression(e) ? direct : e.arguments.flatMap((inner) => healthSlots(inner, ctx));
      return nested.length > 0 ? nested : labelledSlots(arg, ctx);
    });
    const first = slots[0];
    if (first) {
      return {
        text: describeEvidence(first.evidence),
        related: [
          {
            file: ctx.file.path,
            range: { start: first.expr.getStart(source), end: first.expr.end },
            message: `sent here (${send.call.expression.getText(source).replace(/\s+/g, '')})`,
          },
        ],
        call: send.call,
      };
    }
    const exported = exportedFile(send, ctx);
    if (exported) return { ...exported, call: send.call };
  }
  return undefined;
}

/**
 * Values the payload labels as special-category data for the receiver (`{ maThe: dto.identityNumber }`,
 * `{ diagnosis: form.text }`): whatever the value's own name, the key says what travels. A constant
 * (a literal, a code) is not about a person.
 */
function labelledSlots(arg: ts.Expression, ctx: DetectorContext, depth = 0): HealthSlot[] {
  const e = unwrap(arg);
  if (depth > 3 || !ts.isObjectLiteralExpression(e)) return [];
  const classifier = classifierFor(ctx.config);
  const out: HealthSlot[] = [];
  for (const p of e.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const key = propertyName(p.name);
    const value = unwrap(p.initializer);
    if (ts.isObjectLiteralExpression(value)) {
      out.push(...labelledSlots(value, ctx, depth + 1));
      continue;
    }
    if (
      !key ||
      !(ts.isIdentifier(value) || ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value))
    )
      continue;
    const c = classifier.classify(key, { kind: 'field' });
    if (c && isSpecial(c.category))
      out.push({
        expr: p.initializer,
        keyPath: [key],
        inString: false,
        evidence: {
          category: c.category,
          why: `sent as "${key}"`,
          path: `${key}: ${value.getText().replace(/\s+/g, '')}`,
        },
      });
  }
  return out;
}

/**
 * What an export of this file sends with this call (rows of a query with special-category
 * columns), or an upload of a file such an export wrote (`client.uploadFrom(file, ...)`).
 */
function exportedFile(send: Send, ctx: DetectorContext): Carried | undefined {
  const source = ctx.file.ts!;
  const paths = (send.call.arguments ?? []).map((a) => staticText(a, ctx));
  for (const fact of exportFactsOf(ctx)) {
    const sent = fact.node === send.call ? fact.personalColumns.filter((c) => c.special) : [];
    if (sent.length > 0) {
      const at = fact.sql ?? undefined;
      return {
        text: `rows of ${
          fact.tables
            .slice(0, 2)
            .map((t) => `"${t}"`)
            .join(', ') || 'a query'
        } (${sent
          .slice(0, 3)
          .map((c) => `${c.name}: ${c.category}`)
          .join(', ')})`,
        related: at
          ? [{ file: ctx.file.path, range: { start: at.start, end: at.end }, message: 'the data is read here' }]
          : [],
      };
    }
  }
  for (const fact of exportFactsOf(ctx)) {
    if (fact.destination.kind !== 'file' || !fact.destination.target) continue;
    const special = fact.personalColumns.filter((c) => c.special);
    if (special.length === 0) continue;
    const sameText = paths.includes(fact.destination.target);
    const sameName = (send.call.arguments ?? []).some((a) => {
      const e = unwrap(a);
      if (!ts.isIdentifier(e) || !fact.node || !ts.isCallExpression(fact.node)) return false;
      const written = fact.node.arguments[0] && unwrap(fact.node.arguments[0]);
      return (
        !!written &&
        ts.isIdentifier(written) &&
        written.text === e.text &&
        bindingOf(written, ctx)?.initializer === bindingOf(e, ctx)?.initializer
      );
    });
    if (!sameText && !sameName) continue;
    const shown = special
      .slice(0, 3)
      .map((c) => `${c.name}: ${c.category}`)
      .join(', ');
    return {
      text: `the export file ${fact.destination.target} (${shown})`,
      related: fact.node
        ? [
            {
              file: ctx.file.path,
              range: { start: fact.node.getStart(source), end: fact.node.end },
              message: 'the file is written here',
            },
          ]
        : [],
    };
  }
  return undefined;
}

/**
 * What a channel configured in a config module is for, when what goes over it is a file or a
 * stream the code does not describe (`client.downloadTo(stream, path)`): the names of the
 * constants that configure it and of the functions that use it (`FTP_EMR`, `MedicalRecordService.getDocument`)
 * name special-category data.
 */
function trailEvidence(channel: ClearChannel, ctx: DetectorContext): Carried | undefined {
  const classifier = classifierFor(ctx.config);
  for (const node of channel.trail ?? []) {
    ctx.tick();
    const names: { name: string }[] = [];
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) names.push({ name: node.name.text });
    if (ts.isCallExpression(node)) {
      for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
        if (
          (ts.isMethodDeclaration(n) || ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) &&
          n.name &&
          ts.isIdentifier(n.name)
        )
          names.push({ name: n.name.text });
      }
    }
    for (const { name } of names) {
      const c = classifier.classify(name, { kind: 'variable' });
      if (!c || !isSpecial(c.category)) continue;
      const related = [node, channel.sends[0]?.call]
        .filter((n): n is ts.Node => !!n)
        .map((n): RelatedLocation => {
          const sf = n.getSourceFile();
          const what = ts.isVariableDeclaration(n)
            ? `${n.name.getText(sf)} holds the option`
            : `the channel is used here (${(n as ts.CallExpression).expression.getText(sf).replace(/\s+/g, '')})`;
          const at = ts.isVariableDeclaration(n) ? n.name : n;
          return {
            file: sf.fileName.replace(/^\/+/, ''),
            range: { start: at.getStart(sf), end: at.end },
            message: what,
          };
        });
      return {
        text: `what \`${name}\` carries (its name says ${c.term.replace(/\*$/, '')}: ${describeEvidence({ category: c.category, why: c.why })})`,
        related,
      };
    }
  }
  return undefined;
}

/** A database connection carries the project's tables: reported when the schema has special-category columns. */
function databaseEvidence(ctx: DetectorContext): Carried | undefined {
  for (const table of ctx.project.schema.tables()) {
    for (const column of table.columns) {
      ctx.tick();
      const c = classify(ctx, column.name, table.name);
      if (c)
        return {
          text: `the database, whose table "${table.name}" holds ${c} data (${column.name})`,
          related: [{ file: column.file, range: column.range, message: `${c} data stored here` }],
        };
    }
  }
  return undefined;
}

function classify(ctx: DetectorContext, name: string, table: string): string | undefined {
  const c = classifierFor(ctx.config).classify(name, { kind: 'column', container: table });
  return c && isSpecial(c.category) ? c.category : undefined;
}

function report(ctx: DetectorContext, channel: ClearChannel, carried: Carried): void {
  const range = channel.range;
  const local = channel.network === 'private';
  const fixes: Fix[] = [];
  if (channel.fix)
    fixes.push({
      title: channel.fix.title,
      edits: [{ ...channel.fix.range, newText: channel.fix.newText }],
      isPreferred: true,
    });
  fixes.push(suppressionFix(ctx.file, range.start, RULE));
  ctx.report({
    range,
    // The remedy: verify the server, require TLS of the database, or take the TLS variant of the protocol.
    messageId:
      channel.kind === 'tls-off' || channel.kind === 'tls-off-process'
        ? local
          ? 'unverified-server-local'
          : 'unverified-server'
        : channel.kind === 'database'
          ? local
            ? 'database-without-tls-local'
            : 'database-without-tls'
          : local
            ? 'plain-protocol-local'
            : 'plain-protocol',
    args: { channel: channel.what, carried: carried.text },
    severity: channel.network === 'private' ? 'warning' : 'error',
    fixes,
    related: carried.related,
    data: {
      channel: channel.kind,
      network: channel.network,
      ...(channel.host ? { host: channel.host } : {}),
      ...(carried.call ? { sentAt: carried.call.getStart(ctx.file.ts) } : {}),
    },
  });
}
