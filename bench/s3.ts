// `node out/bench/s3.js`: S3 throughput of the emulator for a 1 GiB object — PutObject through
// @aws-sdk/lib-storage from a file stream (multipart, 4 parts at a time; once with its defaults,
// once with 16 MiB parts read in 1 MiB chunks, which costs the client less) and GetObject streamed —
// against a local disk copy of the same bytes made durable as the emulator makes its writes
// (copyFile, then fsync), measured in the same run, and the emulator's peak RSS. The throughputs
// are end to end: the SDK client's work (SHA-256 of each part for the signature over http, CRC32,
// copying the stream into parts) is part of them; a last upload through bare HTTP requests (4 parts
// at a time, 16 MiB each, piped from the file) shows the emulator's own share. The emulator is the production bundle in its own
// process, so the memory measured is its own; build it first with
// `npx webpack --mode production --config-name emulator`. Data lives in a temporary directory
// under the OS's (/tmp), deleted at the end. Linux only (peak RSS comes from /proc).
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, open, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { s3Client, spawnCli } from '../test/emulator/helpers';
import { EMULATOR_BUNDLE } from '../test/vscode/paths';

const MIB = 1024 * 1024;
const OBJECT_BYTES = 1024 * MIB;
const MIN_THROUGHPUT_RATIO = 0.5;
const MAX_PEAK_RSS_BYTES = 200 * 1000 * 1000;

interface Row {
  figure: string;
  measured: string;
  baseline: string;
  ratio: number | undefined;
  target: string;
  pass: boolean;
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

/**
 * Milliseconds for the emulator to take the object as parts sent with bare HTTP requests (no
 * signature, no checksum, piped from the file): its own share of an upload.
 */
async function bareHttpUpload(url: string, s3: S3Client, source: string): Promise<number> {
  const partBytes = 16 * MIB;
  const { UploadId = '' } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'bench', Key: 'bare.bin' }));
  const agent = new Agent({ keepAlive: true });
  const etags: string[] = [];
  let next = 0;
  const uploadPart = async (index: number) => {
    const request = httpRequest(`${url}/bench/bare.bin?partNumber=${index + 1}&uploadId=${UploadId}`, {
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
  const milliseconds = await timed(async () => {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < OBJECT_BYTES / partBytes) await uploadPart(next++);
      }),
    );
  });
  agent.destroy();
  const parts = etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 }));
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'bench', Key: 'bare.bin', UploadId, MultipartUpload: { Parts: parts } }));
  return milliseconds;
}

function peakRss(pid: number): number {
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
}

function printTable(rows: Row[]): void {
  const cells = [
    ['figure', 'emulator', 'baseline (same run)', 'ratio', 'target', 'ok?'],
    ...rows.map((row) => [row.figure, row.measured, row.baseline, row.ratio?.toFixed(2) ?? '', row.target, row.pass ? 'yes' : 'NO']),
  ];
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  for (const [index, row] of cells.entries()) {
    console.log(`| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`);
    if (index === 0) console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  }
}

async function main(): Promise<void> {
  if (!existsSync(EMULATOR_BUNDLE)) throw new Error(`${EMULATOR_BUNDLE} is missing: build it with npx webpack --mode production --config-name emulator`);
  const directory = await mkdtemp(join(tmpdir(), 'bench-s3-'));
  const source = join(directory, 'source.bin');
  const emulator = await spawnCli(['--port', '0', '--data-dir', join(directory, 'data')], EMULATOR_BUNDLE);
  const s3 = s3Client(emulator.url);
  try {
    await writeSource(source);
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    // Copies before and after the emulator's turn: the faster one is the baseline, to be strict.
    const copyMs = [await durableCopy(source, join(directory, 'copy.bin'))];
    const putDefaultsMs = await timed(async () => {
      await new Upload({ client: s3, params: { Bucket: 'bench', Key: 'object.bin', Body: createReadStream(source) } }).done();
    });
    const putLargePartsMs = await timed(async () => {
      const body = createReadStream(source, { highWaterMark: MIB });
      await new Upload({ client: s3, params: { Bucket: 'bench', Key: 'object.bin', Body: body }, partSize: 16 * MIB }).done();
    });
    let received = 0;
    const getMs = await timed(async () => {
      const object = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'object.bin' }));
      for await (const chunk of object.Body as Readable) received += (chunk as Buffer).length;
    });
    if (received !== OBJECT_BYTES) throw new Error(`GetObject returned ${received} bytes, not ${OBJECT_BYTES}`);
    const bareMs = await bareHttpUpload(emulator.url, s3, source);
    copyMs.push(await durableCopy(source, join(directory, 'copy.bin')));

    const baseline = megabytesPerSecond(OBJECT_BYTES, Math.min(...copyMs));
    const throughputRow = (figure: string, milliseconds: number): Row => {
      const measured = megabytesPerSecond(OBJECT_BYTES, milliseconds);
      return {
        figure,
        measured: `${measured.toFixed(0)} MiB/s`,
        baseline: `disk copy ${baseline.toFixed(0)} MiB/s`,
        ratio: measured / baseline,
        target: `≥ ${MIN_THROUGHPUT_RATIO} of the copy`,
        pass: measured / baseline >= MIN_THROUGHPUT_RATIO,
      };
    };
    const peak = peakRss(emulator.child.pid ?? 0);
    printTable([
      throughputRow('1 GiB PutObject (lib-storage, default 5 MiB parts)', putDefaultsMs),
      throughputRow('1 GiB PutObject (lib-storage, 16 MiB parts)', putLargePartsMs),
      throughputRow('1 GiB GetObject (streamed)', getMs),
      throughputRow('1 GiB UploadParts, bare HTTP (emulator alone)', bareMs),
      {
        figure: 'emulator peak RSS over the run',
        measured: `${(peak / 1e6).toFixed(0)} MB`,
        baseline: '',
        ratio: undefined,
        target: `≤ ${MAX_PEAK_RSS_BYTES / 1e6} MB`,
        pass: peak <= MAX_PEAK_RSS_BYTES,
      },
    ]);
  } finally {
    s3.destroy();
    emulator.child.kill('SIGTERM');
    await emulator.exited;
    await rm(directory, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
