// The calls a prompt-test file makes: every case once per endpoint and per parameter set of its
// matrix, with the parameters merged (the chat's defaults, then the file's, the set's, the case's)
// and brought within the limits every container accepts — and how each call's request is written
// (its format spec: the format, the file's EULA acceptance and custom template). Pure.
import type { ChatMessage } from '../chat/payloads';
import { DEFAULT_PARAMETERS, normalizeParameters, type ChatParameters, type FormatSpec, type PayloadFormat } from '../chat/types';
import type { Assertion, PromptParameters, PromptTestFile } from './promptFile';

export interface PlannedCall {
  /** Unique in the run: the case, then the endpoint and parameter set when there are several. */
  id: string;
  caseName: string;
  endpoint: string;
  /** The matrix's parameter set, when it has any. */
  parameterSet?: string;
  parameters: ChatParameters;
  /** How the request is written and read: `parameters.format`, with the file's acceptEula and template. */
  spec: FormatSpec;
  messages: ChatMessage[];
  stream: boolean;
  assertions: Assertion[];
}

/** Greedy decoding unless the file says otherwise: a test should give the same answer each run. */
const TEST_DEFAULTS: ChatParameters = { ...DEFAULT_PARAMETERS, temperature: 0, topP: 1 };

export class NoEndpointError extends Error {
  override readonly name = 'NoEndpointError';
  constructor() {
    super('No endpoint to run against: name one (--endpoint NAME), or list them under matrix.endpoints in the file.');
  }
}

/** The variant of a case a call is: its endpoint and parameter set, e.g. `model-a · greedy`. */
export function variantOf(call: Pick<PlannedCall, 'endpoint' | 'parameterSet'>): string {
  return call.parameterSet === undefined ? call.endpoint : `${call.endpoint} · ${call.parameterSet}`;
}

/**
 * The calls of the file, case by case. `endpoints` chosen for the run replace the file's matrix
 * endpoints; `only` keeps the cases named (e.g. a re-run of the failed ones).
 */
export function planCalls(file: PromptTestFile, options: { endpoints?: readonly string[]; only?: ReadonlySet<string> } = {}): PlannedCall[] {
  const endpoints = options.endpoints && options.endpoints.length > 0 ? [...new Set(options.endpoints)] : file.matrix.endpoints;
  if (endpoints.length === 0) throw new NoEndpointError();
  const sets: (PromptParameters & { name?: string })[] = file.matrix.parameters.length > 0 ? file.matrix.parameters : [{}];
  const calls: PlannedCall[] = [];
  for (const promptCase of file.cases) {
    if (options.only && !options.only.has(promptCase.name)) continue;
    for (const endpoint of endpoints) {
      for (const set of sets) {
        const { name: parameterSet, ...setParameters } = set;
        const merged = { ...TEST_DEFAULTS, format: file.format, ...defined(file.parameters), ...defined(setParameters), ...defined(promptCase.parameters) };
        const call = { endpoint, parameterSet };
        const parameters = normalizeParameters(merged);
        calls.push({
          id: endpoints.length > 1 || parameterSet !== undefined ? `${promptCase.name} [${variantOf(call)}]` : promptCase.name,
          caseName: promptCase.name,
          ...call,
          parameters,
          spec: formatSpec(file, parameters.format),
          messages: promptCase.messages,
          stream: file.stream,
          assertions: promptCase.assertions,
        });
      }
    }
  }
  return calls;
}

/** The file's way of writing requests in `format`: the EULA acceptance for JumpStart, the template for custom. */
export function formatSpec(file: Pick<PromptTestFile, 'acceptEula' | 'template'>, format: PayloadFormat): FormatSpec {
  return {
    format,
    ...(format === 'jumpstart' && file.acceptEula ? { acceptEula: true } : {}),
    ...(format === 'custom' && file.template ? { template: file.template } : {}),
  };
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
