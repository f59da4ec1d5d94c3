// One inference container instance as a local process: started with the SageMaker hosting contract
// (it listens on SAGEMAKER_BIND_TO_PORT, serves GET /ping and POST /invocations, finds the model in
// SM_MODEL_DIR — the emulator's /opt/ml/model), healthy once /ping answers 200, as SageMaker's
// health check decides. Endpoints run one per instance; transform jobs one per instance too.
import * as http from 'node:http';
import { hostEnvironment } from './hostEnvironment';
import { HostProcess, type HostExit } from './hostProcess';
import type { ContainerLaunch } from './images';
import type { EmulatorAccess } from './runtimeClients';

export interface ModelInstanceOptions {
  launch: ContainerLaunch;
  /** The model's own environment (CreateModel's Environment). */
  environment: Record<string, string>;
  /** The account and region of the endpoint or job at the emulator, for the container's AWS calls. */
  access: EmulatorAccess;
  modelDir: string;
  port: number;
  /** SageMaker's ContainerStartupHealthCheckTimeoutInSeconds. */
  healthCheckTimeoutMs: number;
  onLine: (line: string) => void;
}

export interface InvocationRequest {
  body: Buffer;
  contentType?: string;
  accept?: string;
  customAttributes?: string;
  /** Abort the container request (the client went away). */
  signal?: AbortSignal;
}

const PING_INTERVAL_MS = 100;
/** How long one /ping may take; SageMaker's own health check allows 2 s. */
const PING_TIMEOUT_MS = 2000;

export class ModelInstance {
  private readonly host: HostProcess;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  readonly url: string;
  /** Set when it was killed from outside (an instance lost, not a container that crashed on a request). */
  lost = false;
  /** Resolves once /ping answers 200; rejects with a reason if the container exits or never gets healthy. */
  readonly ready: Promise<void>;

  constructor(private readonly options: ModelInstanceOptions) {
    this.url = `http://127.0.0.1:${options.port}`;
    const contract = { SAGEMAKER_BIND_TO_PORT: String(options.port), SM_MODEL_DIR: options.modelDir };
    this.host = new HostProcess(
      options.launch,
      hostEnvironment({ access: options.access, image: options.launch.env, job: options.environment, contract }),
      options.onLine,
    );
    this.ready = this.waitHealthy();
  }

  get pid(): number | undefined {
    return this.host.pid;
  }

  get exited(): Promise<HostExit> {
    return this.host.exited;
  }

  /** Whether the container exits within `ms` (or has already): a failed connection to it meant it died. */
  exitedWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      this.host.exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]).finally(() => clearTimeout(timer));
  }

  /** The instance dies at once, as a failed instance does (the instance-failure fault). */
  kill(): void {
    this.lost = true;
    this.host.kill();
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<HostExit> {
    const exit = await this.host.stop(graceMs);
    this.agent.destroy();
    return exit;
  }

  /** POST /invocations; resolves with the container's response as it starts (its body still streaming). */
  invoke(request: InvocationRequest): Promise<http.IncomingMessage> {
    const headers: http.OutgoingHttpHeaders = { 'Content-Length': request.body.length };
    if (request.contentType) headers['Content-Type'] = request.contentType;
    if (request.accept) headers.Accept = request.accept;
    if (request.customAttributes) headers['X-Amzn-SageMaker-Custom-Attributes'] = request.customAttributes;
    return new Promise((resolve, reject) => {
      const outgoing = http.request(`${this.url}/invocations`, { method: 'POST', headers, agent: this.agent, signal: request.signal }, resolve);
      outgoing.once('error', reject);
      outgoing.end(request.body);
    });
  }

  private async waitHealthy(): Promise<void> {
    const deadline = Date.now() + this.options.healthCheckTimeoutMs;
    let exit: HostExit | undefined;
    void this.host.exited.then((value) => (exit = value));
    while (Date.now() < deadline) {
      if (exit) throw new Error(`the container exited (${describeExit(exit)}) before it passed the /ping health check`);
      if (await this.ping()) return;
      await new Promise((resolve) => setTimeout(resolve, PING_INTERVAL_MS));
    }
    throw new Error(
      `the container did not pass the /ping health check within ${Math.round(this.options.healthCheckTimeoutMs / 1000)} seconds (ContainerStartupHealthCheckTimeoutInSeconds)`,
    );
  }

  private ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const request = http.get(`${this.url}/ping`, { agent: this.agent, timeout: PING_TIMEOUT_MS }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.once('timeout', () => request.destroy());
      request.once('error', () => resolve(false));
    });
  }
}

export function describeExit(exit: HostExit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
