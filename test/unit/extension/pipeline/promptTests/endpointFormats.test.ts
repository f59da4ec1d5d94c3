// Prompt-test files that name no format: their calls wait for the endpoint's own format, found once
// per endpoint (the chat's probe, or its memory) and put into each call — the request written in
// it, a JumpStart EULA the file accepts kept — and the calls that cannot be made in it (no known
// format answered, a conversation to a one-prompt format, the probe's own failure) fail with why.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { callRequest } from '../../../../../src/pipeline/promptTests/invoke';
import { planCalls, resolveEndpointFormats, type FindEndpointFormat } from '../../../../../src/pipeline/promptTests/plan';
import { parsePromptFile, type PromptTestFile } from '../../../../../src/pipeline/promptTests/promptFile';
import { runCalls } from '../../../../../src/pipeline/promptTests/runner';
import type { FormatSpec } from '../../../../../src/pipeline/chat/types';

function file(text: string): PromptTestFile {
  const result = parsePromptFile(text);
  assert.ok(result.ok, result.ok ? '' : result.problems.map((problem) => problem.message).join('\n'));
  return result.file;
}

const NO_FORMAT = `acceptEula: true
matrix:
  endpoints: [tgi-ep, js-ep, lmi-ep, silent-ep, gone-ep]
cases:
  - name: one prompt
    prompt: hi
  - name: a conversation
    messages:
      - { role: user, content: first }
      - { role: assistant, content: answer }
      - { role: user, content: second }
`;

/** What each endpoint answers the probe with, and how often it was asked. */
function endpoints(): { find: FindEndpointFormat; asked: string[] } {
  const asked: string[] = [];
  const found: Record<string, FormatSpec | undefined | Error> = { 'tgi-ep': { format: 'tgi' }, 'js-ep': { format: 'jumpstart' }, 'lmi-ep': { format: 'lmi' }, 'silent-ep': undefined, 'gone-ep': new Error('Could not find endpoint "gone-ep".') };
  return {
    asked,
    find: (endpoint) => {
      asked.push(endpoint);
      const answer = found[endpoint];
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

it('reads a file that names no format as one that asks each endpoint, and one that names a format as before', () => {
  assert.equal(file(NO_FORMAT).format, undefined);
  assert.ok(planCalls(file(NO_FORMAT)).every((call) => call.endpointFormat === 'pending'));
  assert.ok(planCalls(file(`format: tgi\n${NO_FORMAT.replace(/ {6}- \{ role: assistant.*\n {6}- \{ role: user, content: second \}\n/, '')}`)).every((call) => call.endpointFormat === undefined));
  // A parameter set naming a format decides for its calls only.
  const calls = planCalls(file(`matrix:\n  endpoints: [a]\n  parameters:\n    - { name: own }\n    - { name: tgi, format: tgi }\ncases:\n  - name: c\n    prompt: hi\n`));
  assert.deepEqual(calls.map((call) => [call.parameterSet, call.endpointFormat]), [['own', 'pending'], ['tgi', undefined]]);
});

it('asks each endpoint once, and writes each call in what it answered', async () => {
  const { find, asked } = endpoints();
  const calls = await resolveEndpointFormats(planCalls(file(NO_FORMAT)), find, new AbortController().signal);
  assert.deepEqual([...asked].sort(), ['gone-ep', 'js-ep', 'lmi-ep', 'silent-ep', 'tgi-ep']);
  const call = (caseName: string, endpoint: string) => calls.find((candidate) => candidate.caseName === caseName && candidate.endpoint === endpoint)!;
  assert.equal(call('one prompt', 'tgi-ep').endpointFormat, undefined);
  assert.deepEqual(call('one prompt', 'tgi-ep').spec, { format: 'tgi' });
  assert.equal(call('one prompt', 'tgi-ep').parameters.format, 'tgi');
  assert.deepEqual((callRequest(call('one prompt', 'tgi-ep')).body as { inputs: string }).inputs, 'hi');
  // JumpStart: the file's acceptEula goes with it; the conversation is carried.
  const jumpstart = call('a conversation', 'js-ep');
  assert.deepEqual(jumpstart.spec, { format: 'jumpstart', acceptEula: true });
  assert.equal(callRequest(jumpstart).customAttributes, 'accept_eula=true');
  // A conversation to a format that sends one prompt: refused with what to do.
  assert.deepEqual(call('a conversation', 'lmi-ep').endpointFormat, {
    problem: 'lmi-ep answers in LMI/DJL, which sends one prompt, not a conversation: use prompt (and system) in this case, or set a format that carries one.',
  });
  assert.equal(call('one prompt', 'lmi-ep').endpointFormat, undefined);
  assert.match((call('one prompt', 'silent-ep').endpointFormat as { problem: string }).problem, /^silent-ep answered none of the known formats: set format: in the file/);
  assert.match(((call('one prompt', 'gone-ep').endpointFormat as { error: Error }).error).message, /Could not find endpoint/);
});

it('fails the calls that have no format with why, the probe\'s own failure described as any call\'s, without invoking them', async () => {
  const { find } = endpoints();
  const calls = (await resolveEndpointFormats(planCalls(file(NO_FORMAT)), find, new AbortController().signal)).filter((call) => call.caseName === 'one prompt');
  const invoked: string[] = [];
  const results = await runCalls(calls, {
    concurrency: 2,
    invoke: (call) => {
      invoked.push(call.endpoint);
      return Promise.resolve({ text: 'ok', latencyMs: 1 });
    },
    describeFailure: (error) => ({ title: 'Described', message: (error as Error).message }),
  });
  assert.deepEqual(invoked.sort(), ['js-ep', 'lmi-ep', 'tgi-ep']);
  const failureOf = (endpoint: string) => results.find((result) => result.call.endpoint === endpoint)!.failure;
  assert.deepEqual(failureOf('silent-ep'), { title: 'No format to call silent-ep in', message: 'silent-ep answered none of the known formats: set format: in the file (messages, tgi, lmi, jumpstart, or custom with a template).' });
  assert.deepEqual(failureOf('gone-ep'), { title: 'Described', message: 'Could not find endpoint "gone-ep".' });
});
