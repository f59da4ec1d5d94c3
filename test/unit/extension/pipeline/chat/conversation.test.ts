// The chat's conversation rules: the system prompt and stop sequences in each format's request, the
// context budget (whole exchanges, newest kept, at the edge and one past it), the kept conversations
// (bounded, newest first, renamed, deleted, exported), and the echo model servers' streams (the
// emulator's format-echo image) read back by the chat's parser with the stream cut at every byte.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeBody, echoAnswer, parseEchoRequest, streamChunks, EchoRequestError } from '../../../../../emulator/containers/formats/formats';
import {
  ConversationStore,
  conversationToJson,
  conversationToMarkdown,
  defaultTitle,
  MAX_CONVERSATIONS,
  MAX_TURNS,
  type StoredConversation,
} from '../../../../../src/pipeline/chat/conversations';
import { fitHistory, parseStreamEvent, requestBody, ServerSentEvents, type ChatMessage } from '../../../../../src/pipeline/chat/payloads';
import { normalizeParameters, PARAMETER_LIMITS, type ChatParameters, type Turn } from '../../../../../src/pipeline/chat/types';
import { MapStore } from './mapStore';

const PARAMETERS: ChatParameters = { format: 'messages', maxNewTokens: 32, temperature: 0.7, topP: 0.9 };

describe('system prompt and stop sequences', () => {
  it('sends the system prompt first and the stop sequences, in the Messages API', () => {
    const body = requestBody('messages', [], 'hi', { ...PARAMETERS, systemPrompt: 'Be brief.', stop: ['\n\n', 'END'] }) as { messages: ChatMessage[]; stop: string[] };
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
    ]);
    assert.deepEqual(body.stop, ['\n\n', 'END']);
  });

  it('puts the system prompt before the prompt in TGI, and the stop sequences in its parameters', () => {
    const body = requestBody('tgi', [], 'hi', { ...PARAMETERS, format: 'tgi', systemPrompt: 'Be brief.', stop: ['END'] }) as { inputs: string; parameters: { stop: string[] } };
    assert.equal(body.inputs, 'Be brief.\n\nhi');
    assert.deepEqual(body.parameters.stop, ['END']);
  });

  it('sends neither when empty', () => {
    const body = requestBody('messages', [], 'hi', { ...PARAMETERS, systemPrompt: '  ', stop: [''] }) as Record<string, unknown>;
    assert.equal('stop' in body, false);
    assert.deepEqual(body.messages, [{ role: 'user', content: 'hi' }]);
  });

  it('keeps at most 4 stop sequences, without repeats', () => {
    const four = ['a', 'b', 'c', 'd'];
    assert.deepEqual(normalizeParameters({ ...PARAMETERS, stop: four }).stop, four);
    assert.deepEqual(normalizeParameters({ ...PARAMETERS, stop: [...four, 'e'] }).stop, four);
    assert.deepEqual(normalizeParameters({ ...PARAMETERS, stop: ['a', 'a', 'b'] }).stop, ['a', 'b']);
    assert.equal(PARAMETER_LIMITS.stopSequences.max, 4);
  });
});

describe('the context budget', () => {
  const exchange = (n: number): ChatMessage[] => [
    { role: 'user', content: `q${n}`.padEnd(10, '.') },
    { role: 'assistant', content: `a${n}`.padEnd(10, '.') },
  ];
  const history = [...exchange(1), ...exchange(2), ...exchange(3)]; // 20 characters an exchange

  it('keeps every exchange that fits, at the budget exactly', () => {
    // prompt 5 + system 5 + 3 × 20 = 70
    assert.deepEqual(fitHistory(history, 'p'.repeat(5), 's'.repeat(5), 70), { messages: history, droppedExchanges: 0 });
  });

  it('leaves out the oldest whole exchange one character past it', () => {
    assert.deepEqual(fitHistory(history, 'p'.repeat(5), 's'.repeat(5), 69), { messages: history.slice(2), droppedExchanges: 1 });
  });

  it('always sends the new prompt, even alone over the budget', () => {
    assert.deepEqual(fitHistory(history, 'p'.repeat(100), undefined, 50), { messages: [], droppedExchanges: 3 });
  });
});

