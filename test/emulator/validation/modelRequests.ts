// Requests built from the API models, for tests of the model's limits: a minimal valid input of an
// operation (its required members, each a value that meets its constraints where a simple value can),
// every length and range constraint the input can reach (with where AWS's message names it), and the
// same input with one value put at a given place.
import type { ListShape, MapShape, ServiceModel, Shape, StringShape, StructureShape } from '../../../emulator/models';

/** One step from a value into a part of it. */
export type Step = { member: string } | { element: true } | { mapKey: true } | { mapValue: true };

/** A length or range constraint, and the place in an operation's input where a value meets it. */
export interface LimitSite {
  operation: string;
  shapeName: string;
  shape: Shape;
  steps: Step[];
  /**
   * Where AWS's message names a value that breaks it (`resourceConfig.instanceCount`,
   * `inputDataConfig.1.member.channelName`); scalars in a list or map are named by the collection.
   */
  messagePath: string;
  /** How the message words the constraint: directly, or inside the collection's constraint set. */
  wording: 'member' | 'list element' | 'map key' | 'map value';
}

const MAX_DEPTH = 12;

/** Every length and range constraint reachable from the operation's input, once per place. */
export function limitSites(model: ServiceModel, operation: string): LimitSite[] {
  const input = model.operations[operation]?.input;
  if (!input) return [];
  const sites: LimitSite[] = [];
  const visit = (shapeName: string, steps: Step[], messagePath: string, wording: LimitSite['wording'], stack: string[]) => {
    const shape = model.shapes[shapeName];
    if (!shape || stack.includes(shapeName) || stack.length > MAX_DEPTH) return;
    const inner = [...stack, shapeName];
    if ((shape.min !== undefined || shape.max !== undefined) && shape.type !== 'structure') {
      sites.push({ operation, shapeName, shape, steps, messagePath, wording });
    }
    if (shape.type === 'structure') {
      for (const [name, member] of Object.entries(shape.members)) {
        visit(member.shape, [...steps, { member: name }], memberPath(messagePath, name), 'member', inner);
      }
    } else if (shape.type === 'list') {
      const structured = isStructured(model.shapes[shape.member.shape]);
      visit(shape.member.shape, [...steps, { element: true }], structured ? `${messagePath}.1.member` : messagePath, structured ? 'member' : 'list element', inner);
    } else if (shape.type === 'map') {
      visit(shape.key.shape, [...steps, { mapKey: true }], messagePath, 'map key', inner);
      const structured = isStructured(model.shapes[shape.value.shape]);
      visit(shape.value.shape, [...steps, { mapValue: true }], structured ? `${messagePath}.1.member` : messagePath, structured ? 'member' : 'map value', inner);
    }
  };
  // The input structure itself is the root: its members are named without a prefix.
  const root = model.shapes[input] as StructureShape;
  for (const [name, member] of Object.entries(root.members)) visit(member.shape, [{ member: name }], memberPath('', name), 'member', [input]);
  return sites;
}

/** AWS names members in lower camel case: `ResourceConfig.InstanceCount` → `resourceConfig.instanceCount`. */
function memberPath(parent: string, name: string): string {
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  return parent ? `${parent}.${lower}` : lower;
}

function isStructured(shape: Shape | undefined): boolean {
  return shape?.type === 'structure' || shape?.type === 'list' || shape?.type === 'map';
}

/** A minimal valid input of the operation, as JSON: its required members only. */
export function minimalInput(model: ServiceModel, operation: string): Record<string, unknown> {
  const input = model.operations[operation]?.input;
  return input ? (minimalValue(model, model.shapes[input], 0) as Record<string, unknown>) : {};
}

/** A value of the shape that meets its constraints (where a simple value can: see `stringOfLength`). */
export function minimalValue(model: ServiceModel, shape: Shape, depth: number): unknown {
  switch (shape.type) {
    case 'structure': {
      if (depth > MAX_DEPTH) return {};
      const required = shape.required ?? [];
      return Object.fromEntries(required.map((name) => [name, minimalValue(model, model.shapes[shape.members[name].shape], depth + 1)]));
    }
    case 'list':
      return Array.from({ length: shape.min ?? 0 }, () => minimalValue(model, model.shapes[shape.member.shape], depth + 1));
    case 'map':
      return mapOfSize(model, shape, shape.min ?? 0, depth);
    case 'string':
      return stringValue(shape);
    case 'integer':
    case 'long':
      return shape.min ?? Math.min(1, shape.max ?? 1);
    case 'float':
    case 'double':
      return shape.min ?? Math.min(1, shape.max ?? 1);
    case 'boolean':
      return false;
    case 'timestamp':
      return Math.floor(Date.now() / 1000);
    case 'blob':
      return Buffer.alloc(Math.max(shape.min ?? 1, 1), 'a').toString('base64');
  }
}

function mapOfSize(model: ServiceModel, shape: MapShape, size: number, depth: number): Record<string, unknown> {
  const keyShape = model.shapes[shape.key.shape] as StringShape;
  const valueShape = model.shapes[shape.value.shape];
  return Object.fromEntries(Array.from({ length: size }, (_, index) => [distinctKey(keyShape, index), minimalValue(model, valueShape, depth + 1)]));
}

/** The index-th of distinct strings that meet the key shape's constraints (where simple ones can). */
function distinctKey(shape: StringShape, index: number): string {
  if (shape.enum) return shape.enum[index % shape.enum.length];
  const length = Math.max(shape.min ?? 1, String(index).length + 1);
  for (const first of ['k', 'K', 'a']) {
    const candidate = `${first}${index}`.padEnd(length, first);
    if (matches(shape, candidate)) return candidate;
  }
  return `k${index}`.padEnd(length, 'k');
}

