// One batch transform job, run as SageMaker Batch Transform runs it: the model's inference
// container on each instance (a ModelFleet, as an endpoint variant has), every input object split
// into records (SplitType), records batched into requests (BatchStrategy, MaxPayloadInMB) sent to
// POST /invocations, and the answers assembled (AssembleWith) into `<output prefix>/<key>.out`.
// InProgress (TransformStartTime) → Completed, Failed or Stopped.
import type { CreateTransformJobCommandInput, TransformJobStatus } from '@aws-sdk/client-sagemaker';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { HostSandbox } from '../hosts/hostSandbox';
import type { ImageRegistry } from '../hosts/images';
import type { RunContext, SupervisedRun } from './jobSupervisor';
import { type ModelDefinition, ModelFleet, modelFailureReason } from '../hosts/modelFleet';
import { describeExit, type ModelInstance } from '../hosts/modelInstance';
import { joinKey, listKeys, parseS3Uri, readManifest, type S3Location } from '../hosts/s3Transfer';

export const TRANSFORM_LOG_GROUP = '/aws/sagemaker/TransformJobs';

/** A transform job an emulator restart interrupted fails with this reason (its outputs may be partial). */
export const TRANSFORM_RESTARTED_REASON =
  'InternalServerError: The emulator restarted while the transform job ran; its outputs may be partial. Run the job again under a new name.';

export type TransformRequest = Omit<CreateTransformJobCommandInput, 'Tags'>;

/** The job record as the runtime sees it; implemented by the SageMaker service over its store. */
export interface TransformJobDriver {
  readonly request: TransformRequest;
  readonly arn: string;
  /** The model as it was when the job was created. */
  readonly model: ModelDefinition | undefined;
  readonly status: TransformJobStatus;
  /** Whether the job had begun to run (it has a TransformStartTime) when the driver was made. */
  readonly started: boolean;
  /** `InProgress` says the job began to run; a job no longer InProgress stays as it is. */
  advance(status: TransformJobStatus, details?: { failureReason?: string }): Promise<void>;
}

export interface TransformTiming {
  stopGraceMs: number;
  logFlushMs: number;
  healthCheckTimeoutMs: number;
}

export interface TransformRunDeps extends RunContext {
  images: ImageRegistry;
  /** How instances are launched: in their own mount namespace, or as plain processes. */
  sandbox: HostSandbox;
  workDir: string;
  timing: TransformTiming;
  freePort(): Promise<number>;
  log(line: string): void;
}

/** SageMaker's defaults: 6 MB payloads, one request at a time per instance, 600 s per invocation, 3 retries. */
const DEFAULT_MAX_PAYLOAD_MB = 6;
const DEFAULT_INVOCATION_TIMEOUT_SECONDS = 600;
const DEFAULT_INVOCATION_RETRIES = 3;

class Ended extends Error {}

export class TransformRun implements SupervisedRun {
  /** Why the run ends early (stop, shutdown, a failing instance); the first one wins. */
  private ending: { kind: 'stopped' | 'abandoned' } | { kind: 'failed'; reason: string } | undefined;
  private fleet: ModelFleet | undefined;
  private readonly controller = new AbortController();

  constructor(
    private readonly deps: TransformRunDeps,
    private readonly job: TransformJobDriver,
  ) {}

  private get name(): string {
    return this.job.request.TransformJobName ?? '';
  }

  stop(): void {
    this.end({ kind: 'stopped' });
  }

  abandon(): void {
    this.end({ kind: 'abandoned' });
  }

  private end(ending: NonNullable<TransformRun['ending']>): void {
    if (this.ending) return;
    this.ending = ending;
    this.controller.abort();
    // Instances still starting are stopped too: nothing waits for a health check that cannot matter.
    void this.fleet?.stopAll(ending.kind === 'stopped' ? this.deps.timing.stopGraceMs : 0);
  }

  async run(): Promise<void> {
    const dir = path.join(this.deps.workDir, `${this.name}-${Date.now().toString(36)}`);
    let failure: string | undefined;
    try {
      await this.job.advance('InProgress');
      await this.transform(dir);
    } catch (error) {
      if (!(error instanceof Ended) && !this.ending) failure = this.reasonOf(error);
    } finally {
      await this.fleet?.stopAll(this.ending?.kind === 'stopped' ? this.deps.timing.stopGraceMs : 0);
      await rm(dir, { recursive: true, force: true });
    }
    const ending = this.ending;
    if (ending?.kind === 'abandoned') return; // the next start decides
    if (ending?.kind === 'stopped') await this.job.advance('Stopped');
    else if (ending?.kind === 'failed' || failure !== undefined) await this.job.advance('Failed', { failureReason: ending?.kind === 'failed' ? ending.reason : failure });
    else await this.job.advance('Completed');
  }

