// `node out/bench/s3.js`: S3 throughput of the emulator for a 1 GiB object, against a local disk copy
// of the same bytes in the same directory made durable as the emulator makes its writes (copyFile,
// then fsync), measured in the same run, and the emulator's peak RSS.
//
// Figures, each end to end, the client's work included:
// - PutObject through @aws-sdk/lib-storage from a file stream, the client left at its defaults
//   (5 MiB parts, 4 at a time; a CRC32 of every part, and over http a SHA-256 of it for the signature);
// - the same with a client configured as an informed user would for bulk uploads: no checksum unless
//   the operation requires one (`requestChecksumCalculation: 'WHEN_REQUIRED'`), 16 MiB parts read in
//   1 MiB chunks. The SHA-256 of every part for the signature remains (the SDK always signs a
//   buffered body);
// - GetObject streamed (default client);
// - the upload as bare HTTP UploadParts (4 at a time, 16 MiB each, piped from the file, no signature,
//   no checksum): the emulator's own share of an upload.
// Beside them, the same bare upload and the same GetObject against a plain node:http server doing
// only what any S3 server must (bench/plainS3Server.ts: MD5 on a worker, fsync'd writes; a file
// streamed out), and the upload once more without the MD5: the ceilings that Node and this machine
// leave, measured in the same run, so the emulator's figures can be read against them as well as
// against the disk copy. (On the 2-thread VM this was written on, buffered writes of fresh page
// cache cost ~2 s of kernel CPU per GiB and MD5 runs at ~630 MB/s on an idle core, 0.6 of a disk
// copy's rate: the upload ceiling sits near 0.5 without the MD5 and far below it with it.)
// Each figure is measured ROUNDS times, every round between two disk copies whose faster one is that
// round's baseline; the table shows the median ratio. CPU seconds per GiB, of the server (from
// /proc) and of this process (the client), show what each side costs, which the machine's other load
// changes less than the throughputs.
//
// The emulator is the production bundle in its own process, so the memory measured is its own; build
// it first with `npx webpack --mode production --config-name emulator`. Data lives in a temporary
// directory under the OS's (/tmp), deleted at the end. Linux only (/proc).
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { clientConfig, s3Client, spawnCli } from '../harness/emulatorClients';
import { EMULATOR_BUNDLE } from '../harness/paths';
import { median, runBenchmark } from './stats';

const MIB = 1024 * 1024;
const PLAIN_SERVER = join(__dirname, 'plainS3Server.js');
const PLAIN_GET = '1 GiB GetObject, streamed, default client — plain node:http server (a file streamed out)';
const PLAIN_PUT = '1 GiB PUT parts, bare HTTP — plain node:http server (MD5 on a worker, fsync\'d writes)';
const PLAIN_PUT_UNHASHED = '1 GiB PUT parts, bare HTTP — plain node:http server, no MD5 (fsync\'d writes only)';
const OBJECT_BYTES = 1024 * MIB;
const ROUNDS = 3;
const MIN_THROUGHPUT_RATIO = 0.5;
const MAX_PEAK_RSS_BYTES = 200 * 1000 * 1000;
/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

interface Figure {
  name: string;
  /** Whose figure: the emulator's (held to the target) or the plain server's (the ceiling). */
  server: 'emulator' | 'plain';
  run(): Promise<void>;
}

interface Measurement {
  /** Throughput ratio to the round's disk copy. */
  ratio: number;
  mibPerSecond: number;
  /** Server CPU seconds (user + system) per GiB moved. */
  cpuPerGib: number;
  /** The same for this process: the client. */
  clientCpuPerGib: number;
}

function megabytesPerSecond(bytes: number, milliseconds: number): number {
  return bytes / MIB / (milliseconds / 1000);
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** The source object: varied bytes, so nothing on the way can shortcut runs of zeros. */
async function writeSource(path: string): Promise<void> {
  const block = Buffer.alloc(MIB);
  for (let index = 0; index < block.length; index++) block[index] = (index * 131 + (index >> 9)) & 0xff;
  const file = await open(path, 'w');
  try {
    for (let written = 0; written < OBJECT_BYTES; written += block.length) {
      block.writeUInt32LE(written / MIB, 0);
      await file.write(block);
    }
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Milliseconds to copy `source` and make the copy durable. */
async function durableCopy(source: string, destination: string): Promise<number> {
  const milliseconds = await timed(async () => {
    await copyFile(source, destination);
    const copy = await open(destination, 'r+');
    await copy.sync();
    await copy.close();
  });
  await rm(destination);
  return milliseconds;
}

/** The emulator's parts uploaded with bare HTTP requests (no signature, no checksum), piped from the file. */
async function bareHttpUpload(url: string, s3: S3Client, source: string): Promise<void> {
  const { UploadId = '' } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'bench', Key: 'bare.bin' }));
  const etags = await putParts(source, (partNumber) => `${url}/bench/bare.bin?partNumber=${partNumber}&uploadId=${UploadId}`);
  const parts = etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 }));
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'bench', Key: 'bare.bin', UploadId, MultipartUpload: { Parts: parts } }));
}

