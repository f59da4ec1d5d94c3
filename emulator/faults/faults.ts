// The faults injected now and what each has done so far. They live in memory only: faults are test
// scaffolding, and a restarted emulator starts without any (nothing a client was told is lost by that:
// a fault is a condition, not state). Request faults act in one place, `beforeOperation`, which every
// protocol reaches through runHandler before the operation's handler runs; it decides synchronously,
// so "the next N requests" is exact however many arrive at once. Runtime faults act once, when added,
// through the training and endpoint runtimes.
import type { AwsError } from '../errors';
import type { ServiceName } from '../models';
import type { Runtimes } from '../operations';
import { DEFAULT_REGION } from '../routing';
import {
  type EndpointInstanceFailure,
  type FaultDefinition,
  isRequestFault,
  type RequestFault,
  type RuntimeFault,
  type SpotInterruption,
  type TrainingInstanceFailure,
} from './definitions';
import { CLUSTER_REPAIR_MESSAGE, INSTANCE_FAILURE_REASON, s3FaultError, throttlingError } from './faultErrors';

/** What a request fault has done so far. */
export interface RequestFaultDone {
  /** Requests it applied to (an error fault whose turn came after another one fired does not count them). */
  matched: number;
  /** Requests it failed (error faults) or delayed (latency). */
  injected: number;
  /** Of `count`: how many more it fails. */
  remaining?: number;
  /** Latency: the delays added, in milliseconds. */
  delayedMs?: { total: number; shortest: number; longest: number };
  lastInjectedAt?: string;
}

/** What a runtime fault did when it was added. */
export type RuntimeFaultDone =
  | { trainingJobArn: string; killed: string; outcome: 'the job fails' | 'the job restarts from its checkpoints' }
  | { trainingJobArn: string; interrupted: true }
  | {
      endpointArn: string;
      /** The killed instance's log stream, `<variant>/i-…`. */
      killed: string;
      /** Once an instance serves in its place: its log stream, and how long after the kill. */
      replacedBy?: string;
      replacementMs?: number;
    };

export type FaultView = FaultDefinition & { id: string; addedAt: string; done: RequestFaultDone | RuntimeFaultDone };

/** A fault that cannot act now (its job or endpoint is not running, or has no such host or instance). */
export class FaultNotApplicable extends Error {}

interface Entry {
  id: string;
  definition: FaultDefinition;
  addedAt: Date;
  done: RequestFaultDone | RuntimeFaultDone;
}

interface RequestEntry extends Entry {
  definition: RequestFault;
  done: RequestFaultDone;
}

export interface FaultsOptions {
  runtimes: Runtimes;
  /** The account of runtime faults that name none. */
  defaultAccountId: string;
  log: (line: string) => void;
}

export class Faults {
  private readonly entries = new Map<string, Entry>();
  /** Request faults in the order they were added: an earlier error fault has the first turn. */
  private requestEntries: RequestEntry[] = [];
  private nextId = 1;

  constructor(private readonly options: FaultsOptions) {}

  /** Adds a fault; a runtime fault acts now (FaultNotApplicable if it cannot). */
  add(definition: FaultDefinition): FaultView {
    const id = `f${this.nextId}`;
    const done = isRequestFault(definition) ? requestFaultStart(definition) : this.act(definition);
    this.nextId++;
    const entry: Entry = { id, definition, addedAt: new Date(), done };
    this.entries.set(id, entry);
    if (isRequestFault(definition)) this.requestEntries.push(entry as RequestEntry);
    this.options.log(`fault ${id} added: ${JSON.stringify(definition)}`);
    return view(entry);
  }

  list(): FaultView[] {
    return [...this.entries.values()].map(view);
  }

  /** False if there is no such fault. */
  remove(id: string): boolean {
    if (!this.entries.delete(id)) return false;
    this.requestEntries = this.requestEntries.filter((entry) => entry.id !== id);
    this.options.log(`fault ${id} removed`);
    return true;
  }

  /** Removes every fault; returns their ids. */
  clear(): string[] {
    const ids = [...this.entries.keys()];
    for (const id of ids) this.remove(id);
    return ids;
  }