  private async transform(dir: string): Promise<void> {
    const { request } = this.job;
    if (!this.job.model) throw new Error(`ClientError: the model ${request.ModelName} no longer exists`);
    unsupported(request);
    const streamTime = Math.floor(Date.now() / 1000);
    const fleet = new ModelFleet({
      model: this.job.model,
      environment: request.Environment,
      dir,
      s3: this.deps.s3,
      logs: this.deps.logs,
      access: this.deps.access,
      images: this.deps.images,
      sandbox: this.deps.sandbox,
      logGroup: TRANSFORM_LOG_GROUP,
      logStreamOf: (instanceId) => `${this.name}/${instanceId}-${streamTime}`,
      healthCheckTimeoutMs: this.deps.timing.healthCheckTimeoutMs,
      logFlushMs: this.deps.timing.logFlushMs,
      freePort: this.deps.freePort,
      hostStarted: (pid) => void this.deps.hostStarted(pid),
      hostEnded: () => undefined,
      onUnexpectedExit: (logStream, exit) => this.end({ kind: 'failed', reason: `AlgorithmError: the container of ${logStream} exited (${describeExit(exit)}). See the job logs for more information.` }),
      log: this.deps.log,
    });
    this.fleet = fleet;
    await fleet.prepare();
    this.check();
    await fleet.scaleTo(request.TransformResources?.InstanceCount ?? 1, 0);
    this.check();

    const inputs = await this.inputObjects();
    const instances = fleet.all();
    const perInstance = Math.max(1, request.MaxConcurrentTransforms ?? 1);
    // As SageMaker distributes objects: each instance takes every N-th object, each object in turn.
    await Promise.all(
      instances.flatMap((instance, rank) =>
        Array.from({ length: perInstance }, async (_, lane) => {
          const worker = rank * perInstance + lane;
          for (let index = worker; index < inputs.length; index += instances.length * perInstance) {
            this.check();
            await this.transformObject(inputs[index], instance.instance);
          }
        }),
      ),
    );
    this.check();
  }

  private check(): void {
    if (this.ending) throw new Ended();
  }

  /** The input objects with the output key of each. */
  private async inputObjects(): Promise<{ source: S3Location; output: S3Location }[]> {
    const { DataSource } = this.job.request.TransformInput ?? {};
    const source = DataSource?.S3DataSource;
    if (!source?.S3Uri) throw new Error('ClientError: TransformInput.DataSource.S3DataSource.S3Uri is required');
    const outputRoot = parseS3Uri(this.job.request.TransformOutput?.S3OutputPath ?? '');
    const location = parseS3Uri(source.S3Uri);
    let keys: { bucket: string; key: string; relative: string }[];
    if (source.S3DataType === 'ManifestFile') {
      keys = await this.manifestKeys(location);
    } else if (source.S3DataType === 'S3Prefix') {
      // Output keys keep the input key after the prefix's last `/`: s3://b/in/x.csv under s3://b/in → in/x.csv.out.
      const base = location.key.slice(0, location.key.lastIndexOf('/') + 1);
      keys = [];
      for await (const { key } of listKeys(this.deps.s3, location)) {
        if (!key.endsWith('/')) keys.push({ bucket: location.bucket, key, relative: key.slice(base.length) });
      }
    } else {
      throw new Error(`ClientError: S3DataType ${source.S3DataType} is not supported by the emulator (use S3Prefix or ManifestFile)`);
    }
    if (keys.length === 0) throw new Error(`ClientError: No S3 objects found under S3 URL "${source.S3Uri}" given in input data source. Please ensure that the bucket exists in the selected region, that objects exist under that S3 prefix, and that the role has permission to read them.`);
    return keys.map(({ bucket, key, relative }) => ({ source: { bucket, key }, output: { bucket: outputRoot.bucket, key: joinKey(outputRoot.key, `${relative}.out`) } }));
  }

  private async manifestKeys(manifest: S3Location): Promise<{ bucket: string; key: string; relative: string }[]> {
    const { base, relatives } = await readManifest(this.deps.s3, manifest);
    return relatives.map((relative) => ({ bucket: base.bucket, key: joinKey(base.key, relative), relative }));
  }

