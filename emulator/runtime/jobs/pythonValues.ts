// Hyperparameter values as the SageMaker training toolkit sees them: each string decoded with
// Python's `json.loads` (environment.py, read_hyperparameters), then written back out the two ways
// the toolkit writes values — `str()` for script arguments (mapping.py, _decode) and `json.dumps`
// for the SM_* variables (mapping.py, to_env_vars). JavaScript's JSON would lose what Python keeps
// (1.0 is a float, 12345678901234567890 an exact int) and write floats differently (1e-05, not
// 0.00001), so the values are modelled as Python's.

export type PythonValue =
  | { kind: 'str'; value: string }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'list'; items: PythonValue[] }
  /** A dict keeps insertion order; a repeated key keeps its first place and its last value, as in Python. */
  | { kind: 'dict'; entries: Map<string, PythonValue> };

export const pyStr = (value: string): PythonValue => ({ kind: 'str', value });
export const pyInt = (value: number | bigint): PythonValue => ({ kind: 'int', value: BigInt(value) });
export const pyBool = (value: boolean): PythonValue => ({ kind: 'bool', value });
export const pyNone: PythonValue = { kind: 'none' };
export const pyList = (items: PythonValue[]): PythonValue => ({ kind: 'list', items });
export function pyDict(entries: Iterable<readonly [string, PythonValue]>): PythonValue {
  return { kind: 'dict', entries: new Map(entries) };
}

class JsonDecodeError extends Error {}

/** Python's `json.loads(text)`; undefined where it raises (the toolkit then keeps the string). */
export function pythonJsonLoads(text: string): PythonValue | undefined {
  try {
    const parser = new JsonParser(text);
    const value = parser.value();
    parser.end();
    return value;
  } catch (error) {
    if (error instanceof JsonDecodeError) return undefined;
    throw error;
  }
}

/** The toolkit's decoding of one hyperparameter: `json.loads(v)`, or `v` itself when that raises. */
export function decodeHyperparameter(text: string): PythonValue {
  return pythonJsonLoads(text) ?? pyStr(text);
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Python's json scanner (strict mode, NaN and Infinity allowed, as json.loads does by default). */
class JsonParser {
  private index = 0;

  constructor(private readonly text: string) {}

  end(): void {
    this.skipWhitespace();
    if (this.index !== this.text.length) throw new JsonDecodeError('Extra data');
  }

  value(): PythonValue {
    this.skipWhitespace();
    const char = this.text[this.index];
    if (char === '"') return pyStr(this.string());
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    for (const [literal, value] of LITERALS) {
      if (this.text.startsWith(literal, this.index)) {
        this.index += literal.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.index;
    const match = NUMBER.exec(this.text);
    if (!match) throw new JsonDecodeError('Expecting value');
    this.index += match[0].length;
    if (match[1] === undefined && match[2] === undefined) return pyInt(BigInt(match[0]));
    return { kind: 'float', value: Number(match[0]) };
  }

  private object(): PythonValue {
    this.index++; // {
    const entries = new Map<string, PythonValue>();
    this.skipWhitespace();
    if (this.text[this.index] === '}') {
      this.index++;
      return { kind: 'dict', entries };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.index] !== '"') throw new JsonDecodeError('Expecting property name enclosed in double quotes');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.index] !== ':') throw new JsonDecodeError("Expecting ':' delimiter");
      this.index++;
      entries.set(key, this.value());
      this.skipWhitespace();
      const next = this.text[this.index++];
      if (next === '}') return { kind: 'dict', entries };
      if (next !== ',') throw new JsonDecodeError("Expecting ',' delimiter");
    }
  }

  private array(): PythonValue {
    this.index++; // [
    const items: PythonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.index] === ']') {
      this.index++;
      return pyList(items);
    }
    for (;;) {
      items.push(this.value());
      this.skipWhitespace();
      const next = this.text[this.index++];
      if (next === ']') return pyList(items);
      if (next !== ',') throw new JsonDecodeError("Expecting ',' delimiter");
    }
  }

  private string(): string {
    this.index++; // "
    let result = '';
    for (;;) {
      const char = this.text[this.index++];
      if (char === undefined) throw new JsonDecodeError('Unterminated string');
      if (char === '"') return result;
      if (char === '\\') {
        const escape = this.text[this.index++];
        if (escape === 'u') {
          const hex = this.text.slice(this.index, this.index + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonDecodeError('Invalid \\uXXXX escape');
          result += String.fromCharCode(parseInt(hex, 16));
          this.index += 4;
        } else if (escape !== undefined && Object.hasOwn(ESCAPES, escape)) {
          result += ESCAPES[escape];
        } else {
          throw new JsonDecodeError('Invalid \\escape');
        }
      } else if (char.charCodeAt(0) < 0x20) {
        throw new JsonDecodeError('Invalid control character');
      } else {
        result += char;
      }
    }
  }

  private skipWhitespace(): void {
    while (WHITESPACE.has(this.text[this.index])) this.index++;
  }
}