  /**
   * Where request faults act: before `operation` of `service` runs, with its parsed input (S3's
   * `Bucket`). Throws the injected error, after the injected latency; undefined (nothing to wait
   * for) when no fault applies.
   */
  beforeOperation(service: ServiceName, operation: string, input: object): Promise<void> | undefined {
    if (this.requestEntries.length === 0) return undefined;
    const bucket = service === 's3' ? (input as { Bucket?: unknown }).Bucket : undefined;
    let error: AwsError | undefined;
    let delayMs = 0;
    const now = new Date().toISOString();
    for (const entry of this.requestEntries) {
      const { definition, done } = entry;
      if (!applies(definition, service, operation, bucket)) continue;
      if (definition.type === 'latency') {
        const ms = definition.minMs + Math.random() * (definition.maxMs - definition.minMs);
        done.matched++;
        done.injected++;
        done.lastInjectedAt = now;
        const delayed = done.delayedMs!;
        delayed.total += ms;
        delayed.shortest = done.injected === 1 ? ms : Math.min(delayed.shortest, ms);
        delayed.longest = Math.max(delayed.longest, ms);
        delayMs += ms;
        continue;
      }
      if (error) continue; // one error per request: the first fault whose turn it is
      done.matched++;
      const fires = 'count' in definition ? done.remaining! > 0 : Math.random() < definition.rate;
      if (!fires) continue;
      done.injected++;
      done.lastInjectedAt = now;
      if (done.remaining !== undefined) done.remaining--;
      error = definition.type === 'throttling' ? throttlingError(service) : s3FaultError(definition.code);
    }
    if (delayMs === 0 && !error) return undefined;
    return new Promise((resolve, reject) => setTimeout(() => (error ? reject(error) : resolve()), delayMs));
  }

  private act(definition: RuntimeFault): RuntimeFaultDone {
    if (definition.type === 'spot-interruption') return this.interrupt(definition);
    return 'endpointName' in definition ? this.killEndpointInstance(definition) : this.failTrainingInstance(definition);
  }

  private interrupt(definition: SpotInterruption): RuntimeFaultDone {
    const arn = this.arnOf(definition, 'training-job', definition.trainingJobName);
    if (!this.options.runtimes.training.interrupt(arn)) {
      throw new FaultNotApplicable(`Training job ${definition.trainingJobName} is not running, or is not a managed spot training job.`);
    }
    return { trainingJobArn: arn, interrupted: true };
  }

  private failTrainingInstance(definition: TrainingInstanceFailure): RuntimeFaultDone {
    const arn = this.arnOf(definition, 'training-job', definition.trainingJobName);
    const outcome = this.options.runtimes.training.failInstance(arn, definition.host, { reason: INSTANCE_FAILURE_REASON, repairMessage: CLUSTER_REPAIR_MESSAGE });
    if (outcome === 'notRunning') throw new FaultNotApplicable(`Training job ${definition.trainingJobName} is not running: an instance fails only while its job runs.`);
    if (outcome === 'noSuchHost') throw new FaultNotApplicable(`Training job ${definition.trainingJobName} has no host ${definition.host} (its hosts are algo-1 to algo-N, N its InstanceCount).`);
    return { trainingJobArn: arn, killed: definition.host, outcome: outcome === 'fails' ? 'the job fails' : 'the job restarts from its checkpoints' };
  }

  private killEndpointInstance(definition: EndpointInstanceFailure): RuntimeFaultDone {
    const arn = this.arnOf(definition, 'endpoint', definition.endpointName);
    const killed = this.options.runtimes.endpoints.killInstance(arn, definition.variantName, definition.instance);
    if (typeof killed === 'string') throw new FaultNotApplicable(`Endpoint ${definition.endpointName}: ${killed}.`);
    const done: RuntimeFaultDone = { endpointArn: arn, killed: killed.logStream };
    const killedAt = Date.now();
    void killed.replaced.then((logStream) => {
      if (!logStream) return;
      done.replacedBy = logStream;
      done.replacementMs = Date.now() - killedAt;
    });
    return done;
  }

  private arnOf(definition: RuntimeFault, resourceType: string, name: string): string {
    const region = definition.region ?? DEFAULT_REGION;
    const accountId = definition.accountId ?? this.options.defaultAccountId;
    return `arn:aws:sagemaker:${region}:${accountId}:${resourceType}/${name.toLowerCase()}`;
  }
}

function requestFaultStart(definition: RequestFault): RequestFaultDone {
  if (definition.type === 'latency') return { matched: 0, injected: 0, delayedMs: { total: 0, shortest: 0, longest: 0 } };
  return { matched: 0, injected: 0, ...('count' in definition ? { remaining: definition.count } : {}) };
}

function applies(definition: RequestFault, service: ServiceName, operation: string, bucket: unknown): boolean {
  if (definition.operations && !definition.operations.includes(operation)) return false;
  return definition.type === 's3-error' ? service === 's3' && bucket === definition.bucket : service === definition.service;
}

function view(entry: Entry): FaultView {
  const done = { ...entry.done } as RequestFaultDone | RuntimeFaultDone;
  if ('delayedMs' in done && done.delayedMs) done.delayedMs = mapValues(done.delayedMs, Math.round);
  return { id: entry.id, ...entry.definition, addedAt: entry.addedAt.toISOString(), done };
}

function mapValues<T extends Record<string, number>>(record: T, map: (value: number) => number): T {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)])) as T;
}
