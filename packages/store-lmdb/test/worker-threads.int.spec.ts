import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createLmdbEventStore } from '../src/index.js';
import { builtPackageUrl, collect, fixturePath, tempDir } from './support/helpers.js';

type Report = { wins: number; conflicts: number; versions: number[] };

/** Runs the appender fixture in a worker thread that opens the same store path. */
function inWorker(path: string, stream: string, count: number, mode: 'counter' | 'race', name: string): Promise<Report> {
  const worker = new Worker(fixturePath('appender.mjs'), { workerData: { packageUrl: builtPackageUrl(), path, stream, count, mode, name } });
  return new Promise((resolve, reject) => {
    worker.once('message', (report: Report) => resolve(report));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with ${code}`));
    });
  });
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('worker threads on one store', () => {
  it('serialises appends of two workers and the main thread to one stream by expected version', async () => {
    const dir = tempDir('threads');
    cleanups.push(dir.remove);
    const path = join(dir.path, 'store');
    const store = await createLmdbEventStore({ path });
    cleanups.push(() => store.close());
    const workers = Promise.all([inWorker(path, 'shared-1', 100, 'counter', 'w1'), inWorker(path, 'shared-1', 100, 'counter', 'w2')]);
    let expected = -1;
    for (let i = 0; i < 100; ) {
      try {
        const result = await store.append('shared-1', [{ type: 'Written', data: { writer: 'main', i } }], { expectedVersion: expected });
        expected = result.nextExpectedVersion;
        i++;
      } catch (error) {
        expected = (error as { details: { actual: number } }).details.actual;
      }
    }
    await workers;
    const events = await collect(store.readStream('shared-1'));
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 300 }, (_, v) => v));
    for (const writer of ['main', 'w1', 'w2']) {
      const mine = events.filter((e) => (e.data as { writer: string }).writer === writer).map((e) => (e.data as { i: number }).i);
      expect(mine).toEqual(Array.from({ length: 100 }, (_, i) => i));
    }
  });

  it('lets exactly one thread win each version when two workers race', async () => {
    const dir = tempDir('threads-race');
    cleanups.push(dir.remove);
    const path = join(dir.path, 'store');
    const reports = await Promise.all([inWorker(path, 'race-1', 150, 'race', 'w1'), inWorker(path, 'race-1', 150, 'race', 'w2')]);
    const store = await createLmdbEventStore({ path });
    cleanups.push(() => store.close());
    const events = await collect(store.readStream('race-1'));
    expect(events).toHaveLength(150);
    expect(reports[0]!.wins + reports[1]!.wins).toBe(150);
    for (const event of events) expect((event.data as { v: number }).v).toBe(event.version);
  });
});
