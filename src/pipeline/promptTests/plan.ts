// The calls a prompt-test file makes: every case once per endpoint and per parameter set of its
// matrix, with the parameters merged (the chat's defaults, then the file's, the set's, the case's)
// and brought within the limits every container accepts — and how each call's request is written
// (its format spec: the format, the file's EULA acceptance and custom template) — or, where the file
// names no format, the endpoint's own as the chat's probe finds it when the run starts. Pure: the
// probe is passed in.
import { carriesHistory, FORMAT_LABELS } from '../chat/formats';
import type { ChatMessage } from '../chat/payloads';
import { DEFAULT_PARAMETERS, normalizeParameters, type ChatParameters, type FormatSpec, type PayloadFormat } from '../chat/types';
import type { Assertion, PromptParameters, PromptTestFile } from './promptFile';

/** Why a call's endpoint gave no format to call it in: a problem said here, or the probe's own failure (the endpoint missing, say). */
export type EndpointFormatFailure = { problem: string } | { error: unknown };

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
  /**
   * The file names no format for this call: it goes in the endpoint's own, found when the run starts
   * (resolveEndpointFormats); until then `spec` and `parameters.format` are placeholders.
   */
  endpointFormat?: 'pending' | EndpointFormatFailure;
  /** The file accepts a JumpStart model's EULA (for a format found at run time). */
  acceptEula: boolean;
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
        const merged = { ...TEST_DEFAULTS, ...defined({ format: file.format }), ...defined(file.parameters), ...defined(setParameters), ...defined(promptCase.parameters) };
        const named = file.format ?? file.parameters.format ?? setParameters.format ?? promptCase.parameters.format;
        const call = { endpoint, parameterSet };
        const parameters = normalizeParameters(merged);
        calls.push({
          id: endpoints.length > 1 || parameterSet !== undefined ? `${promptCase.name} [${variantOf(call)}]` : promptCase.name,
          caseName: promptCase.name,
          ...call,
          parameters,
          spec: formatSpec(file, parameters.format),
          ...(named === undefined ? { endpointFormat: 'pending' as const } : {}),
          acceptEula: file.acceptEula,
          messages: promptCase.messages,
          stream: file.stream,
          assertions: promptCase.assertions,
        });
      }
    }
  }
  return calls;
}

/** What the chat's probe (or its memory) says of an endpoint: its format, with a kept EULA acceptance or template. */
export type FindEndpointFormat = (endpoint: string, signal: AbortSignal) => Promise<FormatSpec | undefined>;

/**
 * The calls whose file names no format, in their endpoint's own: each endpoint asked once (all in
 * parallel), as the chat asks it. A call to an endpoint that answered no known format, or to one
 * whose format sends one prompt when the case is a conversation, keeps a problem and fails with it;
 * one whose probe failed (the endpoint missing, say) fails with that, described as every call's is.
 */
export async function resolveEndpointFormats(calls: readonly PlannedCall[], find: FindEndpointFormat, signal: AbortSignal): Promise<PlannedCall[]> {
  const endpoints = [...new Set(calls.filter((call) => call.endpointFormat === 'pending').map((call) => call.endpoint))];
  const found = new Map(
    await Promise.all(endpoints.map(async (endpoint) => [endpoint, await find(endpoint, signal).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))] as const)),
  );
  return calls.map((call): PlannedCall => {
    if (call.endpointFormat !== 'pending') return call;
    const spec = found.get(call.endpoint);
    if (spec instanceof Error) return { ...call, endpointFormat: { error: spec } };
    if (spec === undefined) {
      return { ...call, endpointFormat: { problem: `${call.endpoint} answered none of the known formats: set format: in the file (messages, tgi, lmi, jumpstart, or custom with a template).` } };
    }
    const turns = call.messages.filter((message) => message.role !== 'system').length;
    if (turns > 1 && !carriesHistory(spec)) {
      return { ...call, endpointFormat: { problem: `${call.endpoint} answers in ${FORMAT_LABELS[spec.format]}, which sends one prompt, not a conversation: use prompt (and system) in this case, or set a format that carries one.` } };
    }
    const { endpointFormat: _pending, ...rest } = call;
    void _pending;
    return {
      ...rest,
      parameters: { ...call.parameters, format: spec.format },
      spec: {
        format: spec.format,
        ...(spec.acceptEula || (spec.format === 'jumpstart' && call.acceptEula) ? { acceptEula: true } : {}),
        ...(spec.template ? { template: spec.template } : {}),
      },
    };
  });
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
