// The chat's kept state on disk: what an update acknowledged is there for the next window at once,
// updates land in their order, a write cut short leaves the previous value, and what workspaceState
// held before is read until the key is first written.
import * as assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DurableKeyValueStore } from '../../../../../src/pipeline/chat/durableStore';
import { makeTempDir } from '../../../../../harness/emulatorClients';
import { MapStore } from './mapStore';

describe('the chat\'s durable store', () => {
  it('gives a new instance (a reloaded window) what an acknowledged update wrote, with no flush', async () => {
    const dir = makeTempDir('chat-store');
    try {
      const store = new DurableKeyValueStore(dir.path);
      await store.update('sagemaker.chat.conversations', [{ id: 'a', title: 'Adding numbers' }]);
      assert.deepEqual(new DurableKeyValueStore(dir.path).get('sagemaker.chat.conversations'), [{ id: 'a', title: 'Adding numbers' }]);
    } finally {
      dir.remove();
    }
  });

  it('keeps a value as JSON reads it back, as a Memento does: undefined members dropped, in memory and on disk', async () => {
    const dir = makeTempDir('chat-store');
    try {
      const store = new DurableKeyValueStore(dir.path);
      await store.update('stats', { tokens: 2, tokensPerSecond: undefined });
      assert.deepEqual(Object.keys(store.get<object>('stats')!), ['tokens']);
      assert.deepEqual(Object.keys(new DurableKeyValueStore(dir.path).get<object>('stats')!), ['tokens']);
    } finally {
      dir.remove();
    }
  });

  it('lands updates in their order, even when the caller does not wait for each', async () => {
    const dir = makeTempDir('chat-store');
    try {
      const store = new DurableKeyValueStore(dir.path);
      const updates = Array.from({ length: 20 }, (_, index) => store.update('k', { index, padding: 'x'.repeat(index % 2 === 0 ? 100_000 : 1) }));
      assert.equal(store.get<{ index: number }>('k')!.index, 19, 'read back at once from memory');
      await Promise.all(updates);
      assert.equal(new DurableKeyValueStore(dir.path).get<{ index: number }>('k')!.index, 19);
      assert.deepEqual(readdirSync(dir.path), ['k.json'], 'no temporary file left behind');
    } finally {
      dir.remove();
    }
  });

  it('keeps the previous value when a write was cut short (its temporary file is not read)', async () => {
    const dir = makeTempDir('chat-store');
    try {
      await new DurableKeyValueStore(dir.path).update('k', 'whole');
      writeFileSync(path.join(dir.path, 'k.json.4242.tmp'), '{"half');
      assert.equal(new DurableKeyValueStore(dir.path).get('k'), 'whole');
    } finally {
      dir.remove();
    }
  });

  it("reads workspaceState's value until the key is written, then its own; clears a key written as undefined", async () => {
    const dir = makeTempDir('chat-store');
    try {
      const before = new MapStore({ formats: { gpt: 'tgi' } });
      const store = new DurableKeyValueStore(dir.path, before);
      assert.deepEqual(store.get('formats'), { gpt: 'tgi' });
      await store.update('formats', { gpt: 'messages' });
      assert.deepEqual(new DurableKeyValueStore(dir.path, before).get('formats'), { gpt: 'messages' });
      await store.update('formats', undefined);
      assert.equal(new DurableKeyValueStore(dir.path, before).get('formats'), undefined);
      // Keys become file names safely.
      await store.update('a/../b key', 1);
      assert.ok(readdirSync(dir.path).includes('a%2F..%2Fb%20key.json'));
    } finally {
      dir.remove();
    }
  });
});
