// A Compare kept with its conversation: saved and read back with both sides (labels, parameters,
// answers, figures, a failure), a conversation that began with Compare titled by its prompt, and the
// Markdown and JSON exports carrying both sides.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConversationStore, conversationToJson, conversationToMarkdown, defaultTitle, type StoredConversation } from '../../../../../src/pipeline/chat/conversations';
import { compareSideLabel, type ChatParameters, type ComparisonTurn, type Turn } from '../../../../../src/pipeline/chat/types';
import { MapStore } from './mapStore';


const PARAMETERS: ChatParameters = { format: 'messages', maxNewTokens: 32, temperature: 0.7, topP: 0.9 };

const comparison: ComparisonTurn = {
  id: 3,
  role: 'compare',
  prompt: 'Which **format** answers faster?',
  sides: [
    {
      endpoint: 'bot-v1',
      parameters: { ...PARAMETERS, temperature: 0 },
      label: compareSideLabel(0, { endpoint: 'bot-v1', parameters: { ...PARAMETERS, temperature: 0 } }),
      answer: { endpoint: 'bot-v1', format: 'messages', text: 'The **first**.', state: 'done', metrics: { firstTokenMs: 12, totalMs: 250, tokens: 3, tokensPerSecond: 8, finishReason: 'stop' } },
    },
    {
      endpoint: 'bot-v2',
      preset: 'creative',
      parameters: { ...PARAMETERS, format: 'tgi', temperature: 1.2, maxNewTokens: 6 },
      label: compareSideLabel(1, { endpoint: 'bot-v2', preset: 'creative', parameters: { ...PARAMETERS, temperature: 1.2, maxNewTokens: 6 } }),
      answer: { endpoint: 'bot-v2', format: 'tgi', text: '', state: 'failed', failure: { title: 'bot-v2 failed', message: 'ModelError 500', actions: ['retry'] } },
    },
  ],
};

const conversation = (turns: Turn[]): StoredConversation => ({ id: 'c', endpoint: 'bot-v1', title: defaultTitle(turns), createdAt: 1, updatedAt: Date.UTC(2026, 0, 2), parameters: PARAMETERS, turns });

describe('Compare kept with the conversation', () => {
  it('labels each side by its letter, endpoint, preset and parameters', () => {
    assert.equal(comparison.sides[0].label, 'A · bot-v1 · temperature 0, max 32 tokens');
    assert.equal(comparison.sides[1].label, 'B · bot-v2 · preset creative, temperature 1.2, max 6 tokens');
  });

  it('is saved and read back whole, after the turns before it', async () => {
    const store = new ConversationStore(new MapStore());
    const turns: Turn[] = [{ id: 1, role: 'user', text: 'hi' }, { id: 2, role: 'assistant', text: 'hello', format: 'messages', state: 'done' }, comparison];
    await store.save(conversation(turns));
    const kept = store.get('c')!;
    assert.deepEqual(kept.turns, turns);
    assert.equal(kept.turns[2].role, 'compare');
  });

  it('titles a conversation that began with Compare by its prompt, in plain text', () => {
    assert.equal(defaultTitle([comparison]), 'Which format answers faster?');
  });

  it('exports both sides to Markdown, with their labels, formats, figures and failure', () => {
    const markdown = conversationToMarkdown(conversation([comparison]));
    assert.equal(
      markdown,
      [
        '# Which format answers faster?',
        '',
        'Endpoint: `bot-v1` · 2026-01-02T00:00:00.000Z',
        '',
        '## You, to Compare',
        '',
        '> Which **format** answers faster?',
        '',
        '### A · bot-v1 · temperature 0, max 32 tokens · Messages API',
        '',
        'The **first**.',
        '',
        '*first token 12 ms · 3 tokens in 250 ms · 8.0 tokens/s · end of text*',
        '',
        '### B · bot-v2 · preset creative, temperature 1.2, max 6 tokens · TGI',
        '',
        '*(no text)*',
        '',
        '*bot-v2 failed: ModelError 500*',
        '',
      ].join('\n'),
    );
  });

  it('exports both sides to JSON as kept', () => {
    const exported = JSON.parse(conversationToJson(conversation([comparison]))) as StoredConversation;
    assert.deepEqual(exported.turns, [comparison]);
  });
});