describe('kept conversations', () => {
  const turns: Turn[] = [
    { id: 1, role: 'user', text: 'What is **2+2**?\nexplain' },
    { id: 2, role: 'assistant', text: 'It is `4`.', format: 'messages', state: 'done', metrics: { totalMs: 5, tokens: 3 } },
  ];
  const conversation = (id: string, updatedAt: number, endpoint = 'ep'): StoredConversation => ({
    id,
    endpoint,
    title: defaultTitle(turns),
    createdAt: 1,
    updatedAt,
    parameters: { ...PARAMETERS, systemPrompt: 'Be brief.' },
    turns,
  });

  it('lists newest first, finds an endpoint\'s latest, renames and deletes', async () => {
    const store = new ConversationStore(new MapStore());
    await store.save(conversation('a', 10));
    await store.save(conversation('b', 30, 'other'));
    await store.save(conversation('c', 20));
    assert.deepEqual(store.list().map((kept) => kept.id), ['b', 'c', 'a']);
    assert.equal(store.latest('ep')?.id, 'c');
    await store.rename('a', '  Arithmetic  ');
    assert.equal(store.get('a')?.title, 'Arithmetic');
    await assert.rejects(store.rename('a', '   '), /needs a name/);
    await store.delete('c');
    assert.equal(store.latest('ep')?.id, 'a');
    assert.equal(store.get('c'), undefined);
  });

  it(`keeps the newest ${MAX_CONVERSATIONS} conversations and the newest ${MAX_TURNS} turns of each`, async () => {
    const store = new ConversationStore(new MapStore());
    for (let index = 0; index < MAX_CONVERSATIONS; index++) await store.save(conversation(`c${index}`, index));
    assert.equal(store.list().length, MAX_CONVERSATIONS);
    await store.save(conversation('newest', 1_000));
    assert.equal(store.list().length, MAX_CONVERSATIONS);
    assert.equal(store.get('c0'), undefined, 'the oldest went');
    const long: Turn[] = Array.from({ length: MAX_TURNS + 1 }, (_, index) => ({ id: index, role: 'user' as const, text: `t${index}` }));
    await store.save({ ...conversation('long', 2_000), turns: long });
    const kept = store.get('long')!.turns;
    assert.equal(kept.length, MAX_TURNS);
    assert.equal(kept[0].id, 1);
  });

  it('saves an answer still streaming as stopped, and ignores what is not a conversation', async () => {
    const memento = new MapStore();
    const store = new ConversationStore(memento);
    await store.save({ ...conversation('s', 1), turns: [{ id: 1, role: 'assistant', text: 'par', format: 'messages', state: 'streaming' }] });
    assert.equal((store.get('s')!.turns[0] as { state: string }).state, 'stopped');
    memento.map.set('sagemaker.chat.conversations', [42, { id: 'x' }, ...store.list()]);
    assert.deepEqual(store.list().map((kept) => kept.id), ['s']);
  });

  it('names a conversation after its first prompt\'s first line', () => {
    assert.equal(defaultTitle(turns), 'What is 2+2?');
    assert.equal(defaultTitle([]), 'New conversation');
    assert.equal(defaultTitle([{ id: 1, role: 'user', text: 'x'.repeat(80) }]).length, 60);
  });

  it('exports to Markdown (prompts quoted, answers as written) and to JSON (everything)', () => {
    const markdown = conversationToMarkdown(conversation('a', Date.UTC(2026, 0, 2)));
    assert.equal(
      markdown,
      [
        '# What is 2+2?',
        '',
        'Endpoint: `ep` · 2026-01-02T00:00:00.000Z',
        '',
        '**System prompt**',
        '',
        '> Be brief.',
        '',
        '## You',
        '',
        '> What is **2+2**?',
        '> explain',
        '',
        '## ep',
        '',
        'It is `4`.',
        '',
      ].join('\n'),
    );
    assert.deepEqual(JSON.parse(conversationToJson(conversation('a', 5))), conversation('a', 5));
  });
});