/** `source` PUT in 16 MiB parts, 4 at a time, each piped from the file; returns the parts' ETags. */
async function putParts(source: string, partUrl: (partNumber: number) => string): Promise<string[]> {
  const partBytes = 16 * MIB;
  const agent = new Agent({ keepAlive: true });
  const etags: string[] = [];
  let next = 0;
  const uploadPart = async (index: number) => {
    const request = httpRequest(partUrl(index + 1), {
      method: 'PUT',
      agent,
      headers: { 'Content-Length': partBytes },
    });
    const response = new Promise<string>((resolve, reject) => {
      request.once('response', (answer) => {
        answer.resume();
        if (answer.statusCode === 200) resolve(String(answer.headers.etag));
        else reject(new Error(`UploadPart answered ${answer.statusCode}`));
      });
    });
    await pipeline(createReadStream(source, { start: index * partBytes, end: (index + 1) * partBytes - 1, highWaterMark: MIB }), request);
    etags[index] = await response;
  };
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < OBJECT_BYTES / partBytes) await uploadPart(next++);
    }),
  );
  agent.destroy();
  return etags;
}

/** All of the object read through `s3`'s GetObject, streamed. */
async function getObject(s3: S3Client): Promise<void> {
  let received = 0;
  const object = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'object.bin' }));
  for await (const chunk of object.Body as Readable) received += (chunk as Buffer).length;
  if (received !== OBJECT_BYTES) throw new Error(`GetObject returned ${received} bytes, not ${OBJECT_BYTES}`);
}

async function emptyDirectory(path: string): Promise<void> {
  for (const name of await readdir(path)) await rm(join(path, name));
}

function peakRss(pid: number): number {
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const [index, row] of rows.entries()) {
    console.log(`| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`);
    if (index === 0) console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  }
}