  /** Splits one object into requests, sends them in order, and writes the assembled answers. */
  private async transformObject(object: { source: S3Location; output: S3Location }, instance: ModelInstance): Promise<void> {
    const { request } = this.job;
    // 0 asks for no limit (SageMaker streams such payloads with chunked encoding).
    const maxPayload = request.MaxPayloadInMB === 0 ? Number.POSITIVE_INFINITY : (request.MaxPayloadInMB ?? DEFAULT_MAX_PAYLOAD_MB) * 1024 * 1024;
    const response = await this.deps.s3.send(new GetObjectCommand({ Bucket: object.source.bucket, Key: object.source.key }));
    let body = response.Body as Readable;
    if (request.TransformInput?.CompressionType === 'Gzip') body = body.pipe(createGunzip());
    const answers: Buffer[] = [];
    const line = request.TransformOutput?.AssembleWith === 'Line';
    for await (const payload of batches(body, request, maxPayload, object.source)) {
      this.check();
      const answer = await this.invoke(instance, payload);
      answers.push(answer);
      if (line && !answer.subarray(-1).equals(NEWLINE)) answers.push(NEWLINE);
    }
    const output = Buffer.concat(answers);
    await this.deps.s3.send(new PutObjectCommand({ Bucket: object.output.bucket, Key: object.output.key, Body: output, ContentType: request.TransformOutput?.Accept }));
  }

  private async invoke(instance: ModelInstance, payload: Buffer): Promise<Buffer> {
    const { request } = this.job;
    const timeoutMs = (request.ModelClientConfig?.InvocationsTimeoutInSeconds ?? DEFAULT_INVOCATION_TIMEOUT_SECONDS) * 1000;
    const retries = request.ModelClientConfig?.InvocationsMaxRetries ?? DEFAULT_INVOCATION_RETRIES;
    let last = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(timeoutMs)]);
      try {
        const response = await instance.invoke({ body: payload, contentType: request.TransformInput?.ContentType, accept: request.TransformOutput?.Accept, signal });
        const chunks: Buffer[] = [];
        for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
        const body = Buffer.concat(chunks);
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) return body;
        last = `the container answered ${status}: ${body.toString('utf8').slice(0, 512)}`;
        // A client error is the payload's fault: retrying cannot help.
        if (status < 500) break;
      } catch (error) {
        this.check();
        last = signal.aborted ? `the invocation timed out after ${timeoutMs / 1000} s (ModelClientConfig.InvocationsTimeoutInSeconds)` : (error as Error).message;
      }
    }
    throw new Error(`ClientError: See job logs for more information. The last invocation failed: ${last}`);
  }

  private reasonOf(error: unknown): string {
    const reason = modelFailureReason(error);
    return /^(ClientError|AlgorithmError|InternalServerError):/.test(reason) ? reason : `ClientError: ${reason}`;
  }
}

/** What the emulator does not do, refused up front with a reason rather than done wrong. */
function unsupported(request: TransformRequest): void {
  const split = request.TransformInput?.SplitType ?? 'None';
  if (split !== 'None' && split !== 'Line') throw new Error(`ClientError: SplitType ${split} is not supported by the emulator (use None or Line)`);
  const processing = request.DataProcessing;
  for (const [name, value] of [['InputFilter', processing?.InputFilter], ['OutputFilter', processing?.OutputFilter]] as const) {
    if (value !== undefined && value !== '$') throw new Error(`ClientError: DataProcessing.${name} JSONPath expressions are not supported by the emulator`);
  }
  if (processing?.JoinSource && processing.JoinSource !== 'None') throw new Error('ClientError: DataProcessing.JoinSource is not supported by the emulator');
}

/**
 * The request payloads of one object. SplitType None: the object whole. Line: each line a record;
 * SingleRecord sends one per request, MultiRecord as many as fit in MaxPayloadInMB, newline-joined.
 */
async function* batches(body: Readable, request: TransformRequest, maxPayload: number, source: S3Location): AsyncGenerator<Buffer> {
  const tooLarge = () =>
    new Error(`ClientError: Too much data for max payload size: a record of s3://${source.bucket}/${source.key} is larger than MaxPayloadInMB (${maxPayload / 1024 / 1024} MB)`);
  if ((request.TransformInput?.SplitType ?? 'None') === 'None') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxPayload) throw tooLarge();
      chunks.push(chunk);
    }
    yield Buffer.concat(chunks);
    return;
  }
  const multi = request.BatchStrategy === 'MultiRecord';
  let batch: Buffer[] = [];
  let size = 0;
  for await (const line of createInterface({ input: body, crlfDelay: Infinity })) {
    if (line === '') continue;
    const record = Buffer.from(line);
    if (record.length > maxPayload) throw tooLarge();
    if (!multi) {
      yield record;
      continue;
    }
    if (batch.length > 0 && size + 1 + record.length > maxPayload) {
      yield joinLines(batch);
      batch = [];
      size = 0;
    }
    size += (batch.length > 0 ? 1 : 0) + record.length;
    batch.push(record);
  }
  if (batch.length > 0) yield joinLines(batch);
}

const NEWLINE = Buffer.from('\n');

function joinLines(records: Buffer[]): Buffer {
  return Buffer.concat(records.flatMap((record, index) => (index === 0 ? [record] : [NEWLINE, record])));
}
