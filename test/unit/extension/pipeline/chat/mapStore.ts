// A KeyValueStore in memory, as VS Code's workspaceState is one to the chat's stores: values go
// through JSON on the way in, as a Memento's do, so a test sees what would be kept.
import type { KeyValueStore } from '../../../../../src/pipeline/chat/conversations';

export class MapStore implements KeyValueStore {
  readonly map = new Map<string, unknown>();

  constructor(values: Record<string, unknown> = {}) {
    for (const [key, value] of Object.entries(values)) this.map.set(key, value);
  }

  get<T>(key: string): T | undefined {
    return this.map.get(key) as T | undefined;
  }

  update(key: string, value: unknown): Thenable<void> {
    this.map.set(key, value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}
