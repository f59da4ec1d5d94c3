// The prompt-test calls of src/pipeline (promptTests/: the plan resolved by the chat's probe, the
// runner, invokeCall and its streamAnswer/InvokeEndpoint, describeCallFailure, the report and the
// JUnit XML) against an in-process emulator running the echo model servers of every format
// (emulator/containers/formats) through the real SageMaker Runtime client — no stand-ins: a file
// naming no format run in what each endpoint answers, streamed and whole; JumpStart's stop
// sequences and its EULA refusal; an error event inside a stream (the servers' ECHO_STREAM_ERROR_AFTER)
// and a stream broken between events (the endpoint's instance killed mid-answer: ModelStreamError),
// each a failed case with the server's words, never a passing partial answer.
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { ConnectionSettings } from '../../../../../src/connection/settings';
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { probeFormat } from '../../../../../src/pipeline/chat/formats';
import { streamAnswer } from '../../../../../src/pipeline/chat/stream';
import { deployEndpoint } from '../../../../../src/pipeline/deploy';
import { followDeployment } from '../../../../../src/pipeline/endpointUpdates';
import { callRequest, describeCallFailure, invokeCall } from '../../../../../src/pipeline/promptTests/invoke';
import { junitXml } from '../../../../../src/pipeline/promptTests/junit';
import { formatSpec, planCalls, resolveEndpointFormats, type PlannedCall } from '../../../../../src/pipeline/promptTests/plan';
import { parsePromptFile, type PromptTestFile } from '../../../../../src/pipeline/promptTests/promptFile';
import { resultTable, summarize } from '../../../../../src/pipeline/promptTests/report';
import { runCalls, type CallResult } from '../../../../../src/pipeline/promptTests/runner';
import { clientConfig } from '../../../../../harness/emulatorClients';
import { injectFault, startTestEmulator, type TestEmulator } from '../../../../emulator/helpers';

const ROLE = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';
/** Each endpoint: the echo server's format and the rest of its model's environment. */
const ENDPOINTS: Record<string, Record<string, string>> = {
  'echo-messages': { SM_EMULATOR_FORMAT: 'messages' },
  'echo-tgi': { SM_EMULATOR_FORMAT: 'tgi' },
  'echo-lmi': { SM_EMULATOR_FORMAT: 'lmi' },
  'echo-jumpstart': { SM_EMULATOR_FORMAT: 'jumpstart' },
  // Generation that fails after two pieces of every streamed answer, with the format's error event.
  'broken-tgi': { SM_EMULATOR_FORMAT: 'tgi', ECHO_STREAM_ERROR_AFTER: '2' },
  'broken-messages': { SM_EMULATOR_FORMAT: 'messages', ECHO_STREAM_ERROR_AFTER: '2' },
  // A slow answer, its instance killed in the middle of it.
  'doomed-tgi': { SM_EMULATOR_FORMAT: 'tgi', ECHO_TOKEN_INTERVAL_MS: '20' },
};

/** Where the calls go, as the CLI's --emulator URL says it. */
let settings: () => ConnectionSettings;

function file(text: string): PromptTestFile {
  const result = parsePromptFile(text);
  assert.ok(result.ok, result.ok ? '' : result.problems.map((problem) => problem.message).join('\n'));
  return result.file;
}

