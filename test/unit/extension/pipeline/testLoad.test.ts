// Unit tests of src's testLoad: the pure logic behind the extension's testLoad, without VS Code.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeTestLoad, percentile, runTestLoad, testLoadBody } from '../../../../src/pipeline/testLoad';

it('takes the nearest-rank percentiles', () => {
  const values = Array.from({ length: 100 }, (_, index) => index + 1);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 95), 95);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile([7], 95), 7);
  assert.equal(percentile([1, 2], 50), 1);
  assert.equal(percentile([], 50), undefined);
});

it('sends every invocation, never more at once than allowed, and counts failures with the first reason', async () => {
  let inFlight = 0;
  let most = 0;
  let calls = 0;
  const result = await runTestLoad(
    async () => {
      const call = ++calls;
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      if (call % 10 === 0) throw new Error(`model error ${call}`);
    },
    { count: 50, ratePerSecond: 100_000, maxInFlight: 4 },
  );
  assert.equal(calls, 50);
  assert.equal(result.sent, 50);
  assert.equal(result.succeeded, 45);
  assert.equal(result.failed, 5);
  assert.equal(result.firstError, 'model error 10');
  assert.equal(result.cancelled, false);
  assert.ok(most <= 4, `at most 4 in flight, saw ${most}`);
  assert.ok(result.p50Ms !== undefined && result.p95Ms !== undefined && result.p50Ms <= result.p95Ms);
  assert.match(describeTestLoad(result), /^50 invocations in \d+\.\d s \(\d+\.\d\/s\): p50 \d+ ms, p95 \d+ ms; 5 failed: model error 10$/);
});

it('stops sending when cancelled, aborts what is in flight, and counts no cancelled call as failed', async () => {
  const cancel = new AbortController();
  let calls = 0;
  const result = await runTestLoad(
    (signal) =>
      new Promise<void>((resolve, reject) => {
        if (++calls === 3) cancel.abort();
        // As the SDK does: an aborted signal rejects at once, and an abort later rejects too.
        if (signal.aborted) reject(new Error('aborted'));
        signal.addEventListener('abort', () => reject(new Error('aborted')));
        if (calls < 3) resolve();
      }),
    { count: 1000, ratePerSecond: 100_000, maxInFlight: 8, signal: cancel.signal },
  );
  assert.equal(result.cancelled, true);
  assert.equal(result.sent, 3);
  assert.equal(result.succeeded, 2);
  assert.equal(result.failed, 0);
  assert.match(describeTestLoad(result), /^Cancelled after 2 of 3 sent invocations/);
  assert.equal(testLoadBody('The cat', 16), '{"inputs":"The cat","parameters":{"max_new_tokens":16}}');
});
