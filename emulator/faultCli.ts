// `sagemaker-emulator fault …`: lists, adds and removes the faults of a running emulator through its
// /_emulator/faults control (faults/faultControls.ts), signing the request as the APIs are signed
// when given credentials (an emulator with --verify-signatures needs it).
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseArgs } from 'node:util';
import { loadCredentialsFile } from './auth/credentialsFile';
import type { LocalCredentials } from './auth/signatureV4';
import { FAULT_TYPES } from './faults/definitions';
import type { FaultView, RequestFaultDone } from './faults/faults';

export const FAULT_USAGE = `       sagemaker-emulator fault list [--json]
       sagemaker-emulator fault add TYPE [OPTIONS]      (or: fault TYPE [OPTIONS])
       sagemaker-emulator fault remove (ID... | --all)
         TYPE and OPTIONS:
           throttling        --service S [--operation OP]... (--rate F | --count N)
           s3-error          --bucket B [--code SlowDown|InternalError] [--operation OP]... (--rate F | --count N)
           latency           --service S [--operation OP]... --ms N|MIN-MAX
           instance-failure  --job NAME [--host algo-N]
                             --endpoint NAME [--variant V] [--instance N|i-…]
           spot-interruption --job NAME
         every fault command: [--url URL] [--region R] [--account ID]
                              [--credentials-file FILE | --access-key-id ID --secret-access-key KEY]`;

export const FAULT_HELP = `  fault                    injects faults into a running emulator (--url, default
                           http://127.0.0.1:4590), as AWS may fail: throttling of a service's
                           operations (ThrottlingException; S3: SlowDown) and S3 errors on a bucket
                           (SlowDown 503, InternalError 500) for a fraction of requests (--rate 0.2)
                           or the next N (--count 3); added latency; a training host or endpoint
                           instance lost (instance-failure); a spot job reclaimed. Request faults stay
                           until removed; none survives an emulator restart. Services: sagemaker,
                           sagemaker-runtime, s3, logs, cloudwatch, application-autoscaling. An
                           emulator with --verify-signatures needs the request signed: with the first
                           profile of --credentials-file, --access-key-id/--secret-access-key, or
                           AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY`;

const FAULT_OPTIONS = {
  url: { type: 'string', default: 'http://127.0.0.1:4590' },
  region: { type: 'string' },
  account: { type: 'string' },
  'credentials-file': { type: 'string' },
  'access-key-id': { type: 'string' },
  'secret-access-key': { type: 'string' },
  json: { type: 'boolean', default: false },
  all: { type: 'boolean', default: false },
  service: { type: 'string' },
  operation: { type: 'string', multiple: true },
  rate: { type: 'string' },
  count: { type: 'string' },
  bucket: { type: 'string' },
  code: { type: 'string' },
  ms: { type: 'string' },
  job: { type: 'string' },
  host: { type: 'string' },
  endpoint: { type: 'string' },
  variant: { type: 'string' },
  instance: { type: 'string' },
} as const;

type FaultValues = ReturnType<typeof parseArgs<{ options: typeof FAULT_OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {}

/** Runs `fault …` and exits: 0 done, 1 refused by the emulator (or unreachable), 2 a usage error. */
export async function faultCommand(args: string[], usage: string): Promise<never> {
  let values: FaultValues;
  let positionals: string[];
  let request: { method: string; path: string; body?: object };
  try {
    ({ values, positionals } = parseArgs({ args, options: FAULT_OPTIONS, allowPositionals: true, strict: true }));
    request = requestOf(positionals, values);
  } catch (error) {
    return exit(2, `${(error as Error).message}\n\n${usage}`);
  }
  let credentials: LocalCredentials | undefined;
  try {
    credentials = await controlCredentials(values);
  } catch (error) {
    return exit(2, `cannot read the credentials to sign with: ${(error as Error).message}`);
  }
  const url = new URL(request.path, values.url);
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers = await signedHeaders(request.method, url, body, credentials, values.region ?? 'us-east-1');
  let response: Response;
  try {
    response = await fetch(url, { method: request.method, headers, body });
  } catch (error) {
    return exit(1, `cannot reach the emulator at ${values.url}: ${(error as Error).message}`);
  }
  const answer = (await response.json().catch(() => ({}))) as { message?: string; faults?: FaultView[]; removed?: string[] } & Partial<FaultView>;
  if (!response.ok) return exit(1, answer.message ?? `HTTP ${response.status}`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  } else if (answer.faults) {
    process.stdout.write(answer.faults.length ? `${answer.faults.map(describeFault).join('\n')}\n` : 'no faults\n');
  } else if (answer.removed) {
    process.stdout.write(answer.removed.length ? `removed ${answer.removed.join(', ')}\n` : 'no faults to remove\n');
  } else {
    process.stdout.write(`added ${describeFault(answer as FaultView)}\n`);
  }
  return exit(0);
}

function requestOf(positionals: string[], values: FaultValues): { method: string; path: string; body?: object } {
  const [command, ...rest] = positionals;
  if (command === 'list' && rest.length === 0) return { method: 'GET', path: '/_emulator/faults' };
  if (command === 'remove') {
    if (values.all && rest.length === 0) return { method: 'DELETE', path: '/_emulator/faults' };
    if (!values.all && rest.length === 1) return { method: 'DELETE', path: `/_emulator/faults/${encodeURIComponent(rest[0])}` };
    throw new UsageError('fault remove takes one fault id (see fault list), or --all');
  }
  const type = command === 'add' ? rest[0] : command;
  if (rest.length !== (command === 'add' ? 1 : 0) || !(FAULT_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`fault takes list, add TYPE, remove ID or --all; TYPE is one of ${FAULT_TYPES.join(', ')}`);
  }
  return { method: 'POST', path: '/_emulator/faults', body: definitionOf(type, values) };
}

/** The JSON definition the control takes, from the flags; the emulator checks it and says what is wrong. */
function definitionOf(type: string, values: FaultValues): object {
  const placement = { region: values.region, accountId: values.account };
  const frequency = { rate: optionalNumber('--rate', values.rate), count: optionalNumber('--count', values.count) };
  switch (type) {
    case 'throttling':
      return { type, service: values.service, operations: values.operation, ...frequency };
    case 's3-error':
      return { type, bucket: values.bucket, code: values.code, operations: values.operation, ...frequency };
    case 'latency': {
      const range = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(values.ms ?? '');
      const delay = range ? { minMs: Number(range[1]), maxMs: Number(range[2]) } : { ms: optionalNumber('--ms', values.ms) };
      return { type, service: values.service, operations: values.operation, ...delay };
    }
    case 'instance-failure':
      if (values.endpoint !== undefined) {
        const instance = values.instance === undefined ? undefined : /^\d+$/.test(values.instance) ? Number(values.instance) : values.instance;
        return { type, endpointName: values.endpoint, variantName: values.variant, instance, trainingJobName: values.job, ...placement };
      }
      return { type, trainingJobName: values.job, host: values.host, ...placement };
    default:
      return { type, trainingJobName: values.job, ...placement };
  }
}

function optionalNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) throw new UsageError(`${flag} takes a number, not "${text}"`);
  return value;
}

