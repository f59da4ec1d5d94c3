// The `sagemaker-emulator` command as a real process (the compiled out/emulator/cli.js; the bundled
// dist/emulator.js too, for start-up time, when it has been built).
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_PATH, makeTempDir, s3Client, spawnCli } from '../../harness/emulatorClients';

const BUNDLE_PATH = join(__dirname, '..', '..', '..', 'dist', 'emulator.js');

function runCli(args: string[]) {
  return spawnSync(process.execPath, [CLI_PATH, ...args], { encoding: 'utf8', timeout: 10_000 });
}

describe('sagemaker-emulator CLI', () => {
  let dataDir: ReturnType<typeof makeTempDir>;
  before(() => (dataDir = makeTempDir('emulator-cli')));
  after(() => dataDir.remove());

  it('prints exactly one "listening on" line, then stops cleanly on SIGTERM with its data flushed', async () => {
    const emulator = await spawnCli(['--port', '0', '--data-dir', dataDir.path]);
    assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const s3 = s3Client(emulator.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'cli-bucket' }));
    s3.destroy();
    emulator.child.kill('SIGTERM');
    assert.equal(await emulator.exited, 0);
    assert.equal(emulator.stderr(), '');

    const again = await spawnCli(['--port', '0', '--data-dir', dataDir.path]);
    const client = s3Client(again.url);
    await client.send(new HeadBucketCommand({ Bucket: 'cli-bucket' }));
    client.destroy();
    again.child.kill('SIGINT');
    assert.equal(await again.exited, 0);
  });

  it('stops on POST /_emulator/shutdown as on SIGTERM, and keeps its log in the data folder', async () => {
    const emulator = await spawnCli(['--port', '0', '--data-dir', dataDir.path]);
    const health = (await (await fetch(`${emulator.url}/_emulator/health`)).json()) as { dataDir: string; pid: number };
    assert.equal(health.dataDir, dataDir.path);
    assert.equal(health.pid, emulator.child.pid);
    const refused = await fetch(`${emulator.url}/_emulator/shutdown`); // a GET stops nothing
    assert.equal(refused.status, 404);
    const response = await fetch(`${emulator.url}/_emulator/shutdown`, { method: 'POST' });
    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { stopping: true, pid: emulator.child.pid });
    assert.equal(await emulator.exited, 0);
    const log = readFileSync(join(dataDir.path, 'emulator.log'), 'utf8');
    assert.match(log, new RegExp(`listening on ${emulator.url.replace(/\./g, '\\.')} \\(pid ${emulator.child.pid}, data in ${dataDir.path.replace(/\./g, '\\.')}\\)\n`));
    assert.match(log, /stopping\n$/);
  });

  it('exits 1 with one clear line when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = runCli(['--port', String(port), '--data-dir', dataDir.path]);
      assert.equal(result.status, 1);
      assert.equal(result.stderr, `port ${port} is already in use; pick another with --port\n`);
      assert.equal(result.stdout, '');
    } finally {
      blocker.close();
    }
  });

  it('exits 2 with the usage on a bad flag or port, and 0 with it on --help', () => {
    for (const args of [['--nope'], ['--port', 'abc'], ['--port', '70000'], ['stray-argument'], ['--autoscaling-period', '0']]) {
      const result = runCli(args);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, /usage: sagemaker-emulator/, args.join(' '));
    }
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: sagemaker-emulator \[--port N\] \[--host H \[--insecure-bind\]\] \[--allow-host NAME\]\.\.\. \[--allow-origin ORIGIN\]\.\.\./);
  });

  // How fast it starts is `npm run bench:foundation`'s figure (cold start vs a bare node:http server),
  // not a timed test: a bound here only measures how loaded the machine is.
  it('starts from the bundle and exits 0 on SIGTERM', { skip: !existsSync(BUNDLE_PATH) && 'dist/emulator.js is not built (npm run build)' }, async () => {
    const emulator = await spawnCli(['--port', '0', '--data-dir', dataDir.path], BUNDLE_PATH);
    emulator.child.kill('SIGTERM');
    assert.equal(await emulator.exited, 0);
  });
});
