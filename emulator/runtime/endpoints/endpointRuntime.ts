// Runs SageMaker endpoints: each production variant's instances are inference container processes
// (modelInstance.ts) serving the variant's model. The runtime brings what runs in line with the
// endpoint record, one endpoint at a time:
//   Creating  → start every variant's instances; InService once all pass /ping, else Failed
//   Updating  → a new configuration deploys blue/green beside the old (which keeps serving) and
//               replaces it once healthy, or is rolled back; new instance counts scale in place
//   InService → after an emulator restart, start what the record says serves
//   Deleting  → stop the instances, then the record is removed
// Invocations are routed by variant weight (or TargetVariant), then round-robin over instances.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { S3Client } from '@aws-sdk/client-s3';
import type { EndpointStatus, ProductionVariant } from '@aws-sdk/client-sagemaker';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { HostSandbox } from '../hosts/hostSandbox';
import type { ImageRegistry } from '../hosts/images';
import { type ModelDefinition, ModelFleet, modelFailureReason } from '../hosts/modelFleet';
import { describeExit, type ModelInstance } from '../hosts/modelInstance';
import type { ProcessGroupRecords } from '../hosts/processGroups';
import type { EmulatorAccess } from '../hosts/runtimeClients';

export interface VariantProgress {
  name: string;
  desiredWeight: number;
  /** Absent for serverless variants. */
  desiredInstanceCount?: number;
  /** What serves now: set by the runtime when the endpoint goes InService. */
  currentWeight?: number;
  currentInstanceCount?: number;
}

/** An update to another endpoint configuration, while it is being deployed. */
export interface PendingDeployment {
  configName: string;
  variants: VariantProgress[];
  /** Epoch milliseconds. */
  startedAt: number;
}

/** The part of an endpoint record the state machine owns (services/sagemaker/hosting/state.ts moves it). */
export interface EndpointProgress {
  status: EndpointStatus;
  /** The configuration the endpoint serves, or is being created with. */
  configName: string;
  variants: VariantProgress[];
  pendingDeployment?: PendingDeployment;
  /** Epoch milliseconds. */
  lastModifiedAt: number;
  failureReason?: string;
}

/** What a variant serves: its configuration and the model it names, as they were when deployed. */
export interface VariantSpec {
  variant: ProductionVariant;
  model: ModelDefinition;
}

/** The endpoint record as the runtime sees it; implemented by the SageMaker service over its store. */
export interface EndpointDriver {
  readonly arn: string;
  readonly name: string;
  /** The state machine's part of the record now; undefined once the endpoint is gone. */
  current(): EndpointProgress | undefined;
  /** The variants of a configuration the endpoint was created or updated with. */
  specs(configName: string): VariantSpec[] | undefined;
  inService(): Promise<void>;
  failed(reason: string): Promise<void>;
  /** Deleting is done: the record goes. */
  remove(): Promise<void>;
}

export interface EndpointRepository {
  driver(arn: string): EndpointDriver | undefined;
  /** ARNs of endpoints with something to run or finish (not Failed). */
  liveEndpoints(): string[];
}

export interface EndpointRuntimeOptions {
  /** False: nothing runs (endpoints stay as the API leaves them). */
  enabled: boolean;
  workDir: string;
  images: ImageRegistry;
  /** How instances are launched: in their own mount namespace, or as plain processes. */
  sandbox: HostSandbox;
  endpoints: EndpointRepository;
  /** Clients acting as the endpoint's account and region, for model data and logs, and that access for its containers. */
  clients(arn: string): { s3: S3Client; logs: CloudWatchLogsClient; access: EmulatorAccess };
  freePort(): Promise<number>;
  processGroups: ProcessGroupRecords;
  timing: EndpointTiming;
  log(line: string): void;
}

export interface EndpointTiming {
  /** Default ContainerStartupHealthCheckTimeoutInSeconds (SageMaker: 600 s). */
  healthCheckTimeoutMs: number;
  /** Between SIGTERM and SIGKILL when instances stop. */
  stopGraceMs: number;
  logFlushMs: number;
  /** Before a crashed instance is replaced. */
  replaceDelayMs: number;
}

export const DEFAULT_ENDPOINT_TIMING: EndpointTiming = { healthCheckTimeoutMs: 600_000, stopGraceMs: 5000, logFlushMs: 200, replaceDelayMs: 1000 };

/** Where an invocation goes. */
export interface Route {
  variantName: string;
  instance: ModelInstance;
  /** The CloudWatch log stream of that instance, for ModelError's LogStreamArn. */
  logStream: string;
}

export class EndpointUnavailable extends Error {}

/** An instance the instance-failure fault killed. */
export interface KilledInstance {
  variantName: string;
  /** `<variant>/i-…`, the killed instance's log stream. */
  logStream: string;
  /** The log stream of the instance that next serves in the variant, once it does; undefined if the variant stops first. */
  replaced: Promise<string | undefined>;
}

export const ENDPOINT_LOG_GROUP_PREFIX = '/aws/sagemaker/Endpoints/';

