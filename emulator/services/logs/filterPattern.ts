// FilterLogEvents' filter patterns, as CloudWatch Logs documents them ("Filter pattern syntax for
// metric filters, subscription filters, filter log events, and Live Tail"). Matching is
// case-sensitive. Four kinds, told apart by their first character:
//
// - terms: `ERROR` (the message contains it), `"out of memory"` (quote phrases and terms with other
//   characters than letters, digits, `_`, `.` and `-`), `?ERROR ?WARN` (any of them),
//   `ERROR -retrying` (not that one); unquoted terms with other characters are refused, as AWS does.
// - regular expression: `%ERROR [0-9]{3}%`, searched anywhere in the message; AWS allows no
//   parentheses and no multi-byte characters in it.
// - JSON: `{ $.level = "ERROR" && ($.latency > 100 || $.user.id IS NULL) }` over messages that are
//   JSON; selectors `$.a.b`, `$.list[0]`; `=`/`!=` against strings (`*` is a wildcard, quoted or
//   not) or numbers, `<` `<=` `>` `>=` against numbers, `= %regex%`, `IS NULL`, `IS TRUE`,
//   `IS FALSE`, `NOT EXISTS`; `&&` binds tighter than `||`; parentheses group.
// - space-delimited: `[ip, user, ..., status = 4*, bytes > 1000]` over the message's fields (split at
//   spaces; `"…"` and `[…]` are one field each, without their quotes or brackets): one column per
//   field, `...` (once) for any number of fields, and conditions on a column, joined with `&&`/`||`.
//
// A pattern that does not parse answers InvalidParameterException "Invalid filter pattern", as AWS
// (a refused term: "Invalid filter pattern: Invalid character(s) in term 'a@b'").
import { invalidParameter } from './errors';

export type EventFilter = (message: string) => boolean;

const INVALID = 'Invalid filter pattern';
/** AWS allows at most two regular expressions in a JSON or space-delimited pattern. */
const MAX_REGEXES = 2;

export function compileFilterPattern(pattern: string | undefined): EventFilter {
  const text = pattern?.trim() ?? '';
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) throw invalidParameter("If a filter pattern starts with '{' it must end with '}'");
    return jsonPattern(text.slice(1, -1));
  }
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw invalidParameter("If a filter pattern starts with '[' it must end with ']'");
    return delimitedPattern(text.slice(1, -1));
  }
  if (text.length > 1 && text.startsWith('%') && text.endsWith('%')) {
    const regex = compileRegex(text.slice(1, -1));
    return (message) => regex.test(message);
  }
  return termPattern(text);
}

function invalid(): Error {
  return invalidParameter(INVALID);
}

/** A term AWS refuses, named as AWS names it (github.com/DefangLabs/defang/issues/1008). */
function invalidTerm(term: string): Error {
  return invalidParameter(`${INVALID}: Invalid character(s) in term '${term}'`);
}

// ---- terms ------------------------------------------------------------------------------------

const TERM = /(?<prefix>[?-]?)(?:"(?<phrase>(?:[^"\\]|\\.)*)"|(?<word>\S+))/g;
const PLAIN_TERM = /^[\p{L}\p{N}_.-]+$/u;

function termPattern(text: string): EventFilter {
  const required: string[] = [];
  const alternatives: string[] = [];
  const excluded: string[] = [];
  for (const match of text.matchAll(TERM)) {
    const { prefix, phrase, word } = match.groups ?? {};
    if (word !== undefined && !PLAIN_TERM.test(word)) throw invalidTerm(word);
    const term = phrase === undefined ? word : phrase.replace(/\\(.)/g, '$1');
    if (term === '') throw invalidTerm(match[0].slice(prefix?.length ?? 0));
    (prefix === '?' ? alternatives : prefix === '-' ? excluded : required).push(term);
  }
  return (message) =>
    required.every((term) => message.includes(term)) &&
    !excluded.some((term) => message.includes(term)) &&
    (alternatives.length === 0 || alternatives.some((term) => message.includes(term)));
}

// ---- regular expressions ----------------------------------------------------------------------

