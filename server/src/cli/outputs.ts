import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fsProblem } from '../host/fs-errors.js';
import { UsageError } from '../host/workspace.js';
import { formatGithub } from './formats/github.js';
import { formatGitlab } from './formats/gitlab.js';
import { formatJson } from './formats/json.js';
import type { Report } from '../host/located.js';
import { formatMarkdown } from './formats/markdown.js';
import { formatSarif } from './formats/sarif.js';
import { formatText } from './formats/text.js';

interface RenderContext {
  /** Colours for text on stdout (never in files). */
  color: boolean;
  quiet?: boolean;
  /** Link to a line of a file (repository-relative path), for the markdown comment. */
  link?: (path: string, line: number) => string;
}

const FORMATTERS = {
  text: (report: Report, ctx: RenderContext) => formatText(report, { color: ctx.color, quiet: ctx.quiet }),
  json: (report: Report) => formatJson(report),
  sarif: (report: Report) => formatSarif(report),
  github: (report: Report) => formatGithub(report),
  gitlab: (report: Report) => formatGitlab(report),
  markdown: (report: Report, ctx: RenderContext) => formatMarkdown(report, { link: ctx.link }),
} satisfies Record<string, (report: Report, ctx: RenderContext) => string>;

type FormatName = keyof typeof FORMATTERS;
export const FORMAT_NAMES = Object.keys(FORMATTERS) as FormatName[];

interface OutputSpec {
  format: FormatName;
  /** Absent = stdout. */
  file?: string;
}

/**
 * `--format x` and `--format x=FILE` (repeatable) plus `--output FILE` (for the one format
 * given without a file). At most one output goes to stdout.
 */
export function parseOutputs(formats: string[], output: string | undefined): OutputSpec[] {
  const specs = (formats.length > 0 ? formats : ['text'])
    .flatMap((value) => value.split(','))
    .map((value): OutputSpec => {
      const eq = value.indexOf('=');
      const format = (eq >= 0 ? value.slice(0, eq) : value).trim();
      if (!(FORMAT_NAMES as string[]).includes(format))
        throw new UsageError(`unknown format "${format}" (known: ${FORMAT_NAMES.join(', ')})`);
      const file = eq >= 0 ? value.slice(eq + 1).trim() : undefined;
      if (file === '') throw new UsageError(`--format ${format}= needs a file name`);
      return { format: format as FormatName, ...(file ? { file } : {}) };
    });
  const toStdout = specs.filter((s) => !s.file);
  if (output) {
    if (toStdout.length > 1) throw new UsageError('--output takes one format; give the others as --format x=FILE');
    if (toStdout[0]) toStdout[0].file = output;
    else throw new UsageError('--output has no format to write: every --format already names its file');
  } else if (toStdout.length > 1) {
    throw new UsageError('only one format can go to stdout; give the others as --format x=FILE');
  }
  return specs;
}

/** Renders one output format. */
export function render(format: FormatName, report: Report, ctx: RenderContext): string {
  return FORMATTERS[format](report, ctx);
}

/** Writes every output: files relative to the working directory, the rest to stdout. */
export function writeOutputs(
  specs: OutputSpec[],
  report: Report,
  ctx: RenderContext,
  io: { cwd: string; stdout: NodeJS.WritableStream },
): void {
  for (const spec of specs) {
    if (spec.file) {
      const path = resolve(io.cwd, spec.file);
      try {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, render(spec.format, report, { ...ctx, color: false }));
      } catch (error) {
        throw new UsageError(fsProblem(error, `write the ${spec.format} report to`, spec.file));
      }
    } else {
      io.stdout.write(render(spec.format, report, spec.format === 'text' ? ctx : { ...ctx, color: false }));
    }
  }
}
