// The faults a user can inject, as POST /_emulator/faults takes them (JSON), checked with messages
// that say what to write instead. Two families:
// - request faults stay until removed and act on matching requests at the front of the request path:
//   `throttling` (a service, optionally some operations), `s3-error` (a bucket, optionally some
//   operations), each for a fraction of requests (`rate`) or the next N (`count`); `latency`;
// - runtime faults act once, when added: `instance-failure` (a training host, or an endpoint instance)
//   and `spot-interruption`.
import { type ServiceName, serviceModels } from '../models';
import { S3_FAULT_CODES, type S3FaultCode } from './faultErrors';

/** Which requests a fault acts on: a fraction of them, or exactly the next `count`. */
export type Frequency = { rate: number } | { count: number };

export type ThrottlingFault = {
  type: 'throttling';
  service: ServiceName;
  /** Operation names as in the API (`DescribeTrainingJob`); absent: every operation of the service. */
  operations?: string[];
} & Frequency;

export type S3ErrorFault = {
  type: 's3-error';
  bucket: string;
  code: S3FaultCode;
  operations?: string[];
} & Frequency;

export interface LatencyFault {
  type: 'latency';
  service: ServiceName;
  operations?: string[];
  /** Each matching request waits a uniformly drawn time in [minMs, maxMs] (equal for a fixed delay). */
  minMs: number;
  maxMs: number;
}

/** Where a training job or endpoint is: defaults to the emulator's default account and us-east-1. */
interface Placement {
  region?: string;
  accountId?: string;
}

export interface TrainingInstanceFailure extends Placement {
  type: 'instance-failure';
  trainingJobName: string;
  /** `algo-N`; default algo-1. */
  host: string;
}

export interface EndpointInstanceFailure extends Placement {
  type: 'instance-failure';
  endpointName: string;
  /** Default: the endpoint's first variant. */
  variantName?: string;
  /** The Nth serving instance (from 1), or its id (`i-…`, as in its log stream); default the first. */
  instance?: number | string;
}

export interface SpotInterruption extends Placement {
  type: 'spot-interruption';
  trainingJobName: string;
}

export type RequestFault = ThrottlingFault | S3ErrorFault | LatencyFault;
export type RuntimeFault = TrainingInstanceFailure | EndpointInstanceFailure | SpotInterruption;
export type FaultDefinition = RequestFault | RuntimeFault;

export const FAULT_TYPES = ['throttling', 's3-error', 'latency', 'instance-failure', 'spot-interruption'] as const;

/** The longest latency a fault may add: longer would only look like a hung emulator. */
export const MAX_LATENCY_MS = 300_000;

/** A fault definition that cannot be taken as it is; the message says what to write instead. */
export class InvalidFault extends Error {}

type Json = Record<string, unknown>;

export function parseFault(value: unknown): FaultDefinition {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidFault('A fault is a JSON object with a "type".');
  const json = value as Json;
  switch (json.type) {
    case 'throttling': {
      const service = serviceOf(json);
      return { type: 'throttling', service, ...operationsOf(json, service), ...frequencyOf(json) };
    }
    case 's3-error': {
      const bucket = requiredString(json, 'bucket', 'the bucket whose requests fail');
      const code = json.code ?? 'SlowDown';
      if (!S3_FAULT_CODES.includes(code as S3FaultCode)) throw new InvalidFault(`"code" is one of ${S3_FAULT_CODES.join(', ')}, not ${JSON.stringify(code)}.`);
      return { type: 's3-error', bucket, code: code as S3FaultCode, ...operationsOf(json, 's3'), ...frequencyOf(json) };
    }
    case 'latency': {
      const service = serviceOf(json);
      return { type: 'latency', service, ...operationsOf(json, service), ...delayOf(json) };
    }
    case 'instance-failure': {
      const placement = placementOf(json);
      if (json.trainingJobName !== undefined && json.endpointName !== undefined) {
        throw new InvalidFault('An instance-failure names either "trainingJobName" or "endpointName", not both.');
      }
      if (json.endpointName !== undefined) {
        const instance = json.instance;
        if (instance !== undefined && !(Number.isInteger(instance) && (instance as number) >= 1) && !(typeof instance === 'string' && /^i-[0-9a-f]+$/.test(instance))) {
          throw new InvalidFault(`"instance" is the Nth serving instance (1, 2, …) or an instance id (i-…, as in its log stream), not ${JSON.stringify(instance)}.`);
        }
        return {
          type: 'instance-failure',
          endpointName: requiredString(json, 'endpointName', 'the endpoint'),
          ...(json.variantName === undefined ? {} : { variantName: requiredString(json, 'variantName', 'the production variant') }),
          ...(instance === undefined ? {} : { instance: instance as number | string }),
          ...placement,
        };
      }
      if (json.trainingJobName === undefined) throw new InvalidFault('An instance-failure names "trainingJobName" (with "host": "algo-N") or "endpointName".');
      const host = json.host ?? 'algo-1';
      if (typeof host !== 'string' || !/^algo-[1-9]\d*$/.test(host)) throw new InvalidFault(`"host" is a training host, algo-1, algo-2, …, not ${JSON.stringify(host)}.`);
      return { type: 'instance-failure', trainingJobName: requiredString(json, 'trainingJobName', 'the training job'), host, ...placement };
    }
    case 'spot-interruption':
      return { type: 'spot-interruption', trainingJobName: requiredString(json, 'trainingJobName', 'the managed spot training job'), ...placementOf(json) };
    default:
      throw new InvalidFault(`"type" is one of ${FAULT_TYPES.join(', ')}, not ${JSON.stringify(json.type)}.`);
  }
}

