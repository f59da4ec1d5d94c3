// The chat's payload codecs for every format, read from the wire the emulator's echo model servers
// write (emulator/containers/formats), cut at every byte; the custom template's placeholders and
// paths; JumpStart's accept_eula header, its refusal and its stop sequences; what a format cannot
// carry said, not dropped; and the streaming renderer's block boundary.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { echoAnswer, EchoRequestError, parseEchoRequest, streamChunks, type EchoFormat } from '../../../../../emulator/containers/formats/formats';
import { carriesHistory, encodeRequest, eventReader, notSentNote, parsePath, templateBody, templateProblem, valueAt, type CustomTemplate, type FormatSpec } from '../../../../../src/pipeline/chat/formats';
import { modelErrorMessage, ServerSentEvents } from '../../../../../src/pipeline/chat/payloads';
import type { ChatParameters } from '../../../../../src/pipeline/chat/types';
import { markdownToHtml } from '../../../../../webview/chat/markdown';
import { stableBoundary } from '../../../../../webview/chat/streamRender';

const PARAMETERS: ChatParameters = { format: 'messages', maxNewTokens: 50, temperature: 0, topP: 1, stop: ['STOP'] };
const TEMPLATE: CustomTemplate = {
  request: '{"prompt": "{{prompt}}", "max_length": "{{max_new_tokens}}", "stream": true, "note": "at most {{max_new_tokens}} tokens"}',
  answerPath: '$.output.text',
  chunkPath: '$.delta.text',
};
const SPECS: Record<EchoFormat, FormatSpec> = {
  messages: { format: 'messages' },
  tgi: { format: 'tgi' },
  lmi: { format: 'lmi' },
  jumpstart: { format: 'jumpstart', acceptEula: true },
  custom: { format: 'custom', template: TEMPLATE },
};

/** The answer `spec`'s reader assembles from `wire`, cut into parts at `cuts`. */
function assemble(spec: FormatSpec, wire: Uint8Array, cuts: number[]): { text: string; tokens: number } {
  const events = new ServerSentEvents();
  const read = eventReader(spec);
  const data: string[] = [];
  let from = 0;
  for (const cut of [...cuts, wire.length]) {
    data.push(...events.push(wire.subarray(from, cut)));
    from = cut;
  }
  data.push(...events.end());
  const parsed = data.map(read);
  return { text: parsed.map((event) => event.text).join(''), tokens: parsed.reduce((sum, event) => sum + event.tokens, 0) };
}

