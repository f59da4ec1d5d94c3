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
 * What a handler returns: the SDK's `<Operation>CommandOutput` without `$metadata` (the protocol
 * adds the request id).
 */
export type OperationOutput<CommandOutput> = Omit<CommandOutput, '$metadata'>;

/** An SDK client package's exports (`typeof import('@aws-sdk/client-…')`), where operation shapes come from. */
type Sdk = object;
/** The SDK's command class of an operation, `<Operation>Command`. */
type CommandClass<Api extends Sdk, Name extends string> = Api[`${Name}Command` & keyof Api];
/** `<Operation>CommandInput`: the input a command of the class holds. */
export type CommandInput<Api extends Sdk, Name extends string> = CommandClass<Api, Name> extends abstract new (...args: never[]) => { readonly input: infer Input } ? Input : never;
/** `<Operation>CommandOutput`: what the command's middleware resolves to. */
export type CommandOutput<Api extends Sdk, Name extends string> =
  CommandClass<Api, Name> extends abstract new (...args: never[]) => { resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: infer Output }> }
    ? Output
    : never;

/**
 * The handler of operation `Name` of the service whose SDK is `Api`: it takes the SDK's
 * `<Name>CommandInput` (already checked against the model) and returns its `<Name>CommandOutput`.
 */
export type Handler<Api extends Sdk, Name extends string> = (input: CommandInput<Api, Name>, context: RequestContext) => Promise<OperationOutput<CommandOutput<Api, Name>>>;

/** True when A and B are the same type (not merely assignable: inputs of two operations often are). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * A table whose every entry is the handler of the operation it is named after: a name the SDK has
 * no command for, or a handler declared with another operation's input, does not compile.
 */
export type CheckedOperations<Api extends Sdk, Table> = {
  readonly [Name in keyof Table]: Name extends string
    ? `${Name}Command` extends keyof Api
      ? Table[Name] extends (input: infer Input, context: RequestContext) => unknown
        ? Same<Input, CommandInput<Api, Name>> extends true
          ? Handler<Api, Name>
          : `${Name} is declared with another operation's input`
        : Handler<Api, Name>
      : `${Name} is not an operation of this service's SDK`
    : never;
};

/**
 * The table the protocols look operations up in, built from handlers checked against the SDK `Api`
 * (`operationTable<typeof SageMaker>()({ ...handlers })`). Past this point names are strings from
 * the wire, so the table is typed by name only; `runHandler` is the one place an input goes in.
 */
export function operationTable<Api extends Sdk>() {
  return <Table extends CheckedOperations<Api, Table>>(handlers: Table): OperationTable => handlers as unknown as OperationTable;
}

/** A handler as the protocols hold it: by name, its input already shaped by the model. */
export type OperationHandler = (input: never, context: RequestContext) => Promise<object>;
export type OperationTable = Readonly<Record<string, OperationHandler>>;

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
