// Each endpoint's payload format, remembered in the workspace (VS Code's workspaceState through its
// get/update): found by the probe on first use, or chosen by the user over it — a JumpStart model's
// accepted EULA and a custom template with it. The chat panel and Compare read it through here, so
// a format found or chosen once holds for every surface. No `vscode` import.
import type { KeyValueStore } from './conversations';
import { probeFormat, templateProblem, type EndpointFormat } from './formats';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { PAYLOAD_FORMAT_NAMES } from './types';

export const ENDPOINT_FORMATS_KEY = 'sagemaker.chat.endpointFormats';
/** Endpoints remembered at most; the least recently set are forgotten first. */
export const MAX_REMEMBERED_ENDPOINTS = 500;

export class FormatMemory {
  constructor(private readonly memento: KeyValueStore) {}

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

  async set(endpoint: string, format: EndpointFormat): Promise<void> {
    const { [endpoint]: _old, ...others } = this.all();
    void _old;
    const kept = Object.entries(others).slice(-(MAX_REMEMBERED_ENDPOINTS - 1));
    await this.memento.update(ENDPOINT_FORMATS_KEY, Object.fromEntries([...kept, [endpoint, format]]));
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