async function main(): Promise<void> {
  if (!existsSync(EMULATOR_BUNDLE)) throw new Error(`${EMULATOR_BUNDLE} is missing: build it with npx webpack --mode production --config-name emulator`);
  const directory = await mkdtemp(join(tmpdir(), 'bench-s3-'));
  const source = join(directory, 'source.bin');
  const emulator = await spawnCli(['--port', '0', '--data-dir', join(directory, 'data')], EMULATOR_BUNDLE);
  const pid = emulator.child.pid ?? 0;
  const s3 = s3Client(emulator.url);
  // The plain server serves the source file itself; it is spawned before the file exists and reads it per request.
  const plainDirectory = join(directory, 'plain');
  await mkdir(plainDirectory);
  const plain = await spawnCli([plainDirectory, source], PLAIN_SERVER);
  const plainPid = plain.child.pid ?? 0;
  const plainS3 = s3Client(plain.url);
  const informed = new S3Client({
    ...clientConfig(emulator.url),
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const figures: Figure[] = [
    {
      name: '1 GiB PutObject, lib-storage, default client (5 MiB parts, CRC32 + SHA-256 per part)',
      server: 'emulator',
      run: () => new Upload({ client: s3, params: { Bucket: 'bench', Key: 'object.bin', Body: createReadStream(source) } }).done().then(() => {}),
    },
    {
      name: "1 GiB PutObject, lib-storage, informed client (16 MiB parts, checksums 'WHEN_REQUIRED'; SHA-256 per part)",
      server: 'emulator',
      run: async () => {
        const body = createReadStream(source, { highWaterMark: MIB });
        await new Upload({ client: informed, params: { Bucket: 'bench', Key: 'object.bin', Body: body }, partSize: 16 * MIB }).done();
      },
    },
    { name: '1 GiB GetObject, streamed, default client', server: 'emulator', run: () => getObject(s3) },
    { name: '1 GiB UploadParts, bare HTTP (the emulator alone: no SDK client)', server: 'emulator', run: () => bareHttpUpload(emulator.url, s3, source) },
    { name: PLAIN_GET, server: 'plain', run: () => getObject(plainS3) },
    { name: PLAIN_PUT, server: 'plain', run: () => putParts(source, (partNumber) => `${plain.url}/part-${partNumber}`).then(() => {}) },
    {
      name: PLAIN_PUT_UNHASHED,
      server: 'plain',
      run: () => putParts(source, (partNumber) => `${plain.url}/part-${partNumber}?md5=no`).then(() => {}),
    },
  ];
  const measurements = new Map<string, Measurement[]>(figures.map((figure) => [figure.name, []]));
  const copyRates: number[] = [];
  try {
    await writeSource(source);
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    for (let round = 0; round < ROUNDS; round++) {
      const before = await durableCopy(source, join(directory, 'copy.bin'));
      const rounds: [string, number, number, number][] = [];
      for (const figure of figures) {
        const serverPid = figure.server === 'emulator' ? pid : plainPid;
        const cpuBefore = cpuSeconds(serverPid);
        const clientBefore = process.cpuUsage();
        const milliseconds = await timed(figure.run);
        const client = process.cpuUsage(clientBefore);
        rounds.push([figure.name, milliseconds, cpuSeconds(serverPid) - cpuBefore, (client.user + client.system) / 1e6]);
        if (figure.server === 'plain') await emptyDirectory(plainDirectory);
      }
      // The faster of the copies around the round is its baseline, to be strict.
      const copyMs = Math.min(before, await durableCopy(source, join(directory, 'copy.bin')));
      for (const [name, milliseconds, cpu, clientCpu] of rounds) {
        measurements.get(name)?.push({
          ratio: copyMs / milliseconds,
          mibPerSecond: megabytesPerSecond(OBJECT_BYTES, milliseconds),
          cpuPerGib: cpu / (OBJECT_BYTES / 1024 ** 3),
          clientCpuPerGib: clientCpu / (OBJECT_BYTES / 1024 ** 3),
        });
      }
      copyRates.push(megabytesPerSecond(OBJECT_BYTES, copyMs));
    }

    const copyRate = median(copyRates);
    const rows = [
      [`figure (median of ${ROUNDS} rounds)`, 'server', 'CPU/GiB: server, client', 'baseline: copyFile + fsync (same disk)', 'ratio', 'target', 'ok?'],
    ];
    const medianOf = (name: string, pick: (measurement: Measurement) => number) => median((measurements.get(name) ?? []).map(pick));
    for (const figure of figures) {
      const of = (pick: (measurement: Measurement) => number) => medianOf(figure.name, pick);
      const ratio = of((measurement) => measurement.ratio);
      if (figure.server === 'plain') {
        rows.push([figure.name, `${of((measurement) => measurement.mibPerSecond).toFixed(0)} MiB/s`, `${of((measurement) => measurement.cpuPerGib).toFixed(1)} s, ${of((measurement) => measurement.clientCpuPerGib).toFixed(1)} s`, `${copyRate.toFixed(0)} MiB/s`, ratio.toFixed(2), '(ceiling)', '']);
        continue;
      }
      rows.push([
        figure.name,
        `${of((measurement) => measurement.mibPerSecond).toFixed(0)} MiB/s`,
        `${of((measurement) => measurement.cpuPerGib).toFixed(1)} s, ${of((measurement) => measurement.clientCpuPerGib).toFixed(1)} s`,
        `${copyRate.toFixed(0)} MiB/s`,
        ratio.toFixed(2),
        `≥ ${MIN_THROUGHPUT_RATIO}`,
        ratio >= MIN_THROUGHPUT_RATIO ? 'yes' : 'NO',
      ]);
    }
    const peak = peakRss(pid);
    rows.push(['emulator peak RSS over the run', `${(peak / 1e6).toFixed(0)} MB`, '', '', '', `≤ ${MAX_PEAK_RSS_BYTES / 1e6} MB`, peak <= MAX_PEAK_RSS_BYTES ? 'yes' : 'NO']);
    printTable(rows);
    const ofPlain = (emulatorFigure: string, plainFigure: string) =>
      (medianOf(emulatorFigure, (measurement) => measurement.mibPerSecond) / medianOf(plainFigure, (measurement) => measurement.mibPerSecond)).toFixed(2);
    console.log(
      `emulator ÷ plain node:http server: GetObject ${ofPlain(figures[2].name, PLAIN_GET)}, bare UploadParts ${ofPlain(figures[3].name, PLAIN_PUT)}`,
    );
    console.log(`(load average now: ${loadavg().map((load) => load.toFixed(1)).join(', ')}; the machine's other work slows both sides)`);
  } finally {
    s3.destroy();
    informed.destroy();
    plainS3.destroy();
    emulator.child.kill('SIGTERM');
    plain.child.kill('SIGTERM');
    await Promise.all([emulator.exited, plain.exited]);
    await rm(directory, { recursive: true, force: true });
  }
}

runBenchmark(main);
