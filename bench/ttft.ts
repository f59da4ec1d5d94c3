// `npm run bench:ttft`: what the extension's path adds to the time to first token. The chat panel
// and the prompt tests both stream through `streamAnswer` (src/pipeline/chat/stream.ts) with the
// client of AwsClients (standard retries, the connection's settings) and the chat's request body;
// that path's first token is measured against a plain SDK loop — InvokeEndpointWithResponseStream
// on a bare SageMakerRuntimeClient, timed from send to the first PayloadPart carrying text — calls alternating one
// by one in the same run, on the same endpoint. The figure: the extension's path adds
// ≤ 10 ms to the model server's own time to first token. Two model servers: the emulator's echo
// server (Messages API, first token after one 1 ms tick) and the built-in GPT (random weights),
// whose first token includes its prefill. Not measured here: the hop from the extension host to
// the chat's webview (a postMessage), which only the chat's UI sees.
import { SageMakerClient, waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointWithResponseStreamCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { performance } from 'node:perf_hooks';
import { AwsClients } from '../src/aws/clients';
import { requestBody } from '../src/pipeline/chat/payloads';
import { streamAnswer } from '../src/pipeline/chat/stream';
import { DEFAULT_PARAMETERS, type PayloadFormat } from '../src/pipeline/chat/types';
import { startEmulatorProcess } from '../harness/emulatorProcess';
import { deployEchoEndpoint, deployTestEndpoint } from '../harness/endpoints';
import { median } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const CALLS = 150;
const WARM_UP = 10;
const PROMPT = 'The cat sat on the mat';
const BUDGET_MS = 10;

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/**
 * A Messages API stream chunk that carries text: servers send a first chunk with the role and no
 * content, which is not a token. A plain loop looks for this in the bytes, nothing more.
 */
const TEXT_CHUNK = /"content":"[^"]/;

/** The plain loop's first token: send, then the first PayloadPart carrying text. The rest of the stream is read, as a caller would. */
async function plainFirstToken(runtime: SageMakerRuntimeClient, endpoint: string, body: Uint8Array): Promise<number> {
  const started = performance.now();
  const response = await runtime.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: endpoint, Body: body, ContentType: 'application/json' }));
  const decoder = new TextDecoder();
  let first: number | undefined;
  for await (const part of response.Body ?? []) {
    if (first === undefined && part.PayloadPart?.Bytes && TEXT_CHUNK.test(decoder.decode(part.PayloadPart.Bytes))) first = performance.now() - started;
  }
  if (first === undefined) throw new Error(`${endpoint} streamed no text`);
  return first;
}

/** The extension's first token: the chat's body and streamAnswer, whose own figure is what the chat shows. */
async function extensionFirstToken(runtime: SageMakerRuntimeClient, endpoint: string, format: PayloadFormat): Promise<number> {
  const body = requestBody(format, [], PROMPT, { ...DEFAULT_PARAMETERS, format, maxNewTokens: 8, temperature: 0 });
  const answer = await streamAnswer(runtime, endpoint, body, { signal: new AbortController().signal, onText: () => undefined });
  if (answer.metrics.firstTokenMs === undefined) throw new Error(`${endpoint} answered no text`);
  return answer.metrics.firstTokenMs;
}

async function main(): Promise<void> {
  const emulator = await startEmulatorProcess();
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
  const plain = new SageMakerRuntimeClient({ endpoint: emulator.url, region: 'us-east-1', credentials });
  const clients = new AwsClients({ mode: 'emulator', region: 'us-east-1', endpoint: emulator.url, autoStart: false });
  try {
    const servers = [
      { label: 'echo server (Messages API)', endpoint: 'bench-ttft-echo', format: 'messages' as const },
      { label: 'built-in GPT (random weights)', endpoint: 'bench-ttft-gpt', format: 'messages' as const },
    ];
    await deployEchoEndpoint(emulator.url, servers[0].endpoint, 'messages', { timeoutMs: 60_000, tokenIntervalMs: 1 });
    await deployTestEndpoint(emulator.url, servers[1].endpoint, 'random-gpt');
    const sageMaker = new SageMakerClient({ endpoint: emulator.url, region: 'us-east-1', credentials });
    await waitUntilEndpointInService({ client: sageMaker, maxWaitTime: 120, minDelay: 1, maxDelay: 2 }, { EndpointName: servers[1].endpoint });
    sageMaker.destroy();
    const runtime = await clients.sageMakerRuntime();
    const rows = [['model server', 'plain SDK p50', 'extension p50', 'plain p90', 'extension p90', 'added (p50)']];
    const verdicts: string[] = [];
    for (const server of servers) {
      // The same bytes as the extension sends, so both ask the server for the same work.
      const body = new TextEncoder().encode(JSON.stringify(requestBody(server.format, [], PROMPT, { ...DEFAULT_PARAMETERS, format: server.format, maxNewTokens: 8, temperature: 0 })));
      for (let index = 0; index < WARM_UP; index++) {
        await plainFirstToken(plain, server.endpoint, body);
        await extensionFirstToken(runtime, server.endpoint, server.format);
      }
      const plainTimes: number[] = [];
      const extensionTimes: number[] = [];
      for (let index = 0; index < CALLS; index++) {
        // Alternating which goes first, so a drift in the machine's load falls on both.
        const plainCall = async () => plainTimes.push(await plainFirstToken(plain, server.endpoint, body));
        const extensionCall = async () => extensionTimes.push(await extensionFirstToken(runtime, server.endpoint, server.format));
        for (const [name, call] of index % 2 === 0 ? ([['plain', plainCall], ['extension', extensionCall]] as const) : ([['extension', extensionCall], ['plain', plainCall]] as const)) {
          try {
            await call();
          } catch (error) {
            throw new Error(`${server.label}, call ${index + 1} of ${CALLS}, the ${name} path: ${(error as Error).name}: ${(error as Error).message}`);
          }
        }
      }
      const added = median(extensionTimes) - median(plainTimes);
      rows.push([server.label, `${median(plainTimes).toFixed(1)} ms`, `${median(extensionTimes).toFixed(1)} ms`, `${percentile(plainTimes, 0.9).toFixed(1)} ms`, `${percentile(extensionTimes, 0.9).toFixed(1)} ms`, `${added >= 0 ? '+' : ''}${added.toFixed(1)} ms`]);
      verdicts.push(`${server.label}: ${added.toFixed(1)} ms added (target ≤ ${BUDGET_MS} ms: ${added <= BUDGET_MS ? 'met' : 'NOT met'})`);
    }
    console.log(`time to first token: ${CALLS} streamed calls per path and server, alternating one by one, after ${WARM_UP} warm-up calls each\n`);
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
    console.log(`\n${verdicts.join('\n')}`);
  } finally {
    plain.destroy();
    clients.dispose();
    await emulator.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