/** A string of the shape: its first enum value, or the shortest simple string that meets its pattern. */
export function stringValue(shape: StringShape): string {
  if (shape.enum) return shape.enum[0];
  const shortest = Math.max(shape.min ?? 0, 1);
  const longest = Math.min(shape.max ?? 256, shortest + 256);
  for (let length = shortest; length <= longest; length++) {
    const candidate = stringOfLength(shape, length);
    if (matches(shape, candidate)) return candidate;
  }
  return 'a'.repeat(shortest);
}

// What simple strings are made of: the shapes of names, ARNs, S3 URIs and URLs the models ask for,
// padded with a filler character. Patterns none of them meet (a digest, a lookbehind) get the filler
// alone, and then only the constraint a test is about is checked.
const PREFIXES = [
  '',
  'arn:aws:iam::000000000000:role/r',
  'arn:aws:sagemaker:us-east-1:000000000000:model-package-group/a',
  'arn:aws:sagemaker:us-east-1:000000000000:model-package/a',
  'arn:aws:sagemaker:us-east-1:000000000000:a/a',
  'arn:aws:sns:us-east-1:000000000000:a',
  'arn:aws:lambda:us-east-1:000000000000:function:a',
  's3://bucket/a',
  'https://example.com/a',
  'endpoint/a/variant/',
  'sha256:',
];
const FILLERS = ['a', 'A', '1', '0', '-', '/', '_', '.'];

/**
 * A string of exactly `length` characters, meeting the shape's pattern if one of the simple forms
 * does; else `a`s (the pattern is then broken, which a test of the length does not look at).
 */
export function stringOfLength(shape: StringShape, length: number): string {
  if (shape.enum) {
    const value = shape.enum.find((candidate) => candidate.length === length);
    if (value) return value;
  }
  for (const prefix of PREFIXES) {
    if (prefix.length > length) continue;
    for (const filler of FILLERS) {
      for (const candidate of [prefix + filler.repeat(length - prefix.length), filler.repeat(length - prefix.length) + prefix]) {
        if (matches(shape, candidate)) return candidate;
      }
    }
  }
  return 'a'.repeat(length);
}

const regexes = new Map<string, RegExp>();
function matches(shape: StringShape, value: string): boolean {
  if (shape.enum) return shape.enum.includes(value);
  if (!shape.regex) return true;
  let regex = regexes.get(shape.regex);
  if (!regex) regexes.set(shape.regex, (regex = new RegExp(shape.regex, 'u')));
  return regex.test(value);
}

/**
 * A value of the site's shape at a given size: a string or blob of that many characters or bytes, a
 * list or map of that many entries, or that number.
 */
export function valueOfSize(model: ServiceModel, shape: Shape, size: number): unknown {
  switch (shape.type) {
    case 'string':
      return stringOfLength(shape, size);
    case 'blob':
      return Buffer.alloc(size, 'a').toString('base64');
    case 'list':
      return Array.from({ length: size }, () => minimalValue(model, model.shapes[(shape as ListShape).member.shape], 1));
    case 'map':
      return mapOfSize(model, shape, size, 1);
    default:
      return size;
  }
}

/** `input` with `value` at the place `steps` lead to, the parts on the way made minimal where missing. */
export function withValueAt(model: ServiceModel, shape: Shape, current: unknown, steps: readonly Step[], value: unknown): unknown {
  if (steps.length === 0) return value;
  const [step, ...rest] = steps;
  if ('member' in step && shape.type === 'structure') {
    const record = (current ?? {}) as Record<string, unknown>;
    const memberShape = model.shapes[shape.members[step.member].shape];
    const existing = record[step.member] ?? minimalValue(model, memberShape, 1);
    return { ...record, [step.member]: withValueAt(model, memberShape, existing, rest, value) };
  }
  if ('element' in step && shape.type === 'list') {
    const list = (current ?? []) as unknown[];
    const elementShape = model.shapes[shape.member.shape];
    return [withValueAt(model, elementShape, list[0] ?? minimalValue(model, elementShape, 1), rest, value), ...list.slice(1)];
  }
  if ('mapKey' in step && shape.type === 'map') {
    // The key is the value; the map keeps its other entries (a map with a lower bound keeps its size).
    const entries = Object.entries((current ?? {}) as Record<string, unknown>);
    const valueShape = model.shapes[shape.value.shape];
    return Object.fromEntries([[value as string, minimalValue(model, valueShape, 1)], ...entries.slice(1)]);
  }
  if ('mapValue' in step && shape.type === 'map') {
    const record = (current ?? {}) as Record<string, unknown>;
    const key = Object.keys(record)[0] ?? distinctKey(model.shapes[shape.key.shape] as StringShape, 0);
    const valueShape = model.shapes[shape.value.shape];
    return { ...record, [key]: withValueAt(model, valueShape, record[key] ?? minimalValue(model, valueShape, 1), rest, value) };
  }
  throw new Error(`cannot step ${JSON.stringify(step)} into a ${shape.type}`);
}

/** One constraint an answer says a request breaks: where, and the words. */
export interface Violation {
  path: string;
  constraint: string;
}

/** The violations a validation error lists (`1 validation error detected: Value 'x' at 'a.b' failed to satisfy constraint: …; …`). */
export function violationsOf(message: string): Violation[] {
  const detected = /^\d+ validation errors? detected: ([\s\S]*)$/.exec(message);
  if (!detected) return [];
  return detected[1].split(/; (?=Value )/).map((text) => {
    const parsed = / at '([^']*)' failed to satisfy constraint: ([\s\S]*)$/.exec(text);
    if (!parsed) throw new Error(`not a violation in AWS's words: ${text}`);
    return { path: parsed[1], constraint: parsed[2] };
  });
}
