// What every operation handler gets and returns, and how protocols run handlers.
import { Readable } from 'node:stream';
import { notImplemented } from './errors';
import type { ServiceModel } from './models';
import type { EndpointRuntime } from './runtime/endpoints/endpointRuntime';
import type { ImageRegistry } from './runtime/hosts/images';
import type { TransformJobDriver } from './runtime/jobs/transformRun';
import type { UnresumableJobs } from './runtime/jobs/unresumableJobs';
import type { InvocationMetrics } from './services/sagemaker-runtime/invocationMetrics';
import type { ProcessingJobDriver } from './runtime/jobs/processingRun';
import type { TrainingRuntime } from './runtime/jobs/trainingRuntime';
import type { BlobStore } from './store/blobs';
import { type Store, StoreWriteError } from './store/store';

/** One request's identity and the emulator's state, as handlers see them. */
export interface RequestContext {
  readonly requestId: string;
  readonly accountId: string;
  readonly region: string;
  /** The access key id the request was signed with, if it was signed. */
  readonly accessKeyId?: string;
  readonly store: Store;
  readonly blobs: BlobStore;
  /** What really runs jobs: operations hand accepted work to it once it is durable. */
  readonly runtimes: Runtimes;
  /**
   * The injected faults' turn (faults/faults.ts), before the handler: throws the error a fault
   * injects, after the latency one adds; undefined when none applies.
   */
  beforeOperation(operation: string, input: object): Promise<void> | undefined;
  now(): Date;
  log(line: string): void;
}

export interface Runtimes {
  readonly training: TrainingRuntime;
  readonly processing: UnresumableJobs<ProcessingJobDriver>;
  readonly transform: UnresumableJobs<TransformJobDriver>;
  readonly endpoints: EndpointRuntime;
  /** Invocations counted for CloudWatch and autoscaling. */
  readonly invocationMetrics: InvocationMetrics;
  /** Container images and the local commands they run as (built-in ones and the user's map). */
  readonly images: ImageRegistry;
}

/**
 * A handler takes the SDK's `<Operation>CommandInput` (already checked against the model) and returns
 * its `<Operation>CommandOutput` without `$metadata`. `input: never` lets handlers of any input type
 * share one table; `runHandler` is the single place that passes the protocol's parsed input in.
 */
export type OperationHandler = (input: never, context: RequestContext) => Promise<object>;
export type OperationTable = Readonly<Record<string, OperationHandler>>;
export type OperationOutput<CommandOutput> = Omit<CommandOutput, '$metadata'>;

/** The handler of an operation the model knows; `NotImplemented` if the emulator has none. */
export function findHandler(model: ServiceModel, operations: OperationTable, operation: string): OperationHandler {
  // Own properties only: an operation named `constructor` must not find Object's.
  if (!Object.hasOwn(operations, operation)) throw notImplemented(model.service, operation);
  return operations[operation];
}

/** How often a read runs again when what it read was taken back by a failed write (see below). */
const READ_ATTEMPTS = 3;
/** Operations that only read, by AWS's naming: running one again changes nothing. */
const READ_OPERATION = /^(Get|Head|List|Describe|Filter)[A-Z]/;

/**
 * Runs a handler — once the injected faults have had their turn — and waits until the state it may have read or written is durable, so that no
 * response reveals anything a crash could still take back. A read whose records were taken back by
 * a failed write (the disk is full) is run again on what remains: reads go on while writes fail.
 */
export async function runHandler(handler: OperationHandler, input: object, context: RequestContext, operation: string): Promise<object> {
  await context.beforeOperation(operation, input);
  for (let attempt = 1, current = context; ; attempt++) {
    const output = await handler(input as never, current);
    try {
      await current.store.settled();
      return output;
    } catch (error) {
      discardOutput(output);
      const readAgain = error instanceof StoreWriteError && READ_OPERATION.test(operation) && !current.store.committed && attempt < READ_ATTEMPTS;
      if (!readAgain) throw error;
      current = { ...current, store: current.store.session() };
    }
  }
}

/** Lets go of what an output holds open (an object body being read) when it will not be sent. */
function discardOutput(output: object): void {
  for (const value of Object.values(output)) if (value instanceof Readable) value.destroy();
}
