// Request validation against the API model's constraints, worded as AWS words it:
//   1 validation error detected: Value 'x y' at 'trainingJobName' failed to satisfy constraint:
//   Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}
// Input is expected already deserialised (types checked) by the protocol.
import { AwsError } from './errors';
import { excerpt } from './excerpt';
import { type MemberRef, type ServiceModel, type Shape, shapeOf } from './models';

/** How much of a value a validation message shows. */
const MAX_DISPLAYED_CHARS = 256;

/** AWS names members in messages by their lower-camel-case name, nested with dots. */
export function memberPath(parent: string, memberName: string): string {
  const name = memberName.charAt(0).toLowerCase() + memberName.slice(1);
  return parent ? `${parent}.${name}` : name;
}

/** Element paths inside lists are 1-based: `inputDataConfig.1.member.channelName`. */
export function elementPath(parent: string, index: number): string {
  return `${parent}.${index + 1}.member`;
}

/** Throws the service's validation error (ValidationException for most) listing every constraint `value` breaks. */
export function validate(model: ServiceModel, shapeName: string, value: unknown): void {
  const violations: string[] = [];
  checkValue(model, shapeOf(model, shapeName), value, '', violations);
  if (violations.length === 0) return;
  const count = violations.length === 1 ? '1 validation error' : `${violations.length} validation errors`;
  throw new AwsError(model.validationErrorCode ?? 'ValidationException', 400, `${count} detected: ${violations.join('; ')}`);
}

function checkValue(model: ServiceModel, shape: Shape, value: unknown, path: string, violations: string[]): void {
  const broken = scalarViolations(shape, value);
  for (const constraint of broken) violations.push(violation(value, path, constraint));

  if (shape.type === 'structure' && isRecord(value)) {
    for (const [name, member] of Object.entries(shape.members)) {
      const memberValue = value[name];
      const childPath = memberPath(path, name);
      if (memberValue === undefined || memberValue === null) {
        if (shape.required?.includes(name)) violations.push(`Value null at '${childPath}' failed to satisfy constraint: Member must not be null`);
        continue;
      }
      checkValue(model, shapeOf(model, member.shape), memberValue, childPath, violations);
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    checkElements(model, shape.member, value, path, 'Member must satisfy constraint', violations);
  } else if (shape.type === 'map' && isRecord(value)) {
    checkElements(model, shape.key, Object.keys(value), path, 'Map keys must satisfy constraint', violations);
    checkElements(model, shape.value, Object.values(value), path, 'Map value must satisfy constraint', violations);
  }
}

/**
 * Scalar elements are reported once for the whole collection, as AWS does
 * (`Value '[a, b c]' at 'subnets' failed to satisfy constraint: Member must satisfy constraint: [...]`);
 * structure elements are walked with their own paths.
 */
function checkElements(
  model: ServiceModel,
  ref: MemberRef,
  elements: unknown[],
  path: string,
  label: string,
  violations: string[],
): void {
  const shape = shapeOf(model, ref.shape);
  if (shape.type === 'structure' || shape.type === 'list' || shape.type === 'map') {
    elements.forEach((element, index) => checkValue(model, shape, element, elementPath(path, index), violations));
    return;
  }
  const broken = new Set(elements.flatMap((element) => scalarViolations(shape, element)));
  if (broken.size > 0) violations.push(violation(elements, path, `${label}: [${[...broken].join(', ')}]`));
}

/** The constraints of the shape itself (length, range, enum, pattern) that `value` breaks. */
function scalarViolations(shape: Shape, value: unknown): string[] {
  const broken: string[] = [];
  const size = sizeOf(value);
  if (size !== undefined) {
    if (shape.max !== undefined && size > shape.max) broken.push(`Member must have length less than or equal to ${shape.max}`);
    if (shape.min !== undefined && size < shape.min) broken.push(`Member must have length greater than or equal to ${shape.min}`);
  }
  if (typeof value === 'number') {
    if (shape.max !== undefined && value > shape.max) broken.push(`Member must have value less than or equal to ${shape.max}`);
    if (shape.min !== undefined && value < shape.min) broken.push(`Member must have value greater than or equal to ${shape.min}`);
  }
  if (shape.type === 'string' && typeof value === 'string') {
    if (shape.enum && !shape.enum.includes(value)) broken.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
    if (shape.pattern && shape.regex && !compiled(shape.regex).test(value)) {
      broken.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
    }
  }
  return broken;
}

function sizeOf(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value instanceof Uint8Array) return value.byteLength;
  if (isRecord(value) && !(value instanceof Date)) return Object.keys(value).length;
  return undefined;
}

function violation(value: unknown, path: string, constraint: string): string {
  return `Value ${quote(value)} at '${path}' failed to satisfy constraint: ${constraint}`;
}

/**
 * Values print the way the Java services print them: `'x'`, `'[a, b]'`, `'{k=v}'` — at most
 * MAX_DISPLAYED_CHARS of them, so that a message never echoes a request's megabytes.
 */
function quote(value: unknown): string {
  return `'${excerpt(display(value, MAX_DISPLAYED_CHARS), MAX_DISPLAYED_CHARS)}'`;
}

/** The value's text, stopping once it is longer than `room` (the input is bounded: nothing walks it all). */
function display(value: unknown, room: number): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length && text.length <= room; index++) text += `${index ? ', ' : ''}${display(value[index], room - text.length)}`;
    return `${text}]`;
  }
  if (isRecord(value)) {
    let text = '{';
    for (const key in value) {
      if (text.length > room) break;
      if (Object.hasOwn(value, key)) text += `${text === '{' ? '' : ', '}${key}=${display(value[key], room - text.length)}`;
    }
    return `${text}}`;
  }
  const text = String(value);
  return text.length > room ? text.slice(0, room + 1) : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

const regexCache = new Map<string, RegExp>();
function compiled(source: string): RegExp {
  let regex = regexCache.get(source);
  if (!regex) {
    regex = new RegExp(source, 'u');
    regexCache.set(source, regex);
  }
  return regex;
}
