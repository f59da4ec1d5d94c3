// A `*.prompts.yaml` file read into prompt tests, with every problem on the line it is about: YAML
// syntax (read by js-yaml, fast; placed by the `yaml` package, which keeps each node's source
// range, loaded only when a place is needed), the file's JSON Schema
// (schemas/prompt-tests.schema.json — the same schema editors get through yamlValidation — checked
// by the validator ajv generates from it at build time, promptFileValidator.ts), and the rules a
// schema cannot say (one kind per assertion, unique case names, variables that exist, regexes and
// JSON Schemas that compile, a custom template the chat's codec can use — each of its fields on its
// own line — and conversations only where the format carries one). Pure: offsets and lines here,
// diagnostics in the extension, messages in the CLI.
import type { default as Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import { validate as generatedValidator } from './promptFileValidator';
import { yamlStepsAlong } from '../yamlPaths';
import { ajvLibrary, jsYamlLibrary, yamlLibrary } from '../libraries';
import { carriesHistory, FORMAT_LABELS, templateProblem } from '../chat/formats';
import type { ChatMessage } from '../chat/payloads';
import type { CustomTemplate, PayloadFormat } from '../chat/types';

export interface PromptParameters {
  format?: PayloadFormat;
  maxNewTokens?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
}

export type Variables = Record<string, string | number | boolean>;

export type Assertion =
  | { kind: 'contains' | 'not-contains' | 'equals'; text: string; ignoreCase: boolean }
  | { kind: 'regex'; pattern: string; flags: string }
  | { kind: 'json'; schema?: object }
  | { kind: 'max-latency-ms'; limit: number }
  | { kind: 'max-tokens'; limit: number }
  | { kind: 'similar'; text: string; measure: 'jaccard' | 'cosine'; threshold: number };

export type AssertionKind = Assertion['kind'];

export const ASSERTION_KINDS: readonly AssertionKind[] = ['contains', 'not-contains', 'regex', 'equals', 'json', 'max-latency-ms', 'max-tokens', 'similar'];

/** The keys that modify each kind of assertion; any other key beside the kind is a mistake. */
const MODIFIERS: Record<AssertionKind, readonly string[]> = {
  contains: ['ignore-case'],
  'not-contains': ['ignore-case'],
  equals: ['ignore-case'],
  regex: ['flags'],
  json: [],
  'max-latency-ms': [],
  'max-tokens': [],
  similar: ['measure', 'threshold'],
};

export interface PromptCase {
  name: string;
  /** Where the case is in the file (offsets), for a CodeLens or a test item's range. */
  range: TextRange;
  /** The conversation, variables put in, ending with the user's turn. */
  messages: ChatMessage[];
  parameters: PromptParameters;
  assertions: Assertion[];
  /** Where each assertion is, in the order of `assertions`. */
  assertionRanges: TextRange[];
}

export interface ParameterSet extends PromptParameters {
  name: string;
}

export interface PromptTestFile {
  description?: string;
  /** None: each endpoint's own, found by the chat's probe when the run starts. */
  format?: PayloadFormat;
  /** JumpStart: the user accepted the model's EULA (accept_eula=true in CustomAttributes). */
  acceptEula: boolean;
  /** The custom format's template (its request as JSON text). */
  template?: CustomTemplate;
  stream: boolean;
  concurrency: number;
  parameters: PromptParameters;
  matrix: { endpoints: string[]; parameters: ParameterSet[] };
  cases: PromptCase[];
}

/** Offsets into the text, end exclusive. */
export interface TextRange {
  start: number;
  end: number;
}

export interface FileProblem {
  message: string;
  range: TextRange;
  /** 1-based, for messages such as `file.prompts.yaml:12:5`. */
  line: number;
  column: number;
}

export type ParsedPromptFile = { ok: true; file: PromptTestFile } | { ok: false; problems: FileProblem[] };

type Path = readonly (string | number)[];

/** The file's name pattern: `*.prompts.yaml` (or `.yml`). */
export const PROMPT_FILE_PATTERN = /\.prompts\.ya?ml$/i;

export function isPromptFile(fileName: string): boolean {
  return PROMPT_FILE_PATTERN.test(fileName);
}

/** The file's schema, compiled at build time (scripts/generatePromptTestsValidator.mjs): nothing to compile when a file is read. */
const validatePromptFile = generatedValidator as unknown as ValidateFunction;
/**
 * For answer schemas only, made on first use. The library itself is loaded then too (a synchronous
 * require: parsing and checking are synchronous), so a file without a `json: {schema}` assertion —
 * and the CLI's start, and the extension's activation — never evaluates it.
 */
let ajv: Ajv | undefined;
function answerSchemaCompiler(): Ajv {
  if (!ajv) {
    const { default: AjvClass } = ajvLibrary();
    ajv = new AjvClass({ allErrors: true, strict: false });
  }
  return ajv;
}
/** Answer schemas of `json: {schema}` assertions, compiled once per distinct schema. */
const answerSchemas = new Map<string, ValidateFunction>();

/** The JSON Schema validator of an answer schema (throws when the schema itself is invalid). */
export function answerValidator(answerSchema: object): ValidateFunction {
  const key = JSON.stringify(answerSchema);
  let validate = answerSchemas.get(key);
  if (!validate) {
    validate = answerSchemaCompiler().compile(answerSchema);
    answerSchemas.set(key, validate);
  }
  return validate;
}

/** The `yaml` library, loaded on first use (see parsePromptFile). */
const yaml = yamlLibrary;

/**
 * The file's value read by js-yaml (YAML 1.2's core schema, as `yaml` reads it), or undefined when
 * js-yaml refuses it (a syntax error, a duplicate key) or it has aliases (whose expansion only
 * `yaml` bounds): those go to `yaml`, which says where the problem is.
 */
function quickValue(text: string): { value: unknown } | undefined {
  if (/(^|[\s[{,:-])\*[^\s,\]}]/m.test(text)) return undefined;
  try {
    const { CORE_SCHEMA, load: loadYaml } = jsYamlLibrary();
    return { value: loadYaml(text, { schema: CORE_SCHEMA }) };
  } catch {
    return undefined;
  }
}

/**
 * Reads a prompt-test file. Its value comes from js-yaml, several times faster than `yaml` (a CI
 * run's start reads a file of a hundred cases); `yaml`'s document, which knows where each node is, is
 * made only when a place is asked for — a problem to put on its line, a case's range for a lens or a
 * test item — or when js-yaml could not read the file.
 */
export function parsePromptFile(text: string): ParsedPromptFile {
  let parsed: { document: Document.Parsed; lines: LineCounter } | undefined;
  const source = () => {
    if (!parsed) {
      const { LineCounter: Lines, parseDocument } = yaml();
      const lines = new Lines();
      parsed = { document: parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }), lines };
    }
    return parsed;
  };
  const problems: FileProblem[] = [];
  const problem = (message: string, range: TextRange) => {
    const { line, col } = source().lines.linePos(range.start);
    problems.push({ message, range, line, column: col });
  };
  const at = (path: Path, key = false): TextRange => locate(source().document.contents, path, text.length, key);

  let value: unknown;
  const quick = quickValue(text);
  if (quick) {
    value = quick.value;
  } else {
    const { document } = source();
    for (const error of document.errors) {
      problem(`YAML: ${error.message.split('\n')[0]}`, { start: error.pos[0], end: Math.max(error.pos[1], error.pos[0] + 1) });
    }
    if (problems.length > 0) return { ok: false, problems };
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problem(`YAML: ${(error as Error).message}`, { start: 0, end: text.length });
      return { ok: false, problems };
    }
  }
  if (value === null || value === undefined) {
    problem('The file is empty: it needs at least `cases:` with one case.', { start: 0, end: text.length });
    return { ok: false, problems };
  }

  if (!validatePromptFile(value)) {
    for (const error of usefulErrors(validatePromptFile.errors ?? [])) {
      const path = pointerPath(error.instancePath);
      const extra = error.keyword === 'additionalProperties' ? (error.params as { additionalProperty: string }).additionalProperty : undefined;
      problem(schemaMessage(error, path), extra === undefined ? at(path) : at([...path, extra], true));
    }
    return { ok: false, problems };
  }

  const raw = value as RawFile;
  const fileVariables = raw.variables ?? {};
  // The formats the file names (none: each endpoint's, probed at run time, where a conversation to a
  // format without one is refused instead).
  const fileFormat = raw.parameters?.format ?? raw.format;
  const formats = new Set<PayloadFormat>(
    [fileFormat, ...(raw.matrix?.parameters ?? []).map((set) => set.format ?? fileFormat)].filter((format): format is PayloadFormat => format !== undefined),
  );
  const template = readTemplate(raw.template, (message, path) => problem(message, at(['template', ...path])));
  // The custom format without a template: said where the format is chosen (each place once).
  if (!raw.template) {
    const chosen: Path[] = [
      ...(raw.format === 'custom' ? [['format']] : []),
      ...(raw.parameters?.format === 'custom' ? [['parameters', 'format']] : []),
      ...(raw.matrix?.parameters ?? []).flatMap((set, index) => (set.format === 'custom' ? [['matrix', 'parameters', index, 'format']] : [])),
      ...raw.cases.flatMap((rawCase, index) => (rawCase.parameters?.format === 'custom' ? [['cases', index, 'parameters', 'format']] : [])),
    ];
    for (const path of chosen) problem(`${templateProblem(undefined)} Add template: with request and answerPath (and chunkPath for a streamed answer).`, at(path));
  }
  const cases: PromptCase[] = [];
  const names = new Map<string, number>();
  raw.cases.forEach((rawCase, index) => {
    const here: Path = ['cases', index];
    const variables = { ...fileVariables, ...(rawCase.variables ?? {}) };
    /** Puts in the variables; an unknown one is a problem on the string that names it. */
    const fill = (template: string, path: Path): string =>
      template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (whole, name: string) => {
        if (name in variables) return String(variables[name]);
        problem(`Unknown variable {{${name}}}: define it under variables (of the file or of this case).`, at(path));
        return whole;
      });
    if (names.has(rawCase.name)) {
      problem(`Another case is already named "${rawCase.name}" (case ${names.get(rawCase.name)! + 1}): each case needs its own name.`, at([...here, 'name']));
    }
    names.set(rawCase.name, index);
    const messages: ChatMessage[] = [];
    if ((rawCase.prompt === undefined) === (rawCase.messages === undefined)) {
      problem(`Case "${rawCase.name}" needs either prompt or messages (not both).`, at(here, true));
    }
    if (rawCase.system !== undefined) messages.push({ role: 'system', content: fill(rawCase.system, [...here, 'system']) });
    if (rawCase.prompt !== undefined) messages.push({ role: 'user', content: fill(rawCase.prompt, [...here, 'prompt']) });
    rawCase.messages?.forEach((message, position) => messages.push({ role: message.role, content: fill(message.content, [...here, 'messages', position, 'content']) }));
    if (rawCase.messages !== undefined && messages[messages.length - 1]?.role !== 'user') {
      problem('The messages must end with the user\'s turn: that is what the model answers.', at([...here, 'messages']));
    }
    const caseFormats = rawCase.parameters?.format ? new Set([rawCase.parameters.format]) : formats;
    // A leading system message goes as the system prompt (before the prompt where there are no roles).
    const turns = messages[0]?.role === 'system' ? messages.length - 1 : messages.length;
    const single = [...caseFormats].find((format) => (format !== 'custom' || template) && !carriesHistory({ format, template }));
    if (single && turns > 1) {
      problem(
        `${FORMAT_LABELS[single]} sends one prompt, not a conversation: use prompt (and system), or a format that carries one (messages, jumpstart, or a custom template with {{messages}}).`,
        at([...here, 'messages']),
      );
    }
    const assertions = (rawCase.assert ?? []).flatMap((rawAssertion, position) => {
      const assertion = readAssertion(rawAssertion, [...here, 'assert', position], fill, (message, path, key) => problem(message, at(path, key)));
      return assertion ? [assertion] : [];
    });
    // Where the case and its assertions are: found when first asked for (the CLI never asks).
    let ranges: { range: TextRange; assertionRanges: TextRange[] } | undefined;
    const placed = () => (ranges ??= { range: at(here), assertionRanges: assertions.map((_, position) => at([...here, 'assert', position])) });
    cases.push({
      name: rawCase.name,
      get range() {
        return placed().range;
      },
      messages,
      parameters: rawCase.parameters ?? {},
      assertions,
      get assertionRanges() {
        return placed().assertionRanges;
      },
    });
  });
  // A template no call uses is most likely a forgotten `format: custom`: the calls would go in another format.
  if (raw.template && !formats.has('custom') && !raw.cases.some((rawCase) => rawCase.parameters?.format === 'custom')) {
    problem('The template is used only by format: custom, which nothing here chooses: add format: custom (or remove template).', at(['template'], true));
  }
  const parameterSets = raw.matrix?.parameters ?? [];
  parameterSets.forEach((set, index) => {
    if (parameterSets.findIndex((other) => other.name === set.name) !== index) {
      problem(`Another parameter set is already named "${set.name}".`, at(['matrix', 'parameters', index, 'name']));
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    file: {
      description: raw.description,
      ...(raw.format ? { format: raw.format } : {}),
      acceptEula: raw.acceptEula ?? false,
      ...(template ? { template } : {}),
      stream: raw.stream ?? true,
      concurrency: raw.concurrency ?? 4,
      parameters: raw.parameters ?? {},
      matrix: { endpoints: raw.matrix?.endpoints ?? [], parameters: parameterSets.map((set) => ({ ...set, name: set.name ?? '' })) },
      cases,
    },
  };
}

/** The file as its schema says it is (after validation). */
interface RawFile {
  description?: string;
  format?: PayloadFormat;
  acceptEula?: boolean;
  template?: RawTemplate;
  stream?: boolean;
  concurrency?: number;
  parameters?: PromptParameters;
  variables?: Variables;
  matrix?: { endpoints?: string[]; parameters?: (PromptParameters & { name?: string })[] };
  cases: {
    name: string;
    prompt?: string;
    system?: string;
    messages?: ChatMessage[];
    parameters?: PromptParameters;
    variables?: Variables;
    assert?: Record<string, unknown>[];
  }[];
}

interface RawTemplate {
  request: string | object;
  answerPath: string;
  chunkPath?: string;
}

/** A request any format can carry, to check one field of a template at a time. */
const PLAIN_REQUEST = '{"prompt": "{{prompt}}"}';

/**
 * The file's template as the codec takes it (a YAML mapping as JSON text), or undefined with each
 * problem — in the codec's own words (templateProblem) — on the field it is about.
 */
function readTemplate(raw: RawTemplate | undefined, problem: (message: string, path: Path) => void): CustomTemplate | undefined {
  if (!raw) return undefined;
  const template: CustomTemplate = {
    request: typeof raw.request === 'string' ? raw.request : JSON.stringify(raw.request),
    answerPath: raw.answerPath,
    ...(raw.chunkPath === undefined ? {} : { chunkPath: raw.chunkPath }),
  };
  const fields: [Path, CustomTemplate][] = [
    [['request'], { request: template.request, answerPath: '$' }],
    [['answerPath'], { request: PLAIN_REQUEST, answerPath: template.answerPath }],
    ...(template.chunkPath === undefined ? [] : [[['chunkPath'], { request: PLAIN_REQUEST, answerPath: '$', chunkPath: template.chunkPath }] as [Path, CustomTemplate]]),
  ];
  let usable = true;
  for (const [path, part] of fields) {
    const said = templateProblem(part);
    if (said !== undefined) {
      problem(said, path);
      usable = false;
    }
  }
  return usable ? template : undefined;
}

function readAssertion(
  raw: Record<string, unknown>,
  path: Path,
  fill: (template: string, path: Path) => string,
  problem: (message: string, path: Path, key?: boolean) => void,
): Assertion | undefined {
  const kinds = ASSERTION_KINDS.filter((kind) => kind in raw);
  if (kinds.length !== 1) {
    problem(
      kinds.length === 0
        ? `An assertion needs one of: ${ASSERTION_KINDS.join(', ')}.`
        : `One check per assertion: ${kinds.join(' and ')} are in the same item (start another with "- ").`,
      path,
    );
    return undefined;
  }
  const kind = kinds[0];
  for (const key of Object.keys(raw)) {
    if (key !== kind && !MODIFIERS[kind].includes(key)) {
      problem(`"${key}" does not apply to ${kind}${MODIFIERS[kind].length ? ` (it takes ${MODIFIERS[kind].join(', ')})` : ''}.`, [...path, key], true);
    }
  }
  const text = (key: string) => fill(raw[key] as string, [...path, key]);
  switch (kind) {
    case 'contains':
    case 'not-contains':
    case 'equals':
      return { kind, text: text(kind), ignoreCase: raw['ignore-case'] === true };
    case 'regex': {
      const pattern = text('regex');
      const flags = (raw.flags as string | undefined) ?? '';
      try {
        new RegExp(pattern, flags);
      } catch (error) {
        problem(`Not a valid regular expression: ${(error as Error).message}`, [...path, 'regex']);
      }
      return { kind, pattern, flags };
    }
    case 'json': {
      const json = raw.json as true | { schema: object };
      if (json === true) return { kind };
      try {
        answerValidator(json.schema);
      } catch (error) {
        problem(`Not a valid JSON Schema: ${(error as Error).message}`, [...path, 'json', 'schema']);
      }
      return { kind, schema: json.schema };
    }
    case 'max-latency-ms':
    case 'max-tokens':
      return { kind, limit: raw[kind] as number };
    case 'similar':
      return { kind, text: text('similar'), measure: raw.measure === 'cosine' ? 'cosine' : 'jaccard', threshold: (raw.threshold as number | undefined) ?? 0.5 };
  }
}

/** `anyOf`/`oneOf` report their branches' errors too; the branch errors say more, so the summary goes. */
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if') return false;
    const key = `${error.instancePath} ${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function schemaMessage(error: ErrorObject, path: Path): string {
  const where = path.length === 0 ? 'The file' : `"${path.filter((segment) => typeof segment === 'string').slice(-1)[0] ?? 'item'}"`;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      return `Unknown key "${key}" in ${path.length === 0 ? 'the file' : describePath(path)}.`;
    }
    case 'required':
      return `${path.length === 0 ? 'The file' : describePath(path)} needs "${(error.params as { missingProperty: string }).missingProperty}".`;
    case 'enum':
      return `${where} must be one of: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}.`;
    case 'const':
      return `${where} must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)} or {schema: …}.`;
    default:
      return `${where} ${error.message ?? 'is not valid'}.`;
  }
}

function describePath(path: Path): string {
  if (path[0] === 'cases' && typeof path[1] === 'number') {
    const rest = path.slice(2);
    if (rest[0] === 'assert' && typeof rest[1] === 'number') return `assertion ${rest[1] + 1} of case ${path[1] + 1}`;
    return rest.length ? `"${rest.join('.')}" of case ${path[1] + 1}` : `case ${path[1] + 1}`;
  }
  return `"${path.join('.')}"`;
}

function pointerPath(pointer: string): Path {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** The value at `path` (or its key), else the nearest ancestor that exists. */
function locate(root: YamlNode | null | undefined, path: Path, length: number, key: boolean): TextRange {
  const steps = yamlStepsAlong(yaml(), root, path);
  const last = steps.at(-1);
  if (!last) return rangeOf(root) ?? { start: 0, end: length };
  return (key && steps.length === path.length && rangeOf(last.key)) || rangeOf(last.node)!;
}

function rangeOf(node: YamlNode | null | undefined): TextRange | undefined {
  const range = node?.range;
  return range ? { start: range[0], end: Math.max(range[1], range[0] + 1) } : undefined;
}
