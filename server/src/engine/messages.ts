import type { RulePack } from './pack.js';

/** The values of a message's `{{placeholders}}`, by name. */
export type MessageArgs = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{\{\s*([\w-]+)\s*\}\}/g;

/** The names of the `{{placeholders}}` of a message, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * A message of `rules/<id>.yaml` (`messages.<messageId>`) with its placeholders filled, as
 * ESLint's `meta.messages` are. A messageId the rule does not declare, or a placeholder without a
 * value, is an error of the detector (reported as a `detector-error` note), never a message
 * with a hole in it.
 */
export function formatMessage(pack: RulePack, ruleId: string, messageId: string, args: MessageArgs = {}): string {
  const template = pack.rules[ruleId]?.messages?.[messageId];
  if (template === undefined) throw new Error(`rules/${ruleId}.yaml has no message "${messageId}"`);
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = args[name];
    if (value === undefined) throw new Error(`message "${messageId}" of ${ruleId} needs a value for {{${name}}}`);
    return String(value);
  });
}
