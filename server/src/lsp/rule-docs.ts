import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../host/rulepack.js';

const cache = new Map<string, string | undefined>();

/** The "How to fix" section of `rules/<id>.md`, if the rule has a doc page that says. */
export function howToFix(ruleId: string): string | undefined {
  if (cache.has(ruleId)) return cache.get(ruleId);
  let section: string | undefined;
  try {
    const text = readFileSync(join(packageRoot(), 'rules', `${ruleId}.md`), 'utf8');
    section = sectionOf(text, /^#{2,3}\s+how to fix/i);
  } catch {
    section = undefined;
  }
  cache.set(ruleId, section);
  return section;
}

/** The body of the first Markdown section whose heading matches, shortened for a hover. */
function sectionOf(markdown: string, heading: RegExp): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return undefined;
  const level = /^#+/.exec(lines[start]!)![0].length;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const h = /^(#+)\s/.exec(line);
    if (h && h[1]!.length <= level) break;
    body.push(line);
  }
  const text = body.join('\n').trim();
  if (!text) return undefined;
  const MAX = 900;
  if (text.length <= MAX) return text;
  const cut = text.lastIndexOf('\n', MAX);
  const short = text.slice(0, cut > 0 ? cut : MAX);
  // Never leave a code fence open.
  return ((short.match(/```/g)?.length ?? 0) % 2 === 1 ? `${short}\n\`\`\`` : short) + '\n\n…';
}
