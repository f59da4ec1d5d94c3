// Each endpoint's payload format, remembered in the workspace (VS Code's workspaceState through its
// get/update): found by the probe on first use, or chosen by the user over it — a JumpStart model's
// accepted EULA and a custom template with it. The chat panel and Compare read it through here, so
// a format found or chosen once holds for every surface (prompt-test files naming no format too).
// Kept per endpoint name and the endpoint configuration it ran then: an endpoint updated to another
// model or image is probed again. No `vscode` import.
import type { KeyValueStore } from './conversations';
import { probeFormat, templateProblem, type EndpointFormat } from './formats';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { PAYLOAD_FORMAT_NAMES } from './types';

export const ENDPOINT_FORMATS_KEY = 'sagemaker.chat.endpointFormats';
/** Endpoints remembered at most; the least recently set are forgotten first. */
export const MAX_REMEMBERED_ENDPOINTS = 500;

/** The endpoint configuration an endpoint runs now (DescribeEndpoint's EndpointConfigName); undefined when unknown. */
export type EndpointConfigOf = (endpoint: string) => Promise<string | undefined>;

export class FormatMemory {
  /**
   * @param configOf what the endpoint runs now: a format is remembered for the endpoint's name and
   * configuration, so an update (UpdateEndpoint always names another configuration: a new model or
   * image) is probed again. None: remembered by name alone.
   */
  constructor(
    private readonly memento: KeyValueStore,
    private readonly configOf: EndpointConfigOf = () => Promise.resolve(undefined),
  ) {}

  private all(): Record<string, EndpointFormat> {
    const value = this.memento.get<Record<string, EndpointFormat>>(ENDPOINT_FORMATS_KEY);
    return typeof value === 'object' && value !== null ? value : {};
  }

  /** The endpoint's remembered format, if it has a usable one. */
  get(endpoint: string): EndpointFormat | undefined {
    const kept = this.all()[endpoint];
    if (!kept || !PAYLOAD_FORMAT_NAMES.includes(kept.format)) return undefined;
    if (kept.format === 'custom' && templateProblem(kept.template) !== undefined) return undefined;
    return kept;
  }

  /** Remembers the endpoint's format for the configuration it runs now. */
  async set(endpoint: string, format: EndpointFormat): Promise<void> {
    const config = await this.currentConfig(endpoint);
    const { endpointConfig: _before, ...rest } = format;
    void _before;
    const { [endpoint]: _old, ...others } = this.all();
    void _old;
    const kept = Object.entries(others).slice(-(MAX_REMEMBERED_ENDPOINTS - 1));
    await this.memento.update(ENDPOINT_FORMATS_KEY, Object.fromEntries([...kept, [endpoint, config === undefined ? rest : { ...rest, endpointConfig: config }]]));
  }

  /**
   * The endpoint's remembered format if it was remembered for the configuration the endpoint runs
   * now; forgotten (and none) after the endpoint was updated to another one, so that the next prompt
   * probes again. When the configuration cannot be read (no DescribeEndpoint permission, say), the
   * remembered format holds; one remembered before configurations were kept is kept for this one.
   */
  async current(endpoint: string): Promise<EndpointFormat | undefined> {
    const kept = this.get(endpoint);
    if (!kept) return undefined;
    const config = await this.currentConfig(endpoint);
    if (config === undefined || kept.endpointConfig === config) return kept;
    if (kept.endpointConfig === undefined) {
      await this.set(endpoint, kept);
      return this.get(endpoint);
    }
    await this.forget(endpoint);
    return undefined;
  }

  /** The format to speak to the endpoint in: the one remembered for what it runs now, else the probe's (remembered). */
  async resolve(runtime: SageMakerRuntimeClient, endpoint: string, signal?: AbortSignal): Promise<EndpointFormat | undefined> {
    return (await this.current(endpoint)) ?? (await this.detect(runtime, endpoint, signal)).found;
  }

  private async currentConfig(endpoint: string): Promise<string | undefined> {
    try {
      return await this.configOf(endpoint);
    } catch {
      return undefined; // not readable: the format is remembered by name alone
    }
  }

  async forget(endpoint: string): Promise<void> {
    const { [endpoint]: _old, ...others } = this.all();
    void _old;
    await this.memento.update(ENDPOINT_FORMATS_KEY, others);
  }

  /**
   * Runs the probe and remembers what it found (a custom template or an accepted EULA the endpoint
   * had stays). Resolves with what is remembered now — none when no known format was answered, with
   * the probe's steps to show why.
   */
  async detect(runtime: SageMakerRuntimeClient, endpoint: string, signal?: AbortSignal): Promise<{ found?: EndpointFormat; needsEula?: boolean; steps: EndpointFormat['probe'] }> {
    const before = this.all()[endpoint];
    const probe = await probeFormat(runtime, endpoint, signal);
    if (!probe.format) return { steps: probe.steps };
    const found: EndpointFormat = {
      format: probe.format,
      how: 'detected',
      probe: probe.steps,
      ...(before?.acceptEula ? { acceptEula: true } : {}),
      ...(before?.template ? { template: before.template } : {}),
    };
    await this.set(endpoint, found);
    return { found, needsEula: probe.needsEula && !found.acceptEula, steps: probe.steps };
  }
}