/** What AWS allows between the `%`s: ASCII letters and digits, some symbols, the regex operators. */
const REGEX_CHARACTERS = /^[A-Za-z0-9 _#=@/;,:\-^$?[\]{}|\\*+.]+$/;

function compileRegex(source: string): RegExp {
  if (!REGEX_CHARACTERS.test(source)) throw invalid();
  try {
    return new RegExp(source);
  } catch {
    throw invalid();
  }
}

// ---- the tokens of JSON and space-delimited patterns ------------------------------------------

type Token =
  | { kind: 'punctuation'; text: '(' | ')' | ',' | '&&' | '||' }
  | { kind: 'operator'; text: Operator }
  | { kind: 'string'; text: string }
  | { kind: 'regex'; regex: RegExp }
  | { kind: 'word'; text: string };

type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';

const TOKEN = /\s*(?:(?<punctuation>&&|\|\||[(),])|(?<operator>!=|<=|>=|=|<|>)|"(?<string>(?:[^"\\]|\\.)*)"|%(?<regex>[^%]*)%|(?<word>[^\s(),=!<>&|"%]+))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let regexes = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (!match?.groups) throw invalid();
    const { punctuation, operator, string, regex, word } = match.groups;
    if (punctuation !== undefined) tokens.push({ kind: 'punctuation', text: punctuation as '(' });
    else if (operator !== undefined) tokens.push({ kind: 'operator', text: operator as Operator });
    else if (string !== undefined) tokens.push({ kind: 'string', text: string.replace(/\\(.)/g, '$1') });
    else if (regex !== undefined) {
      if (++regexes > MAX_REGEXES) throw invalid();
      tokens.push({ kind: 'regex', regex: compileRegex(regex) });
    } else tokens.push({ kind: 'word', text: word });
  }
  return tokens;
}

class Tokens {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.position];
  }

  next(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw invalid();
    return token;
  }

  /** Consumes the punctuation `text` if it comes next. */
  take(text: string): boolean {
    const token = this.peek();
    if (token?.kind !== 'punctuation' || token.text !== text) return false;
    this.position++;
    return true;
  }

  word(): string {
    const token = this.next();
    if (token.kind !== 'word') throw invalid();
    return token.text;
  }

  end(): void {
    if (this.position < this.tokens.length) throw invalid();
  }
}

/** `&&` over `||`, parentheses: the boolean structure both pattern kinds share. */
function parseCondition<T>(tokens: Tokens, comparison: (tokens: Tokens) => (value: T) => boolean): (value: T) => boolean {
  const or = (): ((value: T) => boolean) => {
    const alternatives = [and()];
    while (tokens.take('||')) alternatives.push(and());
    return alternatives.length === 1 ? alternatives[0] : (value) => alternatives.some((test) => test(value));
  };
  const and = (): ((value: T) => boolean) => {
    const all = [unary()];
    while (tokens.take('&&')) all.push(unary());
    return all.length === 1 ? all[0] : (value) => all.every((test) => test(value));
  };
  const unary = (): ((value: T) => boolean) => {
    if (!tokens.take('(')) return comparison(tokens);
    const inner = or();
    if (!tokens.take(')')) throw invalid();
    return inner;
  };
  return or();
}

/** A value to compare with: a number, a string (`*` matches anything), or a regular expression. */
type Operand = { kind: 'number'; value: number; text: string } | { kind: 'string'; glob: RegExp } | { kind: 'regex'; regex: RegExp };

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseOperand(token: Token, operator: Operator): Operand {
  if (token.kind === 'regex' && (operator === '=' || operator === '!=')) return { kind: 'regex', regex: token.regex };
  if (token.kind === 'word' && NUMBER.test(token.text)) return { kind: 'number', value: Number(token.text), text: token.text };
  // Strings compare only for equality.
  if ((token.kind === 'word' || token.kind === 'string') && (operator === '=' || operator === '!=')) return { kind: 'string', glob: globOf(token.text) };
  throw invalid();
}

