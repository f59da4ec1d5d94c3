// The format memory keyed by endpoint and the configuration it runs: a format found (or picked) is
// kept while the endpoint runs the same EndpointConfigName, forgotten once it was updated to another
// (another model or image: the next prompt probes again), kept by name alone when the configuration
// cannot be read, and one remembered before configurations were kept is adopted for the current one.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { ENDPOINT_FORMATS_KEY, FormatMemory } from '../../../../../src/pipeline/chat/formatMemory';
import type { EndpointFormat } from '../../../../../src/pipeline/chat/types';
import { MapStore } from './mapStore';


/** Endpoints and the configuration each runs now, as DescribeEndpoint would say; a missing one throws as AccessDenied would. */
function fleet(configs: Record<string, string>): { configOf: (endpoint: string) => Promise<string | undefined>; configs: Record<string, string> } {
  return {
    configs,
    configOf: (endpoint) => (endpoint in configs ? Promise.resolve(configs[endpoint]) : Promise.reject(new Error('AccessDeniedException'))),
  };
}

const TGI: EndpointFormat = { format: 'tgi', how: 'detected' };

it('keeps a format while the endpoint runs the configuration it was found on', async () => {
  const { configOf } = fleet({ bot: 'bot-config-1' });
  const memory = new FormatMemory(new MapStore(), configOf);
  await memory.set('bot', TGI);
  assert.equal(memory.get('bot')?.endpointConfig, 'bot-config-1');
  assert.equal((await memory.current('bot'))?.format, 'tgi');
  assert.equal((await memory.current('bot'))?.format, 'tgi');
});

it('forgets it once the endpoint was updated to another configuration, so the next use probes', async () => {
  const { configOf, configs } = fleet({ bot: 'bot-config-1', other: 'other-config' });
  const memory = new FormatMemory(new MapStore(), configOf);
  await memory.set('bot', { format: 'jumpstart', how: 'chosen', acceptEula: true });
  await memory.set('other', TGI);
  configs.bot = 'bot-config-2'; // UpdateEndpoint: a new configuration, a new model
  assert.equal(await memory.current('bot'), undefined);
  assert.equal(memory.get('bot'), undefined, 'forgotten, EULA and all: it was accepted for the old model');
  assert.equal((await memory.current('other'))?.format, 'tgi', 'other endpoints keep theirs');
  // Remembered again, for the new configuration.
  await memory.set('bot', { format: 'messages', how: 'detected' });
  assert.equal((await memory.current('bot'))?.endpointConfig, 'bot-config-2');
});

it('keeps the format by name alone when the configuration cannot be read', async () => {
  const memory = new FormatMemory(new MapStore(), fleet({}).configOf);
  await memory.set('bot', TGI);
  assert.equal(memory.get('bot')?.endpointConfig, undefined);
  assert.equal((await memory.current('bot'))?.format, 'tgi');
});

it('adopts a format remembered before configurations were kept for the configuration the endpoint runs now', async () => {
  const store = new MapStore();
  store.map.set(ENDPOINT_FORMATS_KEY, { bot: TGI });
  const { configOf, configs } = fleet({ bot: 'bot-config-1' });
  const memory = new FormatMemory(store, configOf);
  assert.equal((await memory.current('bot'))?.endpointConfig, 'bot-config-1');
  configs.bot = 'bot-config-2';
  assert.equal(await memory.current('bot'), undefined);
});