/** One line per fault: its id, what it does, and what it has done so far. */
export function describeFault(fault: FaultView): string {
  const operations = 'operations' in fault && fault.operations ? ` ${fault.operations.join(', ')}` : '';
  const frequency = 'rate' in fault ? `${formatRate(fault.rate)} of requests` : 'count' in fault ? `the next ${fault.count} requests` : '';
  const done = fault.done as RequestFaultDone;
  switch (fault.type) {
    case 'throttling':
      return `${fault.id}  throttling of ${fault.service}${operations}, ${frequency}: ${done.injected} of ${done.matched} throttled${left(done)}`;
    case 's3-error':
      return `${fault.id}  s3-error ${fault.code} on bucket ${fault.bucket}${operations}, ${frequency}: ${done.injected} of ${done.matched} failed${left(done)}`;
    case 'latency': {
      const delay = fault.minMs === fault.maxMs ? `${fault.minMs} ms` : `${fault.minMs}–${fault.maxMs} ms`;
      return `${fault.id}  latency of ${fault.service}${operations}, +${delay}: ${done.injected} requests delayed, ${done.delayedMs?.total ?? 0} ms in all`;
    }
    case 'spot-interruption':
      return `${fault.id}  spot-interruption of training job ${fault.trainingJobName}: capacity reclaimed, the job restarts from its checkpoints`;
    case 'instance-failure': {
      const effect = fault.done as { killed: string; outcome?: string; replacedBy?: string; replacementMs?: number };
      if ('trainingJobName' in fault) return `${fault.id}  instance-failure of ${effect.killed} of training job ${fault.trainingJobName}: ${effect.outcome}`;
      const replaced = effect.replacedBy ? `replaced by ${effect.replacedBy} in ${(effect.replacementMs! / 1000).toFixed(1)} s` : 'being replaced';
      return `${fault.id}  instance-failure of ${effect.killed} of endpoint ${fault.endpointName}: ${replaced}`;
    }
  }
}

function left(done: RequestFaultDone): string {
  return done.remaining === undefined ? '' : `, ${done.remaining} left`;
}

function formatRate(rate: number): string {
  return `${Number((rate * 100).toFixed(2))}%`;
}

/** What `fault` signs with: its flags, else the environment's AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else nothing (unsigned). */
async function controlCredentials(values: { 'credentials-file'?: string; 'access-key-id'?: string; 'secret-access-key'?: string }): Promise<LocalCredentials | undefined> {
  const { 'credentials-file': file, 'access-key-id': accessKeyId, 'secret-access-key': secretAccessKey } = values;
  if (file !== undefined) return (await loadCredentialsFile(file))[0];
  if (accessKeyId !== undefined || secretAccessKey !== undefined) {
    if (!accessKeyId || !secretAccessKey) throw new Error('--access-key-id and --secret-access-key go together');
    return { accessKeyId, secretAccessKey };
  }
  const fromEnvironment = { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY };
  return fromEnvironment.accessKeyId && fromEnvironment.secretAccessKey ? { accessKeyId: fromEnvironment.accessKeyId, secretAccessKey: fromEnvironment.secretAccessKey } : undefined;
}

/** The headers of a request to `url` (a JSON body, if any), SigV4-signed as the APIs are when there are credentials. */
async function signedHeaders(method: string, url: URL, body: string | undefined, credentials: LocalCredentials | undefined, region: string): Promise<Record<string, string>> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (!credentials) return headers;
  const signer = new SignatureV4({ credentials, region, service: 'sagemaker', sha256: Sha256 });
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: {},
    headers: { ...headers, host: url.host },
    body,
  });
  // fetch sets Host itself, to the same value.
  const { host: _host, ...rest } = signed.headers;
  return rest;
}

function exit(code: number, message?: string): never {
  if (message) (code === 0 ? process.stdout : process.stderr).write(`${message}\n`);
  process.exit(code);
}
