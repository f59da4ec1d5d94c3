// The calls a file makes: the matrix expanded, parameters merged in order, endpoints chosen for
// the run replacing the file's.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { callBody, readWholeAnswer } from '../../../../../src/pipeline/promptTests/invoke';
import { NoEndpointError, planCalls } from '../../../../../src/pipeline/promptTests/plan';
import { parsePromptFile, type PromptTestFile } from '../../../../../src/pipeline/promptTests/promptFile';

function file(text: string): PromptTestFile {
  const result = parsePromptFile(text);
  assert.ok(result.ok, result.ok ? '' : result.problems.map((problem) => problem.message).join('\n'));
  return result.file;
}

const MATRIX = `parameters: { maxNewTokens: 32, temperature: 0.2 }
matrix:
  endpoints: [a, b]
  parameters:
    - { name: greedy, temperature: 0 }
    - { name: tgi, format: tgi, maxNewTokens: 8 }
cases:
  - name: one
    prompt: hi
    parameters: { seed: 3 }
  - name: two
    prompt: there
`;

it('runs every case once per endpoint and parameter set, merging the file\'s, the set\'s and the case\'s parameters', () => {
  const calls = planCalls(file(MATRIX));
  assert.deepEqual(
    calls.map((call) => call.id),
    ['one [a · greedy]', 'one [a · tgi]', 'one [b · greedy]', 'one [b · tgi]', 'two [a · greedy]', 'two [a · tgi]', 'two [b · greedy]', 'two [b · tgi]'],
  );
  assert.deepEqual(calls[0].parameters, { format: 'messages', maxNewTokens: 32, temperature: 0, topP: 1, seed: 3 });
  assert.deepEqual(calls[1].parameters, { format: 'tgi', maxNewTokens: 8, temperature: 0.2, topP: 1, seed: 3 });
  assert.deepEqual(calls[4].parameters, { format: 'messages', maxNewTokens: 32, temperature: 0, topP: 1 });
});

it('lets the endpoints chosen for the run replace the file\'s, and keeps only the cases asked for', () => {
  const calls = planCalls(file(MATRIX), { endpoints: ['c'], only: new Set(['two']) });
  assert.deepEqual(
    calls.map((call) => call.id),
    ['two [c · greedy]', 'two [c · tgi]'],
  );
});

it('names a call by its case alone when there is one endpoint and no parameter sets, decoding greedily by default', () => {
  const calls = planCalls(file('cases:\n  - name: one\n    prompt: hi\n'), { endpoints: ['only'] });
  assert.deepEqual(calls.map((call) => [call.id, call.endpoint]), [['one', 'only']]);
  assert.deepEqual(calls[0].parameters, { format: 'messages', maxNewTokens: 256, temperature: 0, topP: 1 });
});

it('says how to name an endpoint when neither the run nor the file does', () => {
  assert.throws(() => planCalls(file('cases:\n  - name: one\n    prompt: hi\n')), (error: Error) => error instanceof NoEndpointError && /--endpoint NAME/.test(error.message));
});

it('sends the conversation before the last user turn as history, in the Messages API and TGI bodies', () => {
  const [messages] = planCalls(file('cases:\n  - name: one\n    system: be brief\n    prompt: hi\n'), { endpoints: ['e'] });
  assert.deepEqual(callBody(messages), {
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
    ],
    max_tokens: 256,
    temperature: 0,
    top_p: 1,
    stream: true,
  });
  const [tgi] = planCalls(file('format: tgi\nstream: false\ncases:\n  - name: one\n    prompt: hi\n'), { endpoints: ['e'] });
  assert.deepEqual(callBody(tgi), { inputs: 'hi', parameters: { max_new_tokens: 256, details: true }, stream: false });
});

it('reads a whole answer\'s text and token count in both formats', () => {
  assert.deepEqual(
    readWholeAnswer(JSON.stringify({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'length' }], usage: { completion_tokens: 7 } })),
    { text: 'Hello', tokens: 7, finishReason: 'length' },
  );
  assert.deepEqual(readWholeAnswer(JSON.stringify([{ generated_text: 'Hi', details: { finish_reason: 'eos_token', generated_tokens: 2 } }])), { text: 'Hi', tokens: 2, finishReason: 'eos_token' });
  assert.deepEqual(readWholeAnswer('plain words'), { text: 'plain words', tokens: undefined });
  assert.throws(() => readWholeAnswer('{"error":"Input validation error","error_type":"validation"}'), /Input validation error/);
});
