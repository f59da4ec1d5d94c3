// The instances serving one model: its data (and code) downloaded once into a folder they share,
// each instance an inference container process (modelInstance.ts) with its own CloudWatch log
// stream. An endpoint variant is a fleet; so are a transform job's instances.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ContainerDefinition, CreateModelCommandInput } from '@aws-sdk/client-sagemaker';
import { randomBytes } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { HostExit } from './hostProcess';
import { containerPath, type HostSandbox } from './hostSandbox';
import { servingLaunch, type ImageRegistry } from './images';
import { ensureLogStream, LogShipper } from './logShipper';
import { ModelInstance } from './modelInstance';
import { type EmulatorAccess, presignedGetObjectUrl } from './runtimeClients';
import { downloadObject, downloadPrefix, downloadTarGz, parseS3Uri } from './s3Transfer';

/** A CreateModel request, as the model is deployed. */
export type ModelDefinition = Omit<CreateModelCommandInput, 'Tags'>;

export interface ModelFleetOptions {
  model: ModelDefinition;
  /** Environment added to the model's own (a transform job's Environment). */
  environment?: Record<string, string>;
  /** The fleet's folder: the model and code are downloaded here. */
  dir: string;
  s3: S3Client;
  logs: CloudWatchLogsClient;
  /** The same account and region, for the containers' own AWS calls. */
  access: EmulatorAccess;
  images: ImageRegistry;
  /** How instances are launched: in a mount namespace where the fleet's folder is /opt/ml (model/, code/), or as plain processes. */
  sandbox: HostSandbox;
  logGroup: string;
  /** The log stream of an instance, from its id (`i-` and 17 hex digits, as EC2 names instances). */
  logStreamOf(instanceId: string): string;
  healthCheckTimeoutMs: number;
  logFlushMs: number;
  freePort(): Promise<number>;
  /** Each instance's process group, as it starts and ends, so a restart can end those a crash left behind. */
  hostStarted(pid: number): void;
  hostEnded(pid: number): void;
  /** An instance exited without being asked to; it has left the fleet. */
  onUnexpectedExit(logStream: string, exit: HostExit): void;
  log(line: string): void;
}

export interface ServingInstance {
  instance: ModelInstance;
  logStream: string;
}

interface FleetMember extends ServingInstance {
  shipper: LogShipper;
  /** Set when the fleet stops it, so its exit is not taken for a crash. */
  stopping: boolean;
}

export class ModelFleet {
  private readonly members: FleetMember[] = [];
  /** Instances started but not yet healthy. */
  private readonly starting = new Set<FleetMember>();
  private cursor = 0;
  private servingWaiters: ((logStream: string | undefined) => void)[] = [];
  private modelDir = '';
  private codeDir: string | undefined;
  /** The model.tar.gz an image that loads archives itself streams from S3 (then nothing is extracted). */
  private archive: { bucket: string; key: string } | undefined;
  private readonly container: ContainerDefinition;

  constructor(private readonly options: ModelFleetOptions) {
    this.container = primaryContainer(options.model);
  }

  get size(): number {
    return this.members.length;
  }

  /** The serving instances, round-robin, but those in `avoid` (instances an invocation found dead); undefined if none is left. */
  next(avoid?: ReadonlySet<ModelInstance>): ServingInstance | undefined {
    for (let tries = 0; tries < this.members.length; tries++) {
      this.cursor = (this.cursor + 1) % this.members.length;
      const member = this.members[this.cursor];
      if (!avoid?.has(member.instance)) return member;
    }
    return undefined;
  }

  /** Whether an instance not in `avoid` serves. */
  serves(avoid?: ReadonlySet<ModelInstance>): boolean {
    return this.members.some((member) => !avoid?.has(member.instance));
  }

  /**
   * The instance-failure fault: the Nth serving instance (from 1) or the one with that id (`i-…`)
   * dies at once, and leaves the fleet as a crashed one does. Its log stream, or undefined if there
   * is no such instance.
   */
  kill(instance: number | string = 1): string | undefined {
    const member =
      typeof instance === 'number' ? this.members[instance - 1] : this.members.find((candidate) => candidate.logStream.endsWith(`/${instance}`));
    member?.instance.kill();
    return member?.logStream;
  }

  /** The log stream of the next instance to start serving (a replacement, a scale-out); undefined if the fleet stops first. */
  nextServing(): Promise<string | undefined> {
    return new Promise((resolve) => this.servingWaiters.push(resolve));
  }

  all(): ServingInstance[] {
    return [...this.members];
  }

  /** Downloads the model data, and code given as SAGEMAKER_SUBMIT_DIRECTORY, once for every instance. */
  async prepare(): Promise<void> {
    const image = this.options.images.resolve(this.container.Image ?? ''); // an unmapped image fails before any download
    this.modelDir = path.join(this.options.dir, 'model');
    await mkdir(this.modelDir, { recursive: true });
    this.archive = image.loadsModelArchive ? modelArchiveOf(this.container) : undefined;
    if (this.archive) {
      // Fail now, as a download would, if the archive is not there.
      await this.options.s3.send(new HeadObjectCommand({ Bucket: this.archive.bucket, Key: this.archive.key })).catch((error: Error) => {
        throw Object.assign(new Error(`s3://${this.archive!.bucket}/${this.archive!.key}: ${error.name === 'NotFound' ? 'The specified key does not exist.' : error.message}`), {
          name: error.name === 'NotFound' ? 'NoSuchKey' : error.name,
        });
      });
    } else {
      await downloadModelData(this.options.s3, this.container, this.modelDir);
    }
    const submitted = this.environment().SAGEMAKER_SUBMIT_DIRECTORY;
    if (submitted?.startsWith('s3://')) {
      this.codeDir = path.join(this.options.dir, 'code');
      await downloadTarGz(this.options.s3, parseS3Uri(submitted), this.codeDir);
    } else {
      const packaged = path.join(this.modelDir, 'code');
      this.codeDir = await access(packaged).then(
        () => packaged,
        () => undefined,
      );
    }
  }