describe('echo model servers, read by the chat\'s parser', () => {
  /** The text and finish reason the chat reads from `stream`, delivered in parts cut at `cut`. */
  function read(stream: string, cut: number): { text: string; finishReason?: string } {
    const bytes = new TextEncoder().encode(stream);
    const events = new ServerSentEvents();
    const data = [...events.push(bytes.subarray(0, cut)), ...events.push(bytes.subarray(cut)), ...events.end()];
    let text = '';
    let finishReason: string | undefined;
    for (const event of data.map(parseStreamEvent)) {
      text += event.text;
      finishReason = event.finishReason ?? finishReason;
      if (event.done) break;
    }
    return { text, ...(finishReason ? { finishReason } : {}) };
  }

  const prompt = 'Héllo wörld — a “long” answer 🙂 with\nnew lines';

  for (const [format, body, finish] of [
    ['messages', requestBody('messages', [], prompt, { ...PARAMETERS, maxNewTokens: 100 }), 'stop'],
    ['tgi', requestBody('tgi', [], prompt, { ...PARAMETERS, format: 'tgi', maxNewTokens: 100 }), 'eos_token'],
    ['lmi', requestBody('tgi', [], prompt, { ...PARAMETERS, format: 'tgi', maxNewTokens: 100 }), undefined],
    ['jumpstart', requestBody('jumpstart', [], prompt, { ...PARAMETERS, format: 'jumpstart', maxNewTokens: 100 }), undefined],
  ] as const) {
    it(`${format}: the whole answer, with the stream cut at every byte`, () => {
      const request = parseEchoRequest(format, JSON.stringify(body), format === 'jumpstart' ? 'accept_eula=true' : undefined);
      const stream = streamChunks(format, echoAnswer(request)).chunks.join('');
      const length = new TextEncoder().encode(stream).length;
      for (let cut = 0; cut <= length; cut++) {
        assert.deepEqual(read(stream, cut), { text: prompt, ...(finish ? { finishReason: finish } : {}) }, `cut at byte ${cut}`);
      }
    });
  }

  it('stops at max new tokens (a word a token) and at a stop sequence', () => {
    const request = parseEchoRequest('messages', JSON.stringify(requestBody('messages', [], 'one two three four', { ...PARAMETERS, maxNewTokens: 2 })), undefined);
    assert.deepEqual(echoAnswer(request), { tokens: ['one ', 'two '], finishReason: 'length' });
    const stopped = parseEchoRequest('tgi', JSON.stringify(requestBody('tgi', [], 'one two END three', { ...PARAMETERS, format: 'tgi', stop: ['END'] })), undefined);
    assert.deepEqual(echoAnswer(stopped), { tokens: ['one ', 'two '], finishReason: 'stop_sequence' });
    assert.equal(read(streamChunks('tgi', echoAnswer(stopped)).chunks.join(''), 0).finishReason, 'stop_sequence');
  });

  it('JumpStart needs accept_eula=true in CustomAttributes, answers the last user turn of its one dialog, whole, as a generation', () => {
    const dialog = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'earlier' },
      { role: 'assistant', content: 'yes' },
      { role: 'user', content: 'hi there' },
    ];
    const body = JSON.stringify({ inputs: [dialog], parameters: { max_new_tokens: 10, top_p: 0.9, temperature: 0.6 } });
    assert.throws(() => parseEchoRequest('jumpstart', body, undefined), (error: EchoRequestError) => error.status === 424 && /accept_eula=true/.test(error.message));
    assert.throws(() => parseEchoRequest('jumpstart', body, 'accept_eula=false'), EchoRequestError);
    const request = parseEchoRequest('jumpstart', body, 'x=1; accept_eula=true');
    assert.equal(request.prompt, 'hi there');
    // Asked for a stream or not, the model answers whole (its payload has no stream flag).
    assert.equal(parseEchoRequest('jumpstart', JSON.stringify({ ...JSON.parse(body), stream: true }), 'accept_eula=true').stream, false);
    assert.equal(completeBody('jumpstart', echoAnswer(request)), '[{"generation":{"role":"assistant","content":"hi there"}}]');
    assert.deepEqual(streamChunks('jumpstart', echoAnswer(request)).chunks, [completeBody('jumpstart', echoAnswer(request))]);
    const refuses = (inputs: unknown, parameters: object, why: RegExp) =>
      assert.throws(() => parseEchoRequest('jumpstart', JSON.stringify({ inputs, parameters }), 'accept_eula=true'), (error: EchoRequestError) => error.status === 400 && why.test(error.message));
    // A prompt string (TGI's input) is not this model's; a batch of two dialogs is over its batch of one.
    refuses('<s>[INST] hi [/INST]', {}, /list of dialogs/);
    refuses([dialog, dialog], {}, /batch of one dialog; inputs has 2/);
    // Roles in its order only: system first, then user and assistant alternating, ending with the user.
    refuses([[{ role: 'assistant', content: 'x' }]], {}, /alternating/);
    refuses([[{ role: 'user', content: 'x' }, { role: 'user', content: 'y' }]], {}, /alternating/);
    refuses([[{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }]], {}, /end with the user/);
    refuses([[{ role: 'system', content: 'x' }]], {}, /no user turn/);
    // Its parameters as documented: a positive integer of tokens, a positive temperature, a top_p in (0, 1].
    refuses([dialog], { max_new_tokens: 0 }, /max_new_tokens must be a positive integer/);
    refuses([dialog], { temperature: 0 }, /temperature must be a positive float/);
    refuses([dialog], { top_p: 1.01 }, /top_p must be a float between 0 and 1/);
    assert.equal(parseEchoRequest('jumpstart', JSON.stringify({ inputs: [dialog], parameters: { max_new_tokens: 1, temperature: 0.01, top_p: 1 } }), 'accept_eula=true').maxNewTokens, 1);
  });

  it('refuses a body in another format as the container would', () => {
    assert.throws(() => parseEchoRequest('tgi', JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }), undefined), (error: EchoRequestError) => error.status === 422);
    assert.throws(() => parseEchoRequest('messages', JSON.stringify({ inputs: 'x' }), undefined), (error: EchoRequestError) => error.status === 400);
    assert.throws(() => parseEchoRequest('custom', 'not json', undefined), /not JSON/);
  });
});