describe('payload formats against the echo model servers', () => {
  for (const format of Object.keys(SPECS) as EchoFormat[]) {
    it(`${format}: the request is read by its server as the prompt, and the streamed answer reads back whole however it is cut`, () => {
      const spec = SPECS[format];
      const request = encodeRequest(spec, [{ role: 'user', content: 'earlier' }, { role: 'assistant', content: 'earlier' }], 'alpha beta gamma STOP delta', PARAMETERS);
      const parsed = parseEchoRequest(format, JSON.stringify(request.body), request.customAttributes);
      const answer = echoAnswer(parsed);
      // This custom template has no {{stop}}: its stop sequence is not sent (notSentNote says so).
      const expected = format === 'custom' ? 'alpha beta gamma STOP delta' : 'alpha beta gamma ';
      assert.equal(answer.tokens.join(''), expected);
      const wire = new TextEncoder().encode(streamChunks(format, answer).chunks.join(''));
      const whole = assemble(spec, wire, []);
      assert.equal(whole.text, expected);
      for (let cut = 1; cut < wire.length; cut++) assert.deepEqual(assemble(spec, wire, [cut]), whole, `${format} cut at byte ${cut}`);
    });
  }

  it('JumpStart: accept_eula=true goes in CustomAttributes only once accepted; without it the server refuses with 424', () => {
    const refused = encodeRequest({ format: 'jumpstart' }, [], 'hi', PARAMETERS);
    assert.equal(refused.customAttributes, undefined);
    assert.throws(() => parseEchoRequest('jumpstart', JSON.stringify(refused.body), refused.customAttributes), (error: { status: number; message: string }) => error.status === 424 && /accept_eula/.test(error.message));
    assert.equal(encodeRequest({ format: 'jumpstart', acceptEula: true }, [], 'hi', PARAMETERS).customAttributes, 'accept_eula=true');
  });

  it('JumpStart: stop sequences go as parameters.stop, a list of strings, and its server ends the answer at one; a stop that is not a list is refused', () => {
    const request = encodeRequest({ format: 'jumpstart', acceptEula: true }, [], 'one two END three', { ...PARAMETERS, stop: ['END', 'XYZ'] });
    assert.deepEqual((request.body as { parameters: object }).parameters, { max_new_tokens: 50, stop: ['END', 'XYZ'] });
    assert.deepEqual(echoAnswer(parseEchoRequest('jumpstart', JSON.stringify(request.body), request.customAttributes)), { tokens: ['one ', 'two '], finishReason: 'stop_sequence' });
    const dialog = [[{ role: 'user', content: 'one END' }]];
    assert.throws(() => parseEchoRequest('jumpstart', JSON.stringify({ inputs: dialog, parameters: { stop: 'END' } }), 'accept_eula=true'), (error: { status: number; message: string }) => error.status === 400 && /stop must be a list of strings/.test(error.message));
  });

  it('JumpStart: the EULA refusal is the one JumpStart\'s Llama 2 service writes through DJL (424, its body as DJL encodes it)', () => {
    const refused = (() => {
      try {
        parseEchoRequest('jumpstart', JSON.stringify({ inputs: [[{ role: 'user', content: 'hi' }]] }), 'accept_eula=false');
      } catch (error) {
        return error as EchoRequestError;
      }
      return assert.fail('a request without accept_eula=true was answered');
    })();
    assert.equal(refused.status, 424);
    assert.equal(
      refused.body,
      '{\n  "code":424,\n  "message":"prediction failure",\n  "error":"Need to pass custom_attributes=\'accept_eula=true\' as part of header. This means you have read and accept the end-user license agreement (EULA) of the model. EULA can be found in model card description or from https://ai.meta.com/resources/models-and-libraries/llama-downloads/."\n}',
    );
    // The chat reads the model server's words out of it.
    assert.equal(modelErrorMessage(refused.body), refused.message);
  });

  it('says what a format cannot carry instead of dropping it: JumpStart\'s seed, a template\'s stop sequences and seed without {{stop}} and {{seed}}', () => {
    const set = { ...PARAMETERS, seed: 7 };
    assert.equal(notSentNote({ format: 'jumpstart' }, set), 'Not sent: the seed — the JumpStart chat format takes none (its parameters are max_new_tokens, temperature, top_p and stop).');
    assert.equal(notSentNote({ format: 'jumpstart' }, PARAMETERS), undefined);
    assert.equal(notSentNote({ format: 'custom', template: TEMPLATE }, set), 'Not sent: the stop sequences and the seed — the custom template has no {{stop}} or {{seed}} for them.');
    assert.equal(notSentNote({ format: 'custom', template: TEMPLATE }, { ...PARAMETERS, stop: [''] }), undefined);
    const both = { ...TEMPLATE, request: '{"prompt": "{{prompt}}", "stop": "{{stop}}", "seed": "{{seed}}", "stream": true}' };
    assert.equal(notSentNote({ format: 'custom', template: both }, set), undefined);
    for (const format of ['messages', 'tgi', 'lmi'] as const) assert.equal(notSentNote({ format }, { ...set, systemPrompt: 'x' }), undefined);
    // A template's {{stop}} is a list (empty when none) and {{seed}} a number or null; the echo server honours the stop.
    const filled = encodeRequest({ format: 'custom', template: both }, [], 'one END two', set).body;
    assert.deepEqual(filled, { prompt: 'one END two', stop: ['STOP'], seed: 7, stream: true });
    assert.deepEqual(templateBody(both, [], 'x', { ...PARAMETERS, stop: undefined }), { prompt: 'x', stop: [], seed: null, stream: true });
    const stopped = encodeRequest({ format: 'custom', template: both }, [], 'one STOP two', set);
    assert.deepEqual(echoAnswer(parseEchoRequest('custom', JSON.stringify(stopped.body), undefined)).tokens, ['one ']);
  });

  it('sends the conversation only in the formats that carry one', () => {
    assert.deepEqual(
      (['messages', 'tgi', 'lmi', 'jumpstart'] as const).map((format) => carriesHistory({ format })),
      [true, false, false, true],
    );
    assert.equal(carriesHistory({ format: 'custom', template: TEMPLATE }), false);
    assert.equal(carriesHistory({ format: 'custom', template: { ...TEMPLATE, request: '{"m": "{{messages}}"}' } }), true);
  });
});