export class EndpointRuntime {
  /** What runs per endpoint ARN: the deployment that serves. */
  private readonly deployments = new Map<string, Deployment>();
  /** Deployments still starting: shutdown stops them rather than waiting for their health checks. */
  private readonly starting = new Set<Deployment>();
  /** Per endpoint, the convergence in progress: changes to one endpoint apply in order. */
  private readonly work = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly options: EndpointRuntimeOptions) {}

  /** Once the emulator listens: ends hosts a crash left behind, then runs what the records say. */
  async start(): Promise<void> {
    if (!this.options.enabled) return;
    await this.options.processGroups.killLeftovers();
    for (const arn of this.options.endpoints.liveEndpoints()) this.changed(arn);
  }

  /** After any durable change to an endpoint (create, update, delete). */
  changed(arn: string): void {
    if (this.closed || !this.options.enabled) return;
    const previous = this.work.get(arn) ?? Promise.resolve();
    const next = previous
      .then(() => this.converge(arn))
      .catch((error: Error) => this.options.log(`endpoint ${arn}: ${error.stack ?? error.message}`))
      .finally(() => {
        if (this.work.get(arn) === next) this.work.delete(arn);
      });
    this.work.set(arn, next);
  }

  /**
   * Picks the instance for an invocation among the endpoint's variants (as its record, which the
   * caller has just read, says they serve), but those in `avoid` (found dead by this invocation),
   * or says why none can.
   */
  route(arn: string, variants: EndpointProgress['variants'], targetVariant: string | undefined, avoid?: ReadonlySet<ModelInstance>): Route {
    const deployment = this.deployments.get(arn);
    if (!deployment) throw new EndpointUnavailable('no instance of the endpoint is running yet');
    const serving = variants.filter((variant) => deployment.fleets.get(variant.name)?.serves(avoid));
    let chosen = targetVariant === undefined ? undefined : serving.find((variant) => variant.name === targetVariant);
    if (targetVariant !== undefined && !chosen) throw new EndpointUnavailable(`variant ${targetVariant} has no instance serving`);
    if (!chosen) {
      const total = serving.reduce((sum, variant) => sum + (variant.currentWeight ?? variant.desiredWeight), 0);
      let ticket = Math.random() * total;
      chosen = serving.find((variant) => (ticket -= variant.currentWeight ?? variant.desiredWeight) < 0) ?? serving[0];
    }
    if (!chosen) throw new EndpointUnavailable('no instance of the endpoint is serving');
    const { instance, logStream } = deployment.fleets.get(chosen.name)!.next(avoid)!;
    return { variantName: chosen.name, instance, logStream };
  }

  /**
   * The instance-failure fault: an instance of a variant (default the first variant; the Nth serving
   * instance from 1, or the one with that id; default the first) dies at once. It is replaced as a
   * crashed instance is; `replaced` resolves with the log stream of the instance that next serves
   * in that variant. A string says why no instance could be killed.
   */
  killInstance(arn: string, variantName?: string, instance?: number | string): KilledInstance | string {
    const deployment = this.deployments.get(arn);
    if (!deployment) return 'no instance of the endpoint is running';
    const name = variantName ?? [...deployment.fleets.keys()][0];
    const fleet = deployment.fleets.get(name);
    if (!fleet) return `the endpoint has no running variant ${name} (it runs ${[...deployment.fleets.keys()].join(', ')})`;
    const logStream = fleet.kill(instance);
    if (!logStream) return `variant ${name} has no serving instance ${instance ?? 1} (it has ${fleet.size})`;
    // Asked in the same turn as the kill: the replacement starts only once its exit is seen.
    return { variantName: name, logStream, replaced: fleet.nextServing() };
  }

  /** Emulator shutdown: instances stop, endpoints keep their status and start again on restart. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.starting].map((deployment) => deployment.stop(0)));
    await Promise.all(this.work.values());
    await Promise.all([...this.deployments.values()].map((deployment) => deployment.stop(0)));
    this.deployments.clear();
  }

  private async converge(arn: string): Promise<void> {
    const driver = this.options.endpoints.driver(arn);
    const record = driver?.current();
    const serving = this.deployments.get(arn);
    if (!driver || !record || record.status === 'Failed') {
      await this.retire(arn);
      return;
    }
    switch (record.status) {
      case 'Creating':
      case 'Updating': {
        const target = record.pendingDeployment ?? record;
        try {
          if (serving && serving.configName === target.configName) {
            await serving.scale(target.variants);
          } else {
            // Blue/green: the new fleet starts beside what serves, and replaces it once healthy.
            const fresh = await this.deploy(driver, target.configName, target.variants);
            this.deployments.set(arn, fresh);
            if (serving) await serving.stop(this.options.timing.stopGraceMs);
          }
          await driver.inService();
        } catch (error) {
          if (this.closed) return; // shutdown stopped the deployment: the endpoint keeps its status
          await driver.failed(modelFailureReason(error));
          if (record.status === 'Creating') await this.retire(arn);
          // A failed scaling is rolled back to what served before.
          else if (serving && this.deployments.get(arn) === serving) await serving.scale(currentCounts(driver.current()));
        }
        return;
      }
      case 'InService':
        if (serving) return;
        try {
          this.deployments.set(arn, await this.deploy(driver, record.configName, currentCounts(record)));
        } catch (error) {
          // The endpoint served before the emulator restarted; it stays InService (the log says why
          // nothing serves) and invocations answer ServiceUnavailable until it is updated or deleted.
          this.options.log(`endpoint ${driver.name} could not be restarted: ${modelFailureReason(error)}`);
        }
        return;
      case 'Deleting':
        await this.retire(arn);
        await driver.remove();
        return;
      default:
        return;
    }
  }

  private async retire(arn: string): Promise<void> {
    const deployment = this.deployments.get(arn);
    this.deployments.delete(arn);
    await deployment?.stop(this.options.timing.stopGraceMs);
  }

  /** Starts every variant of a configuration; all instances healthy, or everything started is stopped. */
  private async deploy(driver: EndpointDriver, configName: string, variants: EndpointProgress['variants']): Promise<Deployment> {
    const specs = driver.specs(configName);
    if (!specs) throw new Error(`the endpoint configuration ${configName} is no longer known`);
    const { options } = this;
    const dir = path.join(options.workDir, `${driver.name}-${randomBytes(4).toString('hex')}`);
    const deployment = new Deployment(configName, dir, options.timing.stopGraceMs);
    this.starting.add(deployment);
    const { s3, logs, access } = options.clients(driver.arn);
    try {
      await Promise.all(
        variants.map(async (variant) => {
          const spec = specs.find((candidate) => candidate.variant.VariantName === variant.name);
          if (!spec) throw new Error(`the variant ${variant.name} is not in the endpoint configuration ${configName}`);
          const timeoutSeconds = spec.variant.ContainerStartupHealthCheckTimeoutInSeconds;
          const fleet = new ModelFleet({
            model: spec.model,
            dir: path.join(dir, variant.name),
            s3,
            logs,
            access,
            images: options.images,
            sandbox: options.sandbox,
            logGroup: `${ENDPOINT_LOG_GROUP_PREFIX}${driver.name}`,
            logStreamOf: (instanceId) => `${variant.name}/${instanceId}`,
            healthCheckTimeoutMs: timeoutSeconds === undefined ? options.timing.healthCheckTimeoutMs : timeoutSeconds * 1000,
            logFlushMs: options.timing.logFlushMs,
            freePort: options.freePort,
            hostStarted: (pid) => void options.processGroups.remember(driver.arn, pid),
            hostEnded: (pid) => void options.processGroups.forget(driver.arn, pid),
            onUnexpectedExit: (logStream, exit) => this.replace(driver, deployment, variant.name, `instance ${logStream} exited (${describeExit(exit)})`),
            log: options.log,
          });
          deployment.fleets.set(variant.name, fleet);
          await fleet.prepare();
          await deployment.scaleVariant(variant.name, variant.desiredInstanceCount ?? 1);
        }),
      );
      return deployment;
    } catch (error) {
      await deployment.stop(0);
      throw error;
    } finally {
      this.starting.delete(deployment);
    }
  }

  /** A crashed instance is replaced, as SageMaker replaces an unhealthy one, while the deployment serves. */
  private replace(driver: EndpointDriver, deployment: Deployment, variant: string, what: string): void {
    this.options.log(`endpoint ${driver.name}: ${what}; replacing it`);
    setTimeout(() => {
      if (this.closed || this.deployments.get(driver.arn) !== deployment) return;
      deployment
        .scaleVariant(variant, deployment.targets.get(variant) ?? 1)
        .catch((error: Error) => this.options.log(`endpoint ${driver.name}: cannot replace the instance: ${error.message}`));
    }, this.options.timing.replaceDelayMs);
  }
}