export function isRequestFault(fault: FaultDefinition): fault is RequestFault {
  return fault.type === 'throttling' || fault.type === 's3-error' || fault.type === 'latency';
}

function serviceOf(json: Json): ServiceName {
  const services = Object.keys(serviceModels);
  if (typeof json.service !== 'string' || !services.includes(json.service)) {
    throw new InvalidFault(`"service" is one of ${services.join(', ')}, not ${JSON.stringify(json.service)}.`);
  }
  return json.service as ServiceName;
}

function operationsOf(json: Json, service: ServiceName): { operations?: string[] } {
  if (json.operations === undefined) return {};
  const operations = json.operations;
  if (!Array.isArray(operations) || operations.length === 0 || !operations.every((operation) => typeof operation === 'string')) {
    throw new InvalidFault('"operations" is a non-empty list of operation names, e.g. ["DescribeTrainingJob"]; leave it out for every operation.');
  }
  const known = serviceModels[service].operations;
  const unknown = (operations as string[]).filter((operation) => !Object.hasOwn(known, operation));
  if (unknown.length) throw new InvalidFault(`${service} has no operation ${unknown.join(', ')} (names as in the API, e.g. ${Object.keys(known)[0]}).`);
  return { operations: [...new Set(operations as string[])] };
}

function frequencyOf(json: Json): Frequency {
  const { rate, count } = json;
  if ((rate === undefined) === (count === undefined)) {
    throw new InvalidFault('Give either "rate" (the fraction of matching requests that fail, above 0 and at most 1) or "count" (the next N matching requests fail).');
  }
  if (rate !== undefined) {
    if (typeof rate !== 'number' || !(rate > 0 && rate <= 1)) throw new InvalidFault(`"rate" is a fraction above 0 and at most 1, not ${JSON.stringify(rate)}.`);
    return { rate };
  }
  if (!Number.isSafeInteger(count) || (count as number) < 1) throw new InvalidFault(`"count" is a whole number of requests, at least 1, not ${JSON.stringify(count)}.`);
  return { count: count as number };
}

function delayOf(json: Json): { minMs: number; maxMs: number } {
  const { ms, minMs, maxMs } = json;
  if (ms !== undefined && minMs === undefined && maxMs === undefined) {
    const fixed = milliseconds('ms', ms);
    return { minMs: fixed, maxMs: fixed };
  }
  if (ms === undefined && minMs !== undefined && maxMs !== undefined) {
    const [low, high] = [milliseconds('minMs', minMs), milliseconds('maxMs', maxMs)];
    if (low > high) throw new InvalidFault(`"minMs" (${low}) is more than "maxMs" (${high}).`);
    return { minMs: low, maxMs: high };
  }
  throw new InvalidFault('Give either "ms" (a fixed delay) or both "minMs" and "maxMs" (a delay drawn from that range), in milliseconds.');
}

function milliseconds(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_LATENCY_MS) {
    throw new InvalidFault(`"${name}" is a number of milliseconds from 0 to ${MAX_LATENCY_MS}, not ${JSON.stringify(value)}.`);
  }
  return value;
}

function placementOf(json: Json): Placement {
  const placement: Placement = {};
  if (json.region !== undefined) placement.region = requiredString(json, 'region', 'the region, e.g. us-east-1');
  if (json.accountId !== undefined) {
    if (typeof json.accountId !== 'string' || !/^\d{12}$/.test(json.accountId)) throw new InvalidFault(`"accountId" is a 12-digit account id, not ${JSON.stringify(json.accountId)}.`);
    placement.accountId = json.accountId;
  }
  return placement;
}

function requiredString(json: Json, name: string, what: string): string {
  const value = json[name];
  if (typeof value !== 'string' || value.length === 0) throw new InvalidFault(`"${name}" is ${what}, a non-empty string${value === undefined ? '' : `, not ${JSON.stringify(value)}`}.`);
  return value;
}