function globOf(text: string): RegExp {
  return new RegExp(`^${text.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/** Whether a present value satisfies `operator operand`; undefined values never do. */
function compare(value: unknown, operator: Operator, operand: Operand): boolean {
  if (value === undefined || (typeof value === 'object' && value !== null)) return false;
  const equal = (() => {
    switch (operand.kind) {
      case 'number':
        return typeof value === 'number' ? value === operand.value : String(value) === operand.text;
      case 'string':
        return value !== null && operand.glob.test(String(value));
      case 'regex':
        return typeof value === 'string' && operand.regex.test(value);
    }
  })();
  if (operator === '=') return equal;
  if (operator === '!=') return !equal;
  const number = typeof value === 'number' ? value : typeof value === 'string' && NUMBER.test(value) ? Number(value) : NaN;
  if (operand.kind !== 'number' || Number.isNaN(number)) return false;
  switch (operator) {
    case '<':
      return number < operand.value;
    case '<=':
      return number <= operand.value;
    case '>':
      return number > operand.value;
    case '>=':
      return number >= operand.value;
  }
}

// ---- JSON -------------------------------------------------------------------------------------

const SELECTOR = /^\$((?:\.[^.[\]\s]+|\[\d+\])*)$/;

function jsonPattern(body: string): EventFilter {
  const tokens = new Tokens(tokenize(body));
  const test = parseCondition<unknown>(tokens, jsonComparison);
  tokens.end();
  return (message) => {
    let event: unknown;
    try {
      event = JSON.parse(message);
    } catch {
      return false;
    }
    return test(event);
  };
}

function jsonComparison(tokens: Tokens): (event: unknown) => boolean {
  const select = selectorOf(tokens.word());
  const next = tokens.next();
  if (next.kind === 'word' && (next.text === 'IS' || next.text === 'NOT')) {
    const keyword = `${next.text} ${tokens.word()}`;
    switch (keyword) {
      case 'IS NULL':
        return (event) => select(event) === null;
      case 'IS TRUE':
        return (event) => select(event) === true;
      case 'IS FALSE':
        return (event) => select(event) === false;
      case 'NOT EXISTS':
        return (event) => select(event) === undefined;
      default:
        throw invalid();
    }
  }
  if (next.kind !== 'operator') throw invalid();
  const operand = parseOperand(tokens.next(), next.text);
  return (event) => compare(select(event), next.text, operand);
}

/** `$.a.b[0].c` → the value at that path, undefined where the path leads nowhere. */
function selectorOf(text: string): (event: unknown) => unknown {
  const match = SELECTOR.exec(text);
  if (!match) throw invalid();
  const steps = [...match[1].matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)].map((step) => (step[2] === undefined ? step[1] : Number(step[2])));
  return (event) => {
    let value = event;
    for (const step of steps) {
      if (typeof value !== 'object' || value === null) return undefined;
      if (typeof step === 'number' ? !Array.isArray(value) || step >= value.length : Array.isArray(value) || !Object.hasOwn(value, step)) return undefined;
      value = (value as Record<string | number, unknown>)[step];
    }
    return value;
  };
}

// ---- space-delimited --------------------------------------------------------------------------

const ELLIPSIS = '...';
const COLUMN_NAME = /^[\p{L}\p{N}_-]+$/u;

interface Column {
  name: string;
  test: (field: string) => boolean;
}

function delimitedPattern(body: string): EventFilter {
  const tokens = new Tokens(tokenize(body));
  const columns: (Column | typeof ELLIPSIS)[] = [];
  do {
    columns.push(delimitedColumn(tokens));
  } while (tokens.take(','));
  tokens.end();
  const ellipsis = columns.indexOf(ELLIPSIS);
  if (columns.lastIndexOf(ELLIPSIS) !== ellipsis) throw invalid();
  const before = (ellipsis === -1 ? columns : columns.slice(0, ellipsis)) as Column[];
  const after = (ellipsis === -1 ? [] : columns.slice(ellipsis + 1)) as Column[];
  return (message) => {
    const fields = delimitedFields(message);
    if (ellipsis === -1 ? fields.length !== before.length : fields.length < before.length + after.length) return false;
    const tail = fields.slice(fields.length - after.length);
    return before.every((column, index) => column.test(fields[index])) && after.every((column, index) => column.test(tail[index]));
  };
}

/** `name`, `...`, or `name op value` conditions on that one column, joined with && and ||. */
function delimitedColumn(tokens: Tokens): Column | typeof ELLIPSIS {
  const first = tokens.peek();
  if (first?.kind === 'word' && first.text === ELLIPSIS) {
    tokens.next();
    return ELLIPSIS;
  }
  let name: string | undefined;
  const test = parseCondition<string>(tokens, (inner) => {
    const columnName = inner.word();
    if (!COLUMN_NAME.test(columnName) || (name !== undefined && columnName !== name)) throw invalid();
    name = columnName;
    const operator = inner.peek();
    if (operator?.kind !== 'operator') return () => true;
    inner.next();
    const operand = parseOperand(inner.next(), operator.text);
    return (field) => compare(field, operator.text, operand);
  });
  return { name: name ?? '', test };
}

/** The message split at spaces, with `"…"` and `[…]` one field each (without their delimiters). */
function delimitedFields(message: string): string[] {
  const fields: string[] = [];
  for (const match of message.matchAll(/"([^"]*)"|\[([^\]]*)\]|(\S+)/g)) fields.push(match[1] ?? match[2] ?? match[3]);
  return fields;
}