/** The fleets of one endpoint configuration, by variant name. */
class Deployment {
  readonly fleets = new Map<string, ModelFleet>();
  /** The instance count each fleet is to have; a crashed instance is replaced to get back to it. */
  readonly targets = new Map<string, number>();

  constructor(
    readonly configName: string,
    private readonly dir: string,
    private readonly graceMs: number,
  ) {}

  async scaleVariant(name: string, count: number, graceMs = this.graceMs): Promise<void> {
    const fleet = this.fleets.get(name);
    if (!fleet) return;
    this.targets.set(name, count);
    await fleet.scaleTo(count, graceMs);
  }

  async scale(variants: EndpointProgress['variants']): Promise<void> {
    await Promise.all(variants.map((variant) => this.scaleVariant(variant.name, variant.desiredInstanceCount ?? 1)));
  }

  async stop(graceMs: number): Promise<void> {
    for (const name of this.fleets.keys()) this.targets.set(name, 0);
    await Promise.all([...this.fleets.values()].map((fleet) => fleet.stopAll(graceMs)));
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The variants with what serves now as their desired instance counts. */
function currentCounts(record: EndpointProgress | undefined): EndpointProgress['variants'] {
  return (record?.variants ?? []).map((variant) => ({ ...variant, desiredInstanceCount: variant.currentInstanceCount }));
}