describe('prompt-test calls against the emulator\'s echo model servers', () => {
  let emulator: TestEmulator;
  let runtime: SageMakerRuntimeClient;

  before(async () => {
    emulator = await startTestEmulator();
    await emulator.restart({ maxConcurrentJobs: 1, endpointTiming: { stopGraceMs: 500, healthCheckTimeoutMs: 20_000 } });
    runtime = new SageMakerRuntimeClient(clientConfig(emulator.url));
    settings = () => ({ mode: 'emulator', region: 'us-east-1', endpoint: emulator.url, autoStart: false });
    await Promise.all(
      Object.entries(ENDPOINTS).map(async ([name, environment]) => {
        await deployEndpoint(emulator.sagemaker, {
          endpointName: name,
          model: { ModelName: name, ExecutionRoleArn: ROLE, PrimaryContainer: { Image: 'sagemaker-emulator/format-echo:latest', Environment: environment } },
          instanceType: 'ml.m5.large',
          instanceCount: 1,
        });
        assert.deepEqual(await followDeployment(emulator.sagemaker, name, name, { intervalMs: 100 }), { kind: 'inService', configName: name });
      }),
    );
  });
  after(async () => {
    runtime.destroy();
    await emulator.close();
  });

  /** The file's calls, each endpoint's format found by the chat's probe, run 4 at a time as the CLI runs them. */
  async function run(text: string, endpoints?: string[]): Promise<CallResult[]> {
    const planned = planCalls(file(text), endpoints ? { endpoints } : {});
    const calls = await resolveEndpointFormats(planned, async (endpoint, signal) => {
      const { format } = await probeFormat(runtime, endpoint, signal);
      return format ? { format } : undefined;
    }, new AbortController().signal);
    return runCalls(calls, {
      concurrency: 4,
      invoke: (call, signal) => invokeCall(runtime, call, signal),
      describeFailure: (error, call) => describeCallFailure(error, call, { settings: settings() }),
    });
  }

  for (const stream of [true, false]) {
    it(`runs a file naming no format in each endpoint's own (the probe's), ${stream ? 'streamed' : 'answered whole'}: every case's answer and assertions, the table and the JUnit XML`, async () => {
      const results = await run(
        `stream: ${stream}
acceptEula: true
matrix:
  endpoints: [echo-messages, echo-tgi, echo-lmi, echo-jumpstart]
cases:
  - name: echoes
    prompt: alpha beta gamma
    assert:
      - equals: alpha beta gamma
  - name: fails on purpose
    prompt: alpha beta
    assert:
      - contains: omega
`,
      );
      assert.equal(results.length, 8);
      for (const result of results) {
        assert.equal(result.failure, undefined, `${result.call.endpoint}: ${result.failure?.message}`);
        assert.equal(result.answer?.text.trim(), result.call.caseName === 'echoes' ? 'alpha beta gamma' : 'alpha beta', result.call.endpoint);
        assert.equal(result.passed, result.call.caseName === 'echoes', `${result.call.caseName} on ${result.call.endpoint}`);
      }
      assert.deepEqual(
        results.filter((result) => result.call.caseName === 'echoes').map((result) => [result.call.endpoint, result.call.spec.format]),
        [['echo-messages', 'messages'], ['echo-tgi', 'tgi'], ['echo-lmi', 'lmi'], ['echo-jumpstart', 'jumpstart']],
      );
      // Tokens: counted from a stream, from `usage`/`details` of a whole answer; unknown where the format does not say (LMI whole, JumpStart).
      const tokens = Object.fromEntries(results.filter((result) => result.call.caseName === 'echoes').map((result) => [result.call.endpoint, result.answer?.tokens]));
      assert.deepEqual(tokens, { 'echo-messages': 3, 'echo-tgi': 3, 'echo-lmi': stream ? 3 : undefined, 'echo-jumpstart': undefined });
      assert.deepEqual(summarize(results), { passed: 4, failed: 4, total: 8 });
      assert.match(resultTable(results), /^FAIL\s+fails on purpose\s+echo-tgi\b.*contains "omega"/m);
      const xml = junitXml('calls', results, 1000);
      assert.equal(xml.match(/<testcase /g)?.length, 8);
      assert.equal(xml.match(/<failure /g)?.length, 4);
    });
  }

  it('JumpStart: stop sequences end the answer where the model writes one (sent as parameters.stop); without acceptEula the case fails with the model\'s refusal and the key to add', async () => {
    const [call] = planCalls(file('format: jumpstart\nacceptEula: true\ncases:\n  - name: stops\n    prompt: one two END three\n'), { endpoints: ['echo-jumpstart'] });
    const stopping: PlannedCall = { ...call, parameters: { ...call.parameters, stop: ['END'] } };
    assert.deepEqual((callRequest(stopping).body as { parameters: { stop: string[] } }).parameters.stop, ['END']);
    for (const stream of [true, false]) {
      const answer = await invokeCall(runtime, { ...stopping, stream }, new AbortController().signal);
      assert.equal(answer.text, 'one two ', stream ? 'streamed' : 'whole');
    }
    assert.equal((await invokeCall(runtime, call, new AbortController().signal)).text, 'one two END three', 'no stop sequence: the whole prompt back');

    const refused = await run('format: jumpstart\ncases:\n  - name: refused\n    prompt: hi\n', ['echo-jumpstart']);
    assert.equal(refused[0].passed, false);
    assert.equal(refused[0].failure?.title, 'The model needs its licence (EULA) accepted');
    assert.match(refused[0].failure!.message, /^add "acceptEula: true" to the file .* The model server said: Need to pass custom_attributes='accept_eula=true' as part of header\. This means you have read and accept the end-user license agreement \(EULA\) of the model\./);
    assert.deepEqual(formatSpec({ acceptEula: false }, 'jumpstart'), { format: 'jumpstart' });
  });

  it('an error event inside the stream fails the case with the server\'s words (TGI\'s and the Messages API\'s shapes), never as a passing partial answer', async () => {
    const results = await run(
      `cases:
  - name: long answer
    prompt: one two three four five six
    assert:
      - contains: one
`,
      ['broken-tgi', 'broken-messages'],
    );
    assert.equal(results.length, 2);
    for (const result of results) {
      assert.equal(result.passed, false, result.call.endpoint);
      assert.equal(result.answer, undefined, 'no answer is checked');
      assert.match(`${result.failure?.title} ${result.failure?.message} ${result.failure?.detail ?? ''}`, /generation failed after 2 pieces/, result.call.endpoint);
    }
    // Whole answers from the same servers are not broken: the error is the stream's.
    const whole = await run('stream: false\ncases:\n  - name: whole\n    prompt: one two\n    assert:\n      - equals: one two\n', ['broken-tgi', 'broken-messages']);
    assert.deepEqual(whole.map((result) => result.passed), [true, true]);
  });

  it('a stream broken between events (the instance killed mid-answer: ModelStreamError) fails the call with why, after the text that came', async () => {
    const [call] = planCalls(file(`format: tgi\ncases:\n  - name: slow\n    prompt: ${Array.from({ length: 400 }, (_, index) => `w${index}`).join(' ')}\n    parameters: { maxNewTokens: 400 }\n`), { endpoints: ['doomed-tgi'] });
    const { body } = callRequest(call);
    let received = '';
    let killed: Promise<unknown> | undefined;
    const error = await streamAnswer(runtime, 'doomed-tgi', body, {
      signal: new AbortController().signal,
      onText: (text) => {
        received += text;
        // Once text has come: the endpoint's one instance dies under the stream.
        killed ??= injectFault(emulator.url, { type: 'instance-failure', endpointName: 'doomed-tgi' });
      },
    }).then(
      (answer) => assert.fail(`the stream ended normally with ${answer.text.length} characters`),
      (thrown: unknown) => thrown as Error,
    );
    await killed;
    assert.ok(received.startsWith('w0 '), 'text came before the break');
    assert.ok(!received.includes('w399'), 'the answer did not reach its end');
    assert.equal(error.name, 'ModelStreamError');
    const failure = describeCallFailure(error, call, { settings: settings() });
    assert.match(`${failure.title} ${failure.message}`, /stream from container primary broke/);
  });
});