describe('custom template', () => {
  it('fills whole-string placeholders with typed values and embedded ones with text', () => {
    const body = templateBody({ ...TEMPLATE, request: '{"p": "{{prompt}}", "m": "{{messages}}", "n": "{{max_new_tokens}}", "t": "{{temperature}}", "s": "say {{prompt}} in {{max_new_tokens}}", "k": "{{unknown}}"}' }, [], 'hi "you"', {
      ...PARAMETERS,
      systemPrompt: 'Be brief.',
    });
    assert.deepEqual(body, {
      p: 'Be brief.\n\nhi "you"',
      m: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi "you"' },
      ],
      n: 50,
      t: 0,
      s: 'say Be brief.\n\nhi "you" in 50',
      k: '{{unknown}}',
    });
  });

  it('says what is wrong with a template: not JSON, no prompt, no answer path, a bad path', () => {
    assert.match(templateProblem({ ...TEMPLATE, request: '{"prompt": {{prompt}}}' })!, /not JSON/);
    assert.match(templateProblem({ ...TEMPLATE, request: '{"prompt": "hello"}' })!, /\{\{prompt\}\} or \{\{messages\}\}/);
    assert.match(templateProblem({ ...TEMPLATE, answerPath: ' ' })!, /path to the answer/);
    assert.match(templateProblem({ ...TEMPLATE, chunkPath: '$.delta..text' })!, /stream chunk path.*character 8/);
    assert.equal(templateProblem(TEMPLATE), undefined);
    assert.equal(templateProblem({ ...TEMPLATE, chunkPath: '' }), undefined);
  });

  it('reads paths with dots, indexes and quoted names; a path that leads nowhere gives undefined', () => {
    const value = { choices: [{ delta: { content: 'x' } }], 'odd key': { 'a.b': 1 } };
    assert.deepEqual(parsePath("$.choices[0].delta['content']"), ['choices', 0, 'delta', 'content']);
    assert.equal(valueAt(value, parsePath('$.choices[0].delta.content')), 'x');
    assert.equal(valueAt(value, parsePath('choices[0].delta.content')), 'x');
    assert.equal(valueAt(value, parsePath('$["odd key"]["a.b"]')), 1);
    assert.equal(valueAt(value, parsePath('$.choices[1].delta')), undefined);
    assert.equal(valueAt(value, parsePath('$.choices.delta')), undefined);
    assert.throws(() => parsePath('$.choices[x]'), /not valid at character 10/);
  });

  it('reads a whole (not streamed) custom answer by its answer path', () => {
    assert.equal(eventReader(SPECS.custom)('{"output": {"text": "all of it"}}').text, 'all of it');
    assert.equal(eventReader(SPECS.custom)('{"error": "too long"}').error, 'too long');
  });
});

describe('stableBoundary (the streaming renderer)', () => {
  const BLOCKS = [
    'Here is a plan.\n\n',
    '1. first\n2. second\n\n',
    '```python\ndef f():\n\n    return 1\n```\n\n',
    'Then a paragraph\nover two lines.\n\n',
    '~~~\nfence ``` inside\n\n~~~\n\n',
    'tail still growing',
  ];
  const ANSWER = BLOCKS.join('');

  it('cuts only after blank lines outside fences, so the pieces render as the whole does', () => {
    const cuts: number[] = [];
    let from = 0;
    // As a stream grows: the boundary found at each length, only ever forward.
    for (let length = 1; length <= ANSWER.length; length++) {
      const boundary = stableBoundary(ANSWER.slice(0, length), from);
      assert.ok(boundary >= from);
      if (boundary > from) cuts.push(boundary);
      from = boundary;
    }
    const pieces = [0, ...cuts, ANSWER.length].slice(0, -1).map((start, index, starts) => ANSWER.slice(start, starts[index + 1] ?? ANSWER.length));
    assert.equal(pieces.join(''), ANSWER);
    // Exactly at the blocks' ends: the blank lines inside the python and ~~~ fences are not boundaries.
    assert.deepEqual(
      cuts,
      BLOCKS.slice(0, -1).map((_, index) => BLOCKS.slice(0, index + 1).join('').length),
    );
    assert.equal(pieces.map((piece) => markdownToHtml(piece)).join(''), markdownToHtml(ANSWER));
  });

  it('renders an open tail\'s code unhighlighted (escaped, not dropped), and highlights it once closed', () => {
    const open = '```python\nprint("<b>hi</b>")\n';
    assert.equal(markdownToHtml(open, { highlight: false }), '<pre><code class="language-python">print(&quot;&lt;b&gt;hi&lt;/b&gt;&quot;)\n</code></pre>\n');
    assert.match(markdownToHtml(`${open}\`\`\`\n`), /<span class="hljs-built_in">print<\/span>/);
    // The option does not stick: the next render highlights again.
    markdownToHtml(open, { highlight: false });
    assert.match(markdownToHtml(open), /hljs-/);
  });
});
