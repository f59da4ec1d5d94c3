// `npm run bench:faults`: an endpoint of 2 instances (the echo model server of the endpoint tests)
// under 8 callers — the real SageMaker Runtime client with its default (standard) retries, as an
// application calls it — while the instance-failure fault kills one of its instances every 5 s for
// 60 s (issue 13: failed client invocations ≤ 0.1 %, all of them AWS-shaped). Side by side in the
// same run, the same callers for 15 s with no fault give the throughput the kills are measured against.
// Replacement time: from a kill to its replacement serving, as the fault reports it.
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SageMakerClient, waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { FaultView } from '../emulator/faults/faults';
import { startEmulatorProcess } from '../harness/emulatorProcess';
import { deployTestEndpoint } from '../harness/endpoints';
import { median, runBenchmark } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ENDPOINT = 'bench-faults';
const CALLERS = 8;
const BASELINE_MS = 15_000;
const FAULT_MS = 60_000;
const KILL_EVERY_MS = 5000;
const MAX_FAILURE_RATE = 0.001;
const BODY = JSON.stringify({ inputs: 'The cat', parameters: { max_new_tokens: 16 } });

interface Phase {
  invocations: number;
  failures: { name: string; awsShaped: boolean }[];
  /** Invocations the client's retries got through. */
  retried: number;
  seconds: number;
}

/** A failure as the SDK parsed it from an AWS-shaped answer (a status, a fault side, an error code), not a broken connection. */
function isAwsShaped(error: unknown): boolean {
  const shape = error as { $fault?: string; $metadata?: { httpStatusCode?: number }; name?: string };
  return (shape.$fault === 'client' || shape.$fault === 'server') && shape.$metadata?.httpStatusCode !== undefined && !!shape.name && shape.name !== 'Error';
}

async function callFor(runtime: SageMakerRuntimeClient, ms: number): Promise<Phase> {
  const phase: Phase = { invocations: 0, failures: [], retried: 0, seconds: ms / 1000 };
  const deadline = performance.now() + ms;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (performance.now() < deadline) {
        try {
          const answer = await runtime.send(new InvokeEndpointCommand({ EndpointName: ENDPOINT, Body: BODY, ContentType: 'application/json' }));
          if ((answer.$metadata.attempts ?? 1) > 1) phase.retried++;
        } catch (error) {
          phase.failures.push({ name: (error as Error).name, awsShaped: isAwsShaped(error) });
        }
        phase.invocations++;
      }
    }),
  );
  return phase;
}

async function faults(url: string): Promise<FaultView[]> {
  return ((await (await fetch(`${url}/_emulator/faults`)).json()) as { faults: FaultView[] }).faults;
}

async function main(): Promise<void> {
  const emulator = await startEmulatorProcess({ maxConcurrentJobs: 0 });
  const config = { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const sageMaker = new SageMakerClient(config);
  const runtime = new SageMakerRuntimeClient(config);
  try {
    await deployTestEndpoint(emulator.url, ENDPOINT, 'streaming-echo', { instanceCount: 2 });
    await waitUntilEndpointInService({ client: sageMaker, maxWaitTime: 120, minDelay: 1, maxDelay: 1 }, { EndpointName: ENDPOINT });
    await callFor(runtime, 2000); // warm-up
    const baseline = await callFor(runtime, BASELINE_MS);

    let killing = true;
    const kills: string[] = [];
    const refusedKills: string[] = [];
    const killer = (async () => {
      for (let next = performance.now() + KILL_EVERY_MS; killing; next += KILL_EVERY_MS) {
        await delay(Math.max(0, next - performance.now()));
        if (!killing) break;
        // The older of the two: instance 1 (a replacement joins the fleet at its end).
        const response = await fetch(`${emulator.url}/_emulator/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'instance-failure', endpointName: ENDPOINT, instance: 1 }),
        });
        const answer = (await response.json()) as { id?: string; message?: string };
        if (response.ok) kills.push(answer.id!);
        else refusedKills.push(answer.message ?? String(response.status));
      }
    })();
    const underFaults = await callFor(runtime, FAULT_MS);
    killing = false;
    await killer;
    // The last kill's replacement may still be starting: wait for it (bounded) before reading the times.
    for (let waited = 0; waited < 30_000; waited += 250) {
      const pending = (await faults(emulator.url)).filter((fault) => kills.includes(fault.id) && !(fault.done as { replacedBy?: string }).replacedBy);
      if (pending.length === 0) break;
      await delay(250);
    }
    const replacementMs = (await faults(emulator.url))
      .filter((fault) => kills.includes(fault.id))
      .map((fault) => (fault.done as { replacementMs?: number }).replacementMs)
      .filter((ms): ms is number => ms !== undefined);

    const rate = underFaults.failures.length / underFaults.invocations;
    const allAwsShaped = underFaults.failures.every((failure) => failure.awsShaped);
    const throughput = (phase: Phase) => phase.invocations / phase.seconds;
    const names = [...new Set(underFaults.failures.map((failure) => failure.name))].join(', ') || '—';
    console.log(`| figure | measured | baseline (no faults, ${BASELINE_MS / 1000} s) | ratio | budget | pass |`);
    console.log('|---|---|---|---|---|---|');
    console.log(`| invocations (${CALLERS} callers, ${FAULT_MS / 1000} s, ${kills.length} instances killed) | ${underFaults.invocations} | ${baseline.invocations} | | | |`);
    console.log(`| failed invocations (${names}) | ${underFaults.failures.length} | ${baseline.failures.length} | | | |`);
    console.log(`| failure rate | ${(rate * 100).toFixed(3)} % | ${((baseline.failures.length / baseline.invocations) * 100).toFixed(3)} % | | ≤ ${MAX_FAILURE_RATE * 100} % | ${rate <= MAX_FAILURE_RATE ? 'yes' : 'no'} |`);
    console.log(`| failures AWS-shaped | ${underFaults.failures.filter((failure) => failure.awsShaped).length} of ${underFaults.failures.length} | | | all | ${allAwsShaped ? 'yes' : 'no'} |`);
    console.log(`| invocations the client's retries got through | ${underFaults.retried} | ${baseline.retried} | | | |`);
    console.log(`| invocations/s | ${throughput(underFaults).toFixed(0)} | ${throughput(baseline).toFixed(0)} | ${(throughput(underFaults) / throughput(baseline)).toFixed(2)} | | |`);
    console.log(
      `| replacement time (kill → replacement serving), median / max of ${replacementMs.length} | ${(median(replacementMs) / 1000).toFixed(2)} s / ${(Math.max(...replacementMs) / 1000).toFixed(2)} s | | | | |`,
    );
    if (refusedKills.length) console.log(`(${refusedKills.length} kills refused: ${refusedKills.join('; ')})`);
    console.log('(Callers, emulator and containers share these 2 cores; a replacement waits the runtime\'s 1 s replace delay before it starts.)');
  } finally {
    sageMaker.destroy();
    runtime.destroy();
    await emulator.stop();
  }
}

runBenchmark(main);