const LITERALS: ReadonlyArray<readonly [string, PythonValue]> = [
  ['null', pyNone],
  ['true', pyBool(true)],
  ['false', pyBool(false)],
  ['NaN', { kind: 'float', value: Number.NaN }],
  ['Infinity', { kind: 'float', value: Number.POSITIVE_INFINITY }],
  ['-Infinity', { kind: 'float', value: Number.NEGATIVE_INFINITY }],
];

/** Python's `str(value)`. */
export function pythonStr(value: PythonValue): string {
  return value.kind === 'str' ? value.value : pythonRepr(value);
}

/** Python's `repr(value)`: strings quoted, containers with their items' reprs. */
export function pythonRepr(value: PythonValue): string {
  switch (value.kind) {
    case 'str':
      return stringRepr(value.value);
    case 'int':
      return value.value.toString();
    case 'float':
      return floatRepr(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
      return `[${value.items.map(pythonRepr).join(', ')}]`;
    case 'dict':
      return `{${[...value.entries].map(([key, item]) => `${stringRepr(key)}: ${pythonRepr(item)}`).join(', ')}}`;
  }
}

/**
 * Python's float repr: the shortest digits that read back as the same float (JavaScript finds the
 * same digits), in fixed notation when the decimal point falls within 16 digits, else `1e-05` style.
 */
function floatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const point = exponent + 1; // where the decimal point falls after the first `point` digits
  if (point > -4 && point <= 16) {
    if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
    if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
  return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** What str.isprintable() refuses: other, separator and unassigned characters, except the space. */
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

/** Python's repr of a str: single quotes unless the text has one and no double quote. */
function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let result = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === quote || char === '\\') result += `\\${char}`;
    else if (char === '\n') result += '\\n';
    else if (char === '\r') result += '\\r';
    else if (char === '\t') result += '\\t';
    else if (char !== ' ' && NOT_PRINTABLE.test(char)) {
      const hex = code.toString(16);
      result += code < 0x100 ? `\\x${hex.padStart(2, '0')}` : code < 0x10000 ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
    } else result += char;
  }
  return result + quote;
}

export interface JsonDumpsOptions {
  /** sort_keys=True: dict keys in code point order, at every level. */
  sortKeys?: boolean;
  /** indent=N: one item per line (separators ',' and ': '); without it the toolkit's compact (',', ':'). */
  indent?: number;
}

/** Python's `json.dumps(value, ensure_ascii=True, …)`. */
export function pythonJsonDumps(value: PythonValue, options: JsonDumpsOptions = {}): string {
  return dumps(value, options, 0);
}

function dumps(value: PythonValue, options: JsonDumpsOptions, depth: number): string {
  switch (value.kind) {
    case 'str':
      return jsonString(value.value);
    case 'int':
      return value.value.toString();
    case 'float':
      if (Number.isNaN(value.value)) return 'NaN';
      if (!Number.isFinite(value.value)) return value.value > 0 ? 'Infinity' : '-Infinity';
      return floatRepr(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'none':
      return 'null';
    case 'list':
      return container('[', ']', value.items.map((item) => dumps(item, options, depth + 1)), options, depth);
    case 'dict': {
      const entries = [...value.entries];
      if (options.sortKeys) entries.sort(([a], [b]) => compareCodePoints(a, b));
      const separator = options.indent === undefined ? ':' : ': ';
      return container('{', '}', entries.map(([key, item]) => `${jsonString(key)}${separator}${dumps(item, options, depth + 1)}`), options, depth);
    }
  }
}

function container(open: string, close: string, items: string[], options: JsonDumpsOptions, depth: number): string {
  if (items.length === 0) return `${open}${close}`;
  if (options.indent === undefined) return `${open}${items.join(',')}${close}`;
  const inner = '\n' + ' '.repeat(options.indent * (depth + 1));
  return `${open}${inner}${items.join(`,${inner}`)}\n${' '.repeat(options.indent * depth)}${close}`;
}

const JSON_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** A str as json.dumps writes it with ensure_ascii: everything outside space..~ escaped, in lower-case hex. */
function jsonString(text: string): string {
  let result = '"';
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    const code = text.charCodeAt(index);
    if (Object.hasOwn(JSON_ESCAPES, char)) result += JSON_ESCAPES[char];
    else if (code < 0x20 || code > 0x7e) result += `\\u${code.toString(16).padStart(4, '0')}`;
    else result += char;
  }
  return result + '"';
}

/** Python orders str by code point; JavaScript's `<` compares UTF-16 code units. */
export function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const difference = left[index].codePointAt(0)! - right[index].codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
