// `node out/bench/emulator.js`: the emulator's SageMaker API against baselines measured in the same
// run, because these machines are noisy and shared:
// - requests/s of DescribeTrainingJob and ListTrainingJobs (first page of 10,000 jobs) against
//   moto_server answering the same calls, the two measured in alternating rounds;
// - CPU µs per request of the emulator process against a bare node:http process doing the same JSON
//   work (parse the request, look the job up in a Map or pick the newest 10, serialise the answer),
//   read from /proc (Linux).
// Both hold 10,000 Completed jobs: moto's are seeded through boto3 (bench/motoServer.py), the
// emulator's written to its store before it starts (through the API they would be jobs to run, and the
// emulator would start training them). Everything listens on 127.0.0.1; a run takes about a minute.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createResource, resourceArn } from '../emulator/services/sagemaker/common/resources';
import { type TrainingJobRecord, trainingJobs } from '../emulator/services/sagemaker/trainingJobs/records';
import { advanceTrainingJob, startedTrainingJob } from '../emulator/services/sagemaker/trainingJobs/state';
import { Store } from '../emulator/store/store';
// The minimal CreateTrainingJob request: the same one bench/motoServer.py seeds moto with.
import { trainingJobRequest } from '../harness/requests';
import type { Change } from '../emulator/store/logFormat';
import { median } from './stats';

const JOB_COUNT = 10_000;
const CONCURRENCY = 4;
const ROUNDS = 3;
/** Each round measures each target for this long. */
const ROUND_MS = 1500;
const CPU_REQUESTS = { describe: 3000, list: 150 };
const CLOCK_TICKS_PER_SECOND = 100;
const REPO_ROOT = join(__dirname, '..', '..');
const EMULATOR_CLI = join(__dirname, '..', 'emulator', 'cli.js');
const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=0';

interface Call {
  name: 'describe' | 'list';
  target: string;
  /** A new body per request (Describe asks for a random job). */
  body(): string;
}

const CALLS: readonly Call[] = [
  { name: 'describe', target: 'SageMaker.DescribeTrainingJob', body: () => JSON.stringify({ TrainingJobName: jobName(Math.floor(Math.random() * JOB_COUNT)) }) },
  { name: 'list', target: 'SageMaker.ListTrainingJobs', body: () => '{}' },
];

function jobName(index: number): string {
  return `bench-job-${index}`;
}


/** Writes JOB_COUNT Completed jobs, a millisecond apart, to the store of the emulator to be started on `dataDir`. */
async function seedEmulator(dataDir: string): Promise<void> {
  const store = await Store.open(join(dataDir, 'store'));
  const scope = { store, accountId: '000000000000', region: 'us-east-1' };
  const first = Date.now() - JOB_COUNT;
  const changes: Change[] = [];
  for (let index = 0; index < JOB_COUNT; index++) {
    const at = new Date(first + index);
    const request = trainingJobRequest(jobName(index));
    const started: TrainingJobRecord = { ...startedTrainingJob(at), request, arn: resourceArn(scope, trainingJobs, request.TrainingJobName ?? ''), createdAt: at.getTime() };
    const completed = advanceTrainingJob(advanceTrainingJob(started, 'Training', at), 'Completed', at);
    changes.push(...createResource(scope, trainingJobs, completed, []));
  }
  await store.commit(changes);
  await store.close();
}

interface Server {
  name: string;
  port: number;
  child: ChildProcess;
  /** moto's server closes every connection after its response (HTTP/1.0); the node servers keep them alive. */
  agent: Agent;
}

const keepAlive = new Agent({ keepAlive: true });
const closeEach = new Agent({ keepAlive: false });

function post(server: Server, target: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/',
        agent: server.agent,
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target, Authorization: AUTHORIZATION, 'Content-Length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          response.statusCode === 200 ? resolve() : reject(new Error(`${server.name} ${target} → ${response.statusCode} ${Buffer.concat(chunks).toString().slice(0, 200)}`)),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Runs `call` with CONCURRENCY requests in flight until `count` are done or `milliseconds` passed; returns how many were done. */
async function load(server: Server, call: Call, limits: { count?: number; milliseconds?: number }): Promise<number> {
  const deadline = performance.now() + (limits.milliseconds ?? Infinity);
  let started = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (started < (limits.count ?? Infinity) && performance.now() < deadline) {
        started += 1;
        await post(server, call.target, call.body());
        done += 1;
      }
    }),
  );
  return done;
}

async function requestsPerSecond(server: Server, call: Call): Promise<number> {
  const started = performance.now();
  const done = await load(server, call, { milliseconds: ROUND_MS });
  return done / ((performance.now() - started) / 1000);
}

/** CPU time (user + system) of a process so far, in microseconds. */
function cpuMicroseconds(pid: number): number {
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1e6;
}

async function cpuPerRequest(server: Server, call: Call): Promise<number> {
  const pid = server.child.pid ?? 0;
  const before = cpuMicroseconds(pid);
  const done = await load(server, call, { count: CPU_REQUESTS[call.name] });
  return (cpuMicroseconds(pid) - before) / done;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const children: ChildProcess[] = [];

/** Spawns `command` and resolves once its stdout has a line matching `ready` (its first group: the port, if any). */
function spawnServer(name: string, command: string, args: string[], ready: RegExp, port?: number, agent = keepAlive): Promise<Server> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], cwd: REPO_ROOT });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve({ name, port: port ?? Number(match[1]), child, agent });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
  });
}

