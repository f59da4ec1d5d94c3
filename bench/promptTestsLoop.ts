// The plain SDK loop `bench:prompt-tests` compares the prompt-test CLI against: 100 streamed
// InvokeEndpointWithResponseStream calls, 4 in flight, each stream read to its end — the calls the
// CLI makes for the bench's file (its TGI body for greedy decoding). Run in the bench's own process
// (`sdkLoop`), and as the script a user would write and run to compare (`node promptTestsLoop.js URL
// ENDPOINT`): a process of its own, Node's start, the SDK's load and the exit included, as the CLI's.
import { InvokeEndpointWithResponseStreamCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { performance } from 'node:perf_hooks';

export const CASES = 100;
export const IN_FLIGHT = 4;
export const MAX_NEW_TOKENS = 16;
export const LOOP_CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

export const prompts = Array.from({ length: CASES }, (_, index) => `The cat number ${index}`);

/** The calls, 4 at a time; resolves to the milliseconds from the first call to the last answer. */
export async function sdkLoop(runtime: SageMakerRuntimeClient, endpoint: string): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < prompts.length) {
      const prompt = prompts[next++];
      const body = { inputs: prompt, parameters: { max_new_tokens: MAX_NEW_TOKENS, details: true }, stream: true };
      const response = await runtime.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: endpoint, Body: new TextEncoder().encode(JSON.stringify(body)), ContentType: 'application/json' }));
      for await (const part of response.Body ?? []) void part;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return performance.now() - started;
}

if (require.main === module) {
  const [url, endpoint] = process.argv.slice(2);
  const runtime = new SageMakerRuntimeClient({ endpoint: url, region: 'us-east-1', credentials: LOOP_CREDENTIALS });
  void sdkLoop(runtime, endpoint).then(
    () => runtime.destroy(),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
