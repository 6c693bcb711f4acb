import type { FileView } from '../detector.js';
import type { ProjectFacts, SchemaCollector } from '../facts.js';
import type { RelationFact, TableFact } from '../schema.js';
import { encryptionOf } from './protection.js';
import type { OrmColumnFact } from './column.js';

const SCALARS = new Set([
  'String',
  'Int',
  'BigInt',
  'Float',
  'Decimal',
  'Boolean',
  'DateTime',
  'Json',
  'Bytes',
  'Unsupported',
]);
const BLOCK = /^\s*(model|view|type)\s+(\w+)\s*\{/;
const FIELD = /^(\s*)(\w+)\s+(\w+(?:\([^)]*\))?)(\[\])?(\?)?(.*)$/;

/** A Prisma field: where its line ends before any trailing comment (where `/// @encrypted` goes). */
export interface PrismaFieldFact extends OrmColumnFact {
  /** Offset where code ends on the field's line (before a trailing comment and spaces). */
  codeEnd: number;
}

/**
 * Models of a Prisma schema file (one file of a multi-file `prisma/schema/` too). Protection:
 * prisma-field-encryption's `/// @encrypted` or `/// @encryption:hash(...)`, trailing or in the
 * documentation comment above; `Bytes` fields hold ciphertext.
 */
export const prismaCollector: SchemaCollector = {
  name: 'prisma',
  languages: ['prisma'],
  collect(file: FileView, facts: ProjectFacts): TableFact[] {
    const known = encryptionOf(facts.config);
    const markers = known.prisma;
    const tables: TableFact[] = [];
    const enums = new Set([...file.text.matchAll(/^\s*enum\s+(\w+)/gm)].map((m) => m[1]!));
    let current: TableFact | undefined;
    let docs: string[] = [];
    for (let line = 0; line < file.lines.lineCount; line++) {
      const start = file.lines.lineStart(line);
      const text = file.lines.lineText(line);
      const trimmed = text.trim();
      if (!current) {
        const block = BLOCK.exec(text);
        if (block) {
          const nameStart = start + text.indexOf(block[2]!, text.indexOf(block[1]!) + block[1]!.length);
          current = {
            name: block[2]!,
            kind: block[1] === 'type' ? 'collection' : block[1] === 'view' ? 'view' : 'model',
            source: 'prisma',
            file: file.path,
            range: { start: nameStart, end: nameStart + block[2]!.length },
            columns: [],
            aliases: [],
          };
          tables.push(current);
          docs = [];
        }
        continue;
      }
      if (trimmed.startsWith('}')) {
        current = undefined;
        continue;
      }
      if (trimmed.startsWith('///')) {
        docs.push(trimmed);
        continue;
      }
      if (trimmed === '') {
        docs = [];
        continue;
      }
      if (trimmed.startsWith('//')) continue;
      const map = /^@@map\(\s*"([^"]+)"/.exec(trimmed);
      if (map) {
        current.aliases!.push(map[1]!);
        continue;
      }
      if (trimmed.startsWith('@@')) continue;
      const field = FIELD.exec(text);
      if (!field) continue;
      const [, indent, name, type, list, , rest] = field as unknown as [
        string,
        string,
        string,
        string,
        string | undefined,
        string | undefined,
        string,
      ];
      const fieldDocs = docs;
      docs = [];
      const scalar = SCALARS.has(type.replace(/\(.*$/, '')) || enums.has(type);
      if (!scalar) {
        // `patient Patient @relation(fields: [patientId], ...)` holds the key; `records Record[]` and a
        // one-to-one back-relation (`prescription Prescription?`) are the other side's key.
        const keys = /@relation\([^)]*fields:\s*\[\s*(\w+)/.exec(rest)?.[1];
        const relation: RelationFact = {
          field: keys ?? name,
          target: type,
          kind: 'relation',
          ...(keys ? { property: name } : { inverse: true }),
        };
        (current.relations ??= []).push(relation);
      }
      if (!scalar && (list || /@relation\b/.test(rest))) continue;
      const comment = commentStart(rest);
      const trailing = comment >= 0 ? rest.slice(comment) : '';
      const attributes = comment >= 0 ? rest.slice(0, comment) : rest;
      const annotations = [...fieldDocs, trailing].join(' ');
      const marker = markers.find((m) => annotations.includes(m));
      const nameStart = start + indent.length;
      const code = comment >= 0 ? text.slice(0, text.length - (rest.length - comment)) : text;
      const codeEnd = start + code.trimEnd().length;
      const dbName = /@map\(\s*"([^"]+)"/.exec(attributes)?.[1];
      const length = /@db\.(?:VarChar|Char|NVarChar|NChar)\(\s*(\d+)\s*\)/.exec(attributes)?.[1];
      const column: PrismaFieldFact = {
        name,
        type: `${type}${list ?? ''}`,
        file: file.path,
        range: { start: nameStart, end: nameStart + name.length },
        codeEnd,
        ...(dbName ? { dbName } : {}),
        ...(length ? { length: Number(length) } : {}),
        ...(marker
          ? { protection: `prisma-field-encryption ${marker}` }
          : type === 'Bytes'
            ? { protection: 'binary ciphertext column (Bytes)' }
            : {}),
        ...(!scalar ? { relationCandidate: true } : {}),
      };
      current.columns.push(column);
    }
    return tables;
  },
};

/** Offset of a `//` comment in the rest of a field line, outside string literals. */
function commentStart(rest: string): number {
  let inString = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '"') inString = !inString;
    else if (!inString && c === '/' && rest[i + 1] === '/') return i;
  }
  return -1;
}
