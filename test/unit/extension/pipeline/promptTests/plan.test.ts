// The calls a file makes: the matrix expanded, parameters merged in order, endpoints chosen for
// the run replacing the file's.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { eventReader } from '../../../../../src/pipeline/chat/formats';
import { callRequest, readWholeAnswer } from '../../../../../src/pipeline/promptTests/invoke';
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
  assert.deepEqual(callRequest(messages), { body: {
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
    ],
    max_tokens: 256,
    temperature: 0,
    top_p: 1,
    stream: true,
  } });
  const [tgi] = planCalls(file('format: tgi\nstream: false\ncases:\n  - name: one\n    prompt: hi\n'), { endpoints: ['e'] });
  assert.deepEqual(callRequest(tgi), { body: { inputs: 'hi', parameters: { max_new_tokens: 256, details: true }, stream: false } });
});

/** The request of the file's one case, streamed and whole. */
function requests(text: string) {
  const streamed = planCalls(file(text), { endpoints: ['e'] })[0];
  const whole = planCalls(file(`stream: false\n${text}`), { endpoints: ['e'] })[0];
  return { streamed: callRequest(streamed), whole: callRequest(whole), spec: streamed.spec };
}

it('writes LMI/DJL requests through the chat\'s codec: the system prompt before the prompt, stream on or off, no CustomAttributes', () => {
  const { streamed, whole } = requests('format: lmi\nparameters: { maxNewTokens: 8, temperature: 0.5 }\ncases:\n  - name: one\n    system: be brief\n    prompt: hi\n');
  assert.deepEqual(streamed, { body: { inputs: 'be brief\n\nhi', parameters: { max_new_tokens: 8, do_sample: true, temperature: 0.5 }, stream: true } });
  assert.deepEqual(whole, { body: { inputs: 'be brief\n\nhi', parameters: { max_new_tokens: 8, do_sample: true, temperature: 0.5 }, stream: false } });
});

it('writes JumpStart requests with the whole conversation, sending accept_eula=true only when the file accepts the EULA', () => {
  const conversation = 'cases:\n  - name: one\n    messages:\n      - { role: system, content: be brief }\n      - { role: user, content: hi }\n      - { role: assistant, content: hello }\n      - { role: user, content: again }\n';
  const dialog = [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'hello' },
    { role: 'user', content: 'again' },
  ];
  // The conversation as one dialog in `inputs` (AWS's JumpStart Llama 2 chat payload), no stream flag,
  // greedy decoding without a temperature (it must be positive there): the same body streamed or whole.
  const body = { inputs: [dialog], parameters: { max_new_tokens: 256 } };
  const refused = requests(`format: jumpstart\n${conversation}`);
  assert.deepEqual(refused.streamed, { body });
  assert.deepEqual(refused.whole, { body });
  const accepted = requests(`format: jumpstart\nacceptEula: true\n${conversation}`);
  assert.deepEqual(accepted.streamed, { body, customAttributes: 'accept_eula=true' });
  assert.deepEqual(accepted.whole, accepted.streamed);
  const sampled = requests(`format: jumpstart\nparameters: { temperature: 0.6, topP: 0.9 }\n${conversation}`);
  assert.deepEqual(sampled.streamed, { body: { ...body, parameters: { max_new_tokens: 256, temperature: 0.6, top_p: 0.9 } } });
  // Accepting a EULA is about JumpStart: another format of the same file sends no header.
  const [, messages] = planCalls(file(`format: jumpstart\nacceptEula: true\nmatrix:\n  parameters: [{ name: js }, { name: m, format: messages }]\n${conversation}`), { endpoints: ['e'] });
  assert.equal(callRequest(messages).customAttributes, undefined);
});

it('writes a custom template\'s request with typed values, turning its stream flag off for a whole answer, and reads the answer by its paths', () => {
  const { streamed, whole, spec } = requests(
    'format: custom\ntemplate:\n  request: { prompt: "Q: {{prompt}}", max_length: "{{max_new_tokens}}", stream: true }\n  answerPath: $.output.text\n  chunkPath: $.delta.text\nparameters: { maxNewTokens: 12 }\ncases:\n  - name: one\n    prompt: hi\n',
  );
  assert.deepEqual(streamed, { body: { prompt: 'Q: hi', max_length: 12, stream: true } });
  assert.deepEqual(whole, { body: { prompt: 'Q: hi', max_length: 12, stream: false } });
  const read = eventReader(spec);
  assert.deepEqual(read('{"delta":{"text":"Hel"}}'), { text: 'Hel', tokens: 1 });
  assert.deepEqual(readWholeAnswer('{"output":{"text":"Hello there"}}', read), { text: 'Hello there', tokens: undefined });
  const messages = requests('format: custom\ntemplate:\n  request: \'{"chat": "{{messages}}"}\'\n  answerPath: $.text\ncases:\n  - name: one\n    system: be brief\n    prompt: hi\n');
  assert.deepEqual(messages.whole, { body: { chat: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }] } }, 'no stream flag added to a template without one');
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
