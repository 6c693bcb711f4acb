import ts from 'typescript';
import type { OrmColumnFact } from './column.js';

/**
 * Where to add `transformer: $T` to a TypeORM column (or EntitySchema column) declaration:
 * inside its options object, or as a new options argument.
 */
export function optionsFix(
  call: ts.CallExpression | undefined,
  options: ts.ObjectLiteralExpression | undefined,
  sf: ts.SourceFile,
): OrmColumnFact['fixAt'] {
  const title = 'Encrypt the column with a TypeORM transformer';
  if (options) return objectEntryFix(options, sf, 'transformer: $T', title);
  if (!call) return undefined;
  const close = call.end - 1;
  const template = call.arguments.length === 0 ? '{ transformer: $T }' : ', { transformer: $T }';
  return { kind: 'typeorm', title, start: close, end: close, template };
}

/** Adds `entry` as the last property of an object literal, keeping its one-line or multi-line style. */
export function objectEntryFix(
  object: ts.ObjectLiteralExpression,
  sf: ts.SourceFile,
  entry: string,
  title: string,
): OrmColumnFact['fixAt'] {
  const props = object.properties;
  const text = sf.text;
  if (props.length === 0) {
    const at = object.getStart(sf) + 1;
    return { kind: 'typeorm', title, start: at, end: object.end - 1, template: ` ${entry} ` };
  }
  const last = props[props.length - 1]!;
  const multiline = text.slice(object.getStart(sf), object.end).includes('\n');
  if (multiline) {
    const lineStart = text.lastIndexOf('\n', last.getStart(sf)) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const hasComma = props.hasTrailingComma;
    return {
      kind: 'typeorm',
      title,
      start: last.end,
      end: last.end + (hasComma ? 1 : 0),
      template: `,\n${indent}${entry}${hasComma ? ',' : ''}`,
    };
  }
  return { kind: 'typeorm', title, start: last.end, end: last.end, template: `, ${entry}` };
}
