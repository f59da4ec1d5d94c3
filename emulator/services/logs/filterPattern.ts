// FilterLogEvents' filter patterns for unstructured events: terms (`ERROR`), quoted phrases
// (`"out of memory"`), alternatives (`?ERROR ?WARN`: any of them) and exclusions (`ERROR -retrying`).
// Matching is case-sensitive, as AWS's is. JSON (`{ $.x = 1 }`), space-delimited (`[ip, user]`) and
// regular-expression (`%…%`) patterns are not supported and answer NotImplemented.
import { AwsError } from '../../errors';

export type EventFilter = (message: string) => boolean;

const TERM = /(?<prefix>[?-]?)(?:"(?<phrase>(?:[^"\\]|\\.)*)"|(?<word>\S+))/g;

export function compileFilterPattern(pattern: string | undefined): EventFilter {
  const text = pattern?.trim() ?? '';
  if (/^[{[]/.test(text)) throw unsupported(text);
  const required: string[] = [];
  const alternatives: string[] = [];
  const excluded: string[] = [];
  for (const match of text.matchAll(TERM)) {
    const { prefix, phrase, word } = match.groups ?? {};
    if (word !== undefined && /^%.*%$/.test(word)) throw unsupported(text);
    const term = phrase === undefined ? word : phrase.replace(/\\(.)/g, '$1');
    (prefix === '?' ? alternatives : prefix === '-' ? excluded : required).push(term);
  }
  return (message) =>
    required.every((term) => message.includes(term)) &&
    !excluded.some((term) => message.includes(term)) &&
    (alternatives.length === 0 || alternatives.some((term) => message.includes(term)));
}

function unsupported(pattern: string): AwsError {
  return new AwsError('NotImplemented', 501, `The emulator supports term, "phrase", ?term and -term filter patterns, not ${JSON.stringify(pattern)}`);
}
