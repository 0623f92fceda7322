import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@strata/core';
import { createLmdbEventStore } from '../src/index.js';
import { builtPackageUrl, collect, eventually, fixturePath, tempDir } from './support/helpers.js';

const run = promisify(execFile);
type Report = { wins: number; conflicts: number; versions: number[] };

/** Runs the appender fixture in a separate Node.js process on the same store path. */
async function inChild(path: string, stream: string, count: number, mode: 'counter' | 'race', name: string): Promise<Report> {
  const { stdout } = await run(process.execPath, [fixturePath('appender.mjs'), builtPackageUrl(), path, stream, String(count), mode, name]);
  return JSON.parse(stdout) as Report;
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function storePath(): string {
  const dir = tempDir('processes');
  cleanups.push(dir.remove);
  return join(dir.path, 'store');
}

describe('several processes on one store', () => {
  it('loses no update when three processes increment one stream with expected versions', async () => {
    const path = storePath();
    const reports = await Promise.all(['a', 'b', 'c'].map((name) => inChild(path, 'counter-1', 120, 'counter', name)));
    const store = await createLmdbEventStore({ path });
    cleanups.push(() => store.close());
    const events = await collect(store.readStream('counter-1'));
    expect(events.map((e) => e.version)).toEqual(events.map((_, v) => v));
    expect(events).toHaveLength(360);
    for (const name of ['a', 'b', 'c']) {
      const mine = events.filter((e) => (e.data as { writer: string }).writer === name).map((e) => (e.data as { i: number }).i);
      expect(mine, `writer ${name} appended each of its events once, in order`).toEqual(Array.from({ length: 120 }, (_, i) => i));
    }
    // Each process's acknowledged versions are exactly the ones its events hold.
    const acknowledged = reports.flatMap((r) => r.versions).sort((x, y) => x - y);
    expect(acknowledged).toEqual(events.map((e) => e.version));
  });

  it('lets exactly one process win each version when two race with the same expected versions', async () => {
    const path = storePath();
    const reports = await Promise.all(['a', 'b'].map((name) => inChild(path, 'race-1', 200, 'race', name)));
    const store = await createLmdbEventStore({ path });
    cleanups.push(() => store.close());
    const events = await collect(store.readStream('race-1'));
    expect(events).toHaveLength(200);
    expect(reports.reduce((sum, r) => sum + r.wins, 0)).toBe(200);
    expect(reports.reduce((sum, r) => sum + r.conflicts, 0)).toBe(200);
    for (const event of events) {
      expect((event.data as { v: number }).v, 'every event sits at the version its writer expected').toBe(event.version);
    }
    const positions = (await collect(store.readAll())).map((e) => e.position);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect(new Set(positions).size).toBe(positions.length);
  });

  it('wakes a live subscription with commits of another process, in position order, without gaps', async () => {
    const path = storePath();
    const store = await createLmdbEventStore({ path, crossProcessPollMs: 10 });
    cleanups.push(() => store.close());
    await store.append('local-1', [{ type: 'Started', data: {} }]);
    const delivered: RecordedEvent[] = [];
    const subscription = store.subscribe({ from: 'start', handler: (event) => void delivered.push(event) });
    await eventually(() => subscription.isLive);
    const child = inChild(path, 'remote-1', 150, 'counter', 'remote');
    for (let i = 0; i < 50; i++) await store.append('local-1', [{ type: 'Local', data: { i } }]);
    await child;
    await eventually(() => delivered.length === 201);
    const all = await collect(store.readAll());
    expect(delivered.map((e) => e.position)).toEqual(all.map((e) => e.position));
    expect(delivered.filter((e) => e.streamId === 'remote-1')).toHaveLength(150);
  });
});
