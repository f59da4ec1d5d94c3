// Unit tests of gradient reduction across hosts over TCP.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LocalGradientReducer, type StepContribution } from '../../../../../emulator/containers/gpt/gradientReduction';
import { Random } from '../../../../../emulator/containers/gpt/model/random';
import { TcpGradientReducer, type HostRing } from '../../../../../emulator/containers/gpt/tcpGradientReducer';
import { DEFAULT_HYPERPARAMETERS, train, type TrainingHyperparameters } from '../../../../../emulator/containers/gpt/trainer';

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Loopback addresses on ports that were free a moment ago. */
async function ringAddresses(hosts: number): Promise<string[]> {
  const servers = await Promise.all(Array.from({ length: hosts }, () => new Promise<net.Server>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => resolve(server));
  })));
  const addresses = servers.map((server) => `127.0.0.1:${(server.address() as net.AddressInfo).port}`);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return addresses;
}

/** Gradients of very different magnitudes, so that summing them in another order changes the bits. */
function shardGradients(count: number, size: number): Float32Array[] {
  const random = Random.fromSeed(17);
  return Array.from({ length: count }, (_, shard) => Float32Array.from({ length: size }, () => random.nextGaussian() * 10 ** (shard % 4 - 2)));
}

describe('gradient reduction across hosts over TCP', () => {
  it('gives every host the sum one host would fold, and agrees on stopping', async () => {
    const size = 1000;
    const shards = shardGradients(6, size);
    const losses = [1.5, 0.25, 3.125, 2, 0.5, 7];
    const ranges: Array<[number, number]> = [[0, 2], [2, 3], [3, 6]];
    const expected = await new LocalGradientReducer(size).reduce({ gradients: shards, losses, stopRequested: false });
    const expectedGradient = Float32Array.from(expected.gradient);
    const reversed = await new LocalGradientReducer(size).reduce({ gradients: [...shards].reverse(), losses, stopRequested: false });
    assert.ok(!sameBits(reversed.gradient, expectedGradient), 'the test data must be sensitive to the order of the sum');

    const addresses = await ringAddresses(3);
    const reducers = await Promise.all(ranges.map((_, rank) => TcpGradientReducer.connect({ rank, addresses }, size)));
    try {
      for (const stopper of [1, undefined]) {
        const results = await Promise.all(reducers.map((reducer, rank) => {
          const [first, end] = ranges[rank];
          const contribution: StepContribution = { gradients: shards.slice(first, end), losses: losses.slice(first, end), stopRequested: rank === stopper };
          return reducer.reduce(contribution);
        }));
        for (const result of results) {
          assert.ok(sameBits(result.gradient, expectedGradient), 'a host got another sum');
          assert.equal(result.lossSum, expected.lossSum);
          assert.equal(result.stopRequested, stopper !== undefined);
        }
      }
    } finally {
      await Promise.all(reducers.map((reducer) => reducer.close()));
    }
  });

  it('refuses a ring of one host and a host that is not the previous one', async () => {
    await assert.rejects(TcpGradientReducer.connect({ rank: 0, addresses: ['127.0.0.1:1'] }, 1), /at least two hosts/);
    const addresses = await ringAddresses(3);
    // Host 0 is misconfigured: its list gives host 2's address for host 1, so it connects to host 2,
    // which expects its previous host, 1.
    const misconfigured: HostRing = { rank: 0, addresses: [addresses[0], addresses[2], addresses[2]] };
    const results = await Promise.allSettled([
      TcpGradientReducer.connect(misconfigured, 1, { timeoutMs: 2000 }),
      TcpGradientReducer.connect({ rank: 2, addresses }, 1, { timeoutMs: 2000 }),
    ]);
    assert.ok(results.some((result) => result.status === 'rejected' && /expected host 1 to connect, got host 0/.test(String(result.reason))), JSON.stringify(results.map((result) => result.status)));
    for (const result of results) {
      if (result.status === 'fulfilled') {
        await result.value.close();
      }
    }
  });
});

describe('training on several hosts', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'gpt-hosts-'));
  const corpus = path.join(directory, 'corpus.txt');
  const random = Random.fromSeed(3);
  writeFileSync(corpus, Array.from({ length: 1500 }, () => `${random.nextInt(1000)} plus ${random.nextInt(1000)} is a number`).join('\n'));
  const hyperparameters: TrainingHyperparameters = {
    ...DEFAULT_HYPERPARAMETERS, vocabSize: 280, layers: 1, heads: 2, width: 16, context: 12, steps: 6, batchSize: 5, microBatchSize: 1,
    warmupSteps: 1, learningRate: 1e-2, validationInterval: 0, shuffleBuffer: 8, tokenizerSampleBytes: 20_000, threads: 2, logInterval: 3,
  };

  it('gives bitwise the weights of one host, with 2 and with 3 hosts', async () => {
    const single = await train({ files: [corpus], hyperparameters, log: () => undefined });
    for (const hosts of [2, 3]) {
      const addresses = await ringAddresses(hosts);
      const runs = await Promise.all(Array.from({ length: hosts }, (_, rank) => train({ files: [corpus], hyperparameters, hosts: { rank, addresses }, log: () => undefined })));
      for (const run of runs) {
        assert.equal(run.step, hyperparameters.steps);
        assert.ok(sameBits(run.parameters, single.parameters), `${hosts} hosts differ from one`);
      }
    }
  });

  it('refuses to go on when the hosts would resume from different steps', async () => {
    // Host 0 saves checkpoints; host 1's folder stays empty, as if the checkpoints were not restored to it.
    const checkpoints = [mkdtempSync(path.join(directory, 'host0-')), mkdtempSync(path.join(directory, 'host1-'))];
    const hosts = (steps: number, addresses: string[]) => Promise.allSettled(checkpoints.map((checkpointDirectory, rank) => train({
      files: [corpus], hyperparameters: { ...hyperparameters, steps }, checkpointDirectory, hosts: { rank, addresses }, log: () => undefined,
    })));
    assert.ok((await hosts(3, await ringAddresses(2))).every(({ status }) => status === 'fulfilled'));
    const results = await hosts(6, await ringAddresses(2));
    const reasons = results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'trained'));
    assert.ok(reasons.every((reason) => /starts at step [03] but host [01] at step [03]: every host must resume from the same checkpoint/.test(reason)), reasons.join('\n'));
  });
});
