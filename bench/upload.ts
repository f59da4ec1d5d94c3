// `node out/bench/upload.js`: the extension's upload path (Upload Folder…: src/pipeline/transfers/upload,
// lib-storage multipart with parts in parallel under one request budget) against `aws s3 cp
// --recursive` of the same 256 MiB folder (64 files of 4 MiB) to the same emulator, measured side by
// side in one run. Target (issue 11): the extension's throughput ≥ 0.8 of the AWS CLI's.
//
// Each round uploads the folder once each way, in alternating order (the machine's other load falls
// on both), to fresh prefixes that are deleted after the round; the table shows each round's ratio
// and the median. The S3 client is configured as the extension configures it against the emulator
// (path-style, the SDK's defaults otherwise). Needs the emulator bundle (`npm run build`) and the AWS
// CLI (`.ci/setup` installs it).
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deletePrefix } from '../src/pipeline/transfers/s3Objects';
import { planUpload, uploadFiles } from '../src/pipeline/transfers/upload';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AWS_CLI, s3Client, spawnCli, TEST_CREDENTIALS } from '../harness/emulatorClients';
import { EMULATOR_BUNDLE } from '../harness/paths';
import { median, runBenchmark } from './stats';

const MIB = 1024 * 1024;
const FILES = 64;
const FILE_BYTES = 4 * MIB;
const ROUNDS = 3;
const TARGET_RATIO = 0.8;
const BUCKET = 'bench-upload';

async function main(): Promise<void> {
  if (!existsSync(EMULATOR_BUNDLE)) throw new Error(`${EMULATOR_BUNDLE} is missing: run npm run build first`);
  if (!existsSync(AWS_CLI)) throw new Error(`${AWS_CLI} is missing: run bash .ci/setup (it installs awscli)`);
  const directory = await mkdtemp(join(tmpdir(), 'bench-upload-'));
  const folder = join(directory, 'corpus');
  await mkdir(folder);
  for (let index = 0; index < FILES; index++) await writeFile(join(folder, `shard-${String(index).padStart(2, '0')}.bin`), randomBytes(FILE_BYTES));
  const emulator = await spawnCli(['--port', '0', '--data-dir', join(directory, 'data')], EMULATOR_BUNDLE);
  const s3 = s3Client(emulator.url, { maxAttempts: 3 });
  const totalBytes = FILES * FILE_BYTES;
  const rows: { round: number; extension: number; cli: number }[] = [];
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const viaExtension = async (prefix: string): Promise<number> => {
      const started = performance.now();
      const items = await planUpload([folder], prefix);
      const outcome = await uploadFiles(s3, BUCKET, items);
      if (outcome.failed || outcome.uploaded.length !== FILES) throw new Error(`the extension's upload did not finish: ${outcome.failed?.error ?? `${outcome.uploaded.length} files`}`);
      return totalBytes / ((performance.now() - started) / 1000);
    };
    const viaCli = async (prefix: string): Promise<number> => {
      const started = performance.now();
      // The CLI as a user runs it, with the same credentials and no config (the tests' awsCli has a 20 s bound, too short for 256 MiB under load).
      await promisify(execFile)(AWS_CLI, ['--endpoint-url', emulator.url, 's3', 'cp', '--recursive', '--only-show-errors', folder, `s3://${BUCKET}/${prefix}corpus/`], {
        env: {
          PATH: process.env.PATH,
          HOME: directory,
          AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: join(directory, 'no-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(directory, 'no-credentials'),
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        timeout: 600_000,
      });
      return totalBytes / ((performance.now() - started) / 1000);
    };
    for (let round = 1; round <= ROUNDS; round++) {
      const extensionFirst = round % 2 === 1;
      let extension = 0;
      let cli = 0;
      if (extensionFirst) {
        extension = await viaExtension(`ext-${round}/`);
        cli = await viaCli(`cli-${round}/`);
      } else {
        cli = await viaCli(`cli-${round}/`);
        extension = await viaExtension(`ext-${round}/`);
      }
      await deletePrefix(s3, BUCKET, `ext-${round}/`);
      await deletePrefix(s3, BUCKET, `cli-${round}/`);
      rows.push({ round, extension, cli });
    }
  } finally {
    s3.destroy();
    emulator.child.kill('SIGTERM');
    await emulator.exited;
    await rm(directory, { recursive: true, force: true });
  }
  const ratio = median(rows.map((row) => row.extension / row.cli));
  const mbps = (bytesPerSecond: number) => `${(bytesPerSecond / MIB).toFixed(1)} MiB/s`;
  console.log(`Upload of a 256 MiB folder (${FILES} files of ${FILE_BYTES / MIB} MiB) to the emulator; load average ${loadavg()[0].toFixed(1)}`);
  console.log('| round | extension (Upload Folder…) | aws s3 cp --recursive | ratio |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.round} | ${mbps(row.extension)} | ${mbps(row.cli)} | ${(row.extension / row.cli).toFixed(2)} |`);
  console.log(`| median | | | **${ratio.toFixed(2)}** (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}) |`);
}

runBenchmark(main);
