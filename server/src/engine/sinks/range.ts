import ts from 'typescript';

/**
 * The range of a sink finding: the value that leaks. When the value sits on a later line than
 * the call (a multi-line `fetch(url, {\n body })` or `logger.info(\n msg,\n record)`), the range
 * starts at the call so that the finding is on the statement's line, where a reviewer (and a
 * suppression comment) puts it, and still covers the value.
 */
export function sinkRange(call: ts.Node, value: ts.Expression, sf: ts.SourceFile): { start: number; end: number } {
  const start = value.getStart(sf);
  const callStart = call.getStart(sf);
  const sameLine = sf.getLineAndCharacterOfPosition(start).line === sf.getLineAndCharacterOfPosition(callStart).line;
  return { start: sameLine ? start : callStart, end: value.end };
}