/** The baseline: node:http and the JSON work the two calls need, nothing else. */
function runRawServer(): void {
  const jobs = new Map<string, Record<string, unknown>>();
  const now = Date.now() / 1000;
  for (let index = 0; index < JOB_COUNT; index++) {
    const request = trainingJobRequest(jobName(index));
    jobs.set(request.TrainingJobName ?? '', {
      ...request,
      TrainingJobArn: `arn:aws:sagemaker:us-east-1:000000000000:training-job/${request.TrainingJobName}`,
      TrainingJobStatus: 'Completed',
      SecondaryStatus: 'Completed',
      CreationTime: now + index / 1000,
      LastModifiedTime: now + index / 1000,
    });
  }
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const input = JSON.parse(Buffer.concat(chunks).toString()) as { TrainingJobName?: string };
      const body = String(incoming.headers['x-amz-target']).endsWith('.ListTrainingJobs')
        ? JSON.stringify({ TrainingJobSummaries: newest(jobs.values(), 10) })
        : JSON.stringify(jobs.get(input.TrainingJobName ?? ''));
      outgoing.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(body) });
      outgoing.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(`listening on ${(server.address() as AddressInfo).port}`));
}

/** The `count` items with the latest CreationTime, newest first: the emulator's selection (services/paging.ts), without tokens. */
function newest(items: Iterable<Record<string, unknown>>, count: number): Record<string, unknown>[] {
  const byTime = (a: Record<string, unknown>, b: Record<string, unknown>) => (b.CreationTime as number) - (a.CreationTime as number);
  let candidates: Record<string, unknown>[] = [];
  let bound = -Infinity;
  for (const item of items) {
    if ((item.CreationTime as number) <= bound) continue;
    candidates.push(item);
    if (candidates.length >= 2 * count) {
      candidates = candidates.sort(byTime).slice(0, count);
      bound = candidates[count - 1].CreationTime as number;
    }
  }
  return candidates
    .sort(byTime)
    .slice(0, count)
    .map(({ TrainingJobName, TrainingJobArn, CreationTime, LastModifiedTime, TrainingJobStatus, SecondaryStatus }) => ({
      TrainingJobName,
      TrainingJobArn,
      CreationTime,
      LastModifiedTime,
      TrainingJobStatus,
      SecondaryStatus,
    }));
}


interface Row {
  figure: string;
  measured: string;
  baseline: string;
  ratio: number;
  target: string;
  pass: boolean;
}

function printTable(rows: Row[]): void {
  const cells = [
    ['figure', 'emulator', 'baseline (same run)', 'ratio', 'target', 'ok?'],
    ...rows.map((row) => [row.figure, row.measured, row.baseline, row.ratio.toFixed(2), row.target, row.pass ? 'yes' : 'NO']),
  ];
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  for (const [index, row] of cells.entries()) {
    console.log(`| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`);
    if (index === 0) console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-emulator-'));
  try {
    const motoPort = await freePort();
    await seedEmulator(dataDir);
    const [emulator, raw, moto] = await Promise.all([
      spawnServer('emulator', process.execPath, [EMULATOR_CLI, '--port', '0', '--data-dir', dataDir], /listening on http:\/\/127\.0\.0\.1:(\d+)/),
      spawnServer('node:http', process.execPath, [__filename, 'raw-server'], /listening on (\d+)/),
      spawnServer('moto_server', 'python3', [join(REPO_ROOT, 'bench', 'motoServer.py'), String(motoPort), String(JOB_COUNT)], /ready/, motoPort, closeEach),
    ]);

    const rows: Row[] = [];
    for (const call of CALLS) {
      const rates = { emulator: [] as number[], moto: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        rates.emulator.push(await requestsPerSecond(emulator, call));
        rates.moto.push(await requestsPerSecond(moto, call));
      }
      const ratio = median(rates.emulator) / median(rates.moto);
      rows.push({
        figure: `${call.target.split('.')[1]} requests/s (${JOB_COUNT} jobs)`,
        measured: median(rates.emulator).toFixed(0),
        baseline: `moto_server ${median(rates.moto).toFixed(1)}`,
        ratio,
        target: '≥ 5.00',
        pass: ratio >= 5,
      });
    }
    for (const call of CALLS) {
      const cpu = { emulator: [] as number[], raw: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        cpu.emulator.push(await cpuPerRequest(emulator, call));
        cpu.raw.push(await cpuPerRequest(raw, call));
      }
      const ratio = median(cpu.emulator) / median(cpu.raw);
      rows.push({
        figure: `${call.target.split('.')[1]} CPU µs/request`,
        measured: median(cpu.emulator).toFixed(0),
        baseline: `node:http ${median(cpu.raw).toFixed(0)}`,
        ratio,
        target: '≤ 8.00',
        pass: ratio <= 8,
      });
    }
    printTable(rows);
  } finally {
    keepAlive.destroy();
    for (const child of children) child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'raw-server') {
  runRawServer();
} else {
  const guard = setTimeout(() => {
    console.error('the benchmark took over 2 minutes');
    for (const child of children) child.kill('SIGKILL');
    process.exit(1);
  }, 120_000);
  main()
    .then(() => clearTimeout(guard))
    .catch((error: Error) => {
      console.error(error.message);
      process.exitCode = 1;
      clearTimeout(guard);
    });
}
