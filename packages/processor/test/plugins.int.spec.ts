import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLmdbEventStore, lmdbStoreDescriptor } from '@strata/store-lmdb';
import { createProcessor } from '../dist/index.js';
import { AGGREGATES, codeOf, readAll, tempDir } from './support/helpers.js';

const PLUGINS = new URL('./fixtures/plugins.mjs', import.meta.url);
const dir = tempDir('plugins');
let n = 0;

afterEach(() => {
  delete process.env.FAIL_PLUGIN;
});
afterAll(() => dir.remove());

async function lifecycle(path: string, plugin: string, worker: number): Promise<string[]> {
  const store = await createLmdbEventStore({ path, durability: 'none' });
  try {
    return (await readAll(store, `lifecycle-${plugin}_${worker}`)).map((event) => event.type);
  } finally {
    await store.close();
  }
}

describe("plugins of the processor's pipeline module", () => {
  it('start in order in every worker, contribute to the pipeline, and stop on close', async () => {
    const path = join(dir.path, `run-${++n}`);
    const processor = await createProcessor({ store: lmdbStoreDescriptor({ path, durability: 'none' }), aggregates: AGGREGATES, pipeline: PLUGINS, workers: 2 });
    const result = await processor.execute('counter', 'counter-1', { type: 'add', amount: 1 });
    expect(result.events[0]).toMatchObject({ metadata: { seenBy_first: true, seenBy_second: true, seenBy_third: true } });
    await processor.close();
    for (const worker of [0, 1]) {
      for (const plugin of ['first', 'second', 'third']) expect(await lifecycle(path, plugin, worker)).toEqual(['Started', 'Stopped']);
    }
    // Started in plugin order: the first plugin's stream was written before the second's.
    const store = await createLmdbEventStore({ path, durability: 'none' });
    const started = async (plugin: string) => (await readAll(store, `lifecycle-${plugin}_0`))[0]!.position;
    expect(await started('first')).toBeLessThan(await started('second'));
    expect(await started('second')).toBeLessThan(await started('third'));
    await store.close();
  });

  it('a plugin that fails to start fails the processor, and the plugins started before it (and it) are stopped', async () => {
    for (const workers of [0, 2]) {
      const path = join(dir.path, `run-${++n}`);
      process.env.FAIL_PLUGIN = 'second';
      expect(await codeOf(createProcessor({ store: lmdbStoreDescriptor({ path, durability: 'none' }), aggregates: AGGREGATES, pipeline: PLUGINS, workers }))).toBe(
        'PLUGIN_FAILED',
      );
      const worker = 0;
      expect(await lifecycle(path, 'first', worker)).toEqual(['Started', 'Stopped']);
      expect(await lifecycle(path, 'second', worker)).toEqual(['Started', 'Stopped']);
      expect(await lifecycle(path, 'third', worker)).toEqual([]);
    }
  });
});
