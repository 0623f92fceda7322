import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RecordedEvent } from '@strata/core';
import { createLmdbEventStore } from '../store/create-lmdb-event-store.js';
import type { LmdbEventStore } from '../store/lmdb-event-store.js';

let dir: string;
let store: LmdbEventStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-inline-hook-'));
  store = await createLmdbEventStore({ path: dir, durability: 'none' });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function all(): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

it('hands the handler the events as stored, and its writes commit with them', async () => {
  const seen: RecordedEvent[] = [];
  const db = store.environment.openDB<number, string>('inline-spec', {});
  const unregister = store.registerInlineProjection((events, context) => {
    seen.push(...events);
    for (const event of events) void db.put(event.id, event.position);
    context.saveCheckpoint('spec', events[events.length - 1]!.position);
  });
  await store.append('a-1', [{ type: 'One', data: { n: 1 } }]);
  await store.append('a-1', [{ type: 'Two', data: { n: 2 }, id: 'caller-id' }, { type: 'Three', data: { n: 3 }, metadata: { m: 1 } }]);
  const stored = await all();
  expect(seen.map(({ recordedAt: _, ...rest }) => rest)).toEqual(stored.map(({ recordedAt: _, ...rest }) => rest));
  expect(stored.map((event) => db.get(event.id))).toEqual([0, 1, 2]);
  expect(await store.checkpoints.load('spec')).toBe(2);
  unregister();
  await store.append('a-1', [{ type: 'Four', data: {} }]);
  expect(seen).toHaveLength(3);
});

it('fails only the append whose handler throws or returns a promise; nothing of it is stored', async () => {
  const db = store.environment.openDB<string, string>('inline-spec', {});
  store.registerInlineProjection((events) => {
    for (const event of events) void db.put(event.streamId, event.type);
    const type = events[0]!.type;
    if (type === 'Throw') throw new Error('refused');
    if (type === 'Async') return Promise.resolve() as unknown as void;
  });
  const outcomes = await Promise.allSettled([
    store.append('a-1', [{ type: 'Ok', data: {} }]),
    store.append('a-2', [{ type: 'Throw', data: {} }]),
    store.append('a-3', [{ type: 'Async', data: {} }]),
    store.append('a-4', [{ type: 'Ok', data: {} }]),
  ]);
  expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.position : (o.reason as { code: string }).code))).toEqual([
    0,
    'INLINE_PROJECTION_FAILED',
    'INLINE_PROJECTION_FAILED',
    1,
  ]);
  expect((outcomes[1] as PromiseRejectedResult).reason.cause).toMatchObject({ message: 'refused' });
  expect((await all()).map((event) => event.streamId)).toEqual(['a-1', 'a-4']);
  expect([db.get('a-1'), db.get('a-2'), db.get('a-3'), db.get('a-4')]).toEqual(['Ok', undefined, undefined, 'Ok']);
});

it('runs a function in a write transaction, in order with appends, and rolls back its writes when it throws', async () => {
  const db = store.environment.openDB<number, string>('inline-spec', {});
  const appended = store.append('a-1', [{ type: 'One', data: {} }]);
  const seen = await store.runInWriteTransaction((context) => {
    context.saveCheckpoint('spec', 7);
    return [...store.readAllLazy()].length;
  });
  await appended;
  expect(seen).toBe(1);
  expect(await store.checkpoints.load('spec')).toBe(7);
  await expect(
    store.runInWriteTransaction((context) => {
      void db.put('x', 1);
      context.saveCheckpoint('spec', 8);
      throw new Error('no');
    }),
  ).rejects.toMatchObject({ code: 'INLINE_PROJECTION_FAILED' });
  expect(db.get('x')).toBeUndefined();
  expect(await store.checkpoints.load('spec')).toBe(7);
  expect(() => store.registerInlineProjection(undefined as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
});