  /** Starts instances (resolving once all pass /ping) or stops some, to have `count`. */
  async scaleTo(count: number, graceMs: number): Promise<void> {
    const extra = this.members.splice(count);
    const starting: Promise<void>[] = [];
    for (let index = this.members.length; index < count; index++) starting.push(this.startInstance());
    const stopping = extra.map(async (member) => {
      member.stopping = true;
      await member.instance.stop(graceMs);
    });
    const results = await Promise.allSettled([...stopping, ...starting]);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Stops every instance, those still starting too (whatever awaits them then fails). */
  async stopAll(graceMs: number): Promise<void> {
    for (const waiter of this.servingWaiters.splice(0)) waiter(undefined);
    const all = [...this.members.splice(0), ...this.starting];
    await Promise.all(
      all.map(async (member) => {
        member.stopping = true;
        await member.instance.stop(graceMs);
      }),
    );
  }

  private environment(): Record<string, string> {
    return { ...this.container.Environment, ...this.options.environment };
  }

  private async startInstance(): Promise<void> {
    const { options } = this;
    const image = options.images.resolve(this.container.Image ?? '');
    const environment = this.environment();
    const logStream = options.logStreamOf(`i-${randomBytes(9).toString('hex').slice(0, 17)}`);
    await ensureLogStream(options.logs, options.logGroup, logStream);
    const shipper = new LogShipper(options.logs, options.logGroup, logStream, (error) => options.log(`log shipping: ${error.message}`));
    shipper.start(options.logFlushMs);
    const archiveUrl = this.archive && (await presignedGetObjectUrl(options.s3, this.archive));
    // In its namespace the instance finds the model at /opt/ml/model, the code at /opt/ml/code.
    const sandbox = (await options.sandbox.ready()).spec(options.dir);
    const seen = (hostPath: string) => (sandbox ? containerPath(options.dir, hostPath) : hostPath);
    const launch = servingLaunch(image, environment, this.codeDir && seen(this.codeDir));
    const instance = new ModelInstance({
      launch: { ...launch, sandbox },
      environment: archiveUrl ? { ...environment, SM_EMULATOR_MODEL_ARCHIVE: archiveUrl } : environment,
      access: options.access,
      modelDir: seen(this.modelDir),
      port: await options.freePort(),
      healthCheckTimeoutMs: options.healthCheckTimeoutMs,
      onLine: (line) => shipper.append(line),
    });
    const member: FleetMember = { instance, logStream, shipper, stopping: false };
    const pid = instance.pid;
    if (pid !== undefined) options.hostStarted(pid);
    void instance.exited.then(async (exit) => {
      if (pid !== undefined) options.hostEnded(pid);
      // Out of the rotation at once; its last lines are shipped after.
      const index = this.members.indexOf(member);
      const crashed = !member.stopping && index >= 0;
      if (crashed) this.members.splice(index, 1);
      await shipper.close();
      if (crashed) options.onUnexpectedExit(logStream, exit);
    });
    this.starting.add(member);
    try {
      await instance.ready;
    } catch (error) {
      member.stopping = true;
      await instance.stop(0);
      throw error;
    } finally {
      this.starting.delete(member);
    }
    if (member.stopping) throw new Error('the instance was stopped while it started');
    this.members.push(member);
    for (const waiter of this.servingWaiters.splice(0)) waiter(logStream);
  }
}

export function primaryContainer(model: ModelDefinition): ContainerDefinition {
  if (model.PrimaryContainer) return model.PrimaryContainer;
  const containers = model.Containers ?? [];
  if (containers.length === 1) return containers[0];
  throw new Error(`the model ${model.ModelName} has ${containers.length} containers; the emulator serves single-container models only`);
}

/** The one model.tar.gz of a container's model data, if that is what it is. */
function modelArchiveOf(container: ContainerDefinition): { bucket: string; key: string } | undefined {
  const source = container.ModelDataSource?.S3DataSource;
  if (source?.S3Uri) return source.CompressionType === 'Gzip' && source.S3DataType === 'S3Object' ? parseS3Uri(source.S3Uri) : undefined;
  return container.ModelDataUrl ? parseS3Uri(container.ModelDataUrl) : undefined;
}

/** ModelDataUrl (a model.tar.gz) or ModelDataSource (an S3 object or prefix, compressed or not) into `dir`. */
async function downloadModelData(s3: S3Client, container: ContainerDefinition, dir: string): Promise<void> {
  const source = container.ModelDataSource?.S3DataSource;
  if (source?.S3Uri) {
    const location = parseS3Uri(source.S3Uri);
    if (source.CompressionType === 'Gzip') await downloadTarGz(s3, location, dir);
    else if (source.S3DataType === 'S3Object') await downloadObject(s3, location, path.join(dir, path.posix.basename(location.key)));
    else await downloadPrefix(s3, location, dir);
    return;
  }
  if (container.ModelDataUrl) await downloadTarGz(s3, parseS3Uri(container.ModelDataUrl), dir);
}

/** SageMaker's FailureReason for what went wrong starting a model's instances. */
export function modelFailureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  // S3 errors name the object the model data was to come from.
  if (name === 'NoSuchKey' || name === 'NoSuchBucket' || name === 'AccessDenied') return `Failed to download model data: ${message}`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}
