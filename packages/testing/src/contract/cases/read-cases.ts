import { describe, expect, it } from 'vitest';
import type { EventStore, ReadAllOptions, ReadStreamOptions } from '@strata/core';
import type { ContractCases } from '../contract-context.js';
import { collect, event, events, facts } from '../contract-helpers.js';

const versions = async (store: EventStore, stream: string, opts?: ReadStreamOptions) =>
  (await collect(store.readStream(stream, opts))).map((e) => e.version);

/** Writes a small mixed log: two categories, three types, interleaved streams. */
async function mixedLog(store: EventStore): Promise<void> {
  await store.append('account-1', [event('Opened', { n: 0 }), event('Deposited', { n: 1 })]);
  await store.append('order-1', [event('Placed', { n: 2 })]);
  await store.append('account-2', [event('Opened', { n: 3 })]);
  await store.append('account-1', [event('Withdrawn', { n: 4 })]);
  await store.append('order-1', [event('Deposited', { n: 5 }), event('Placed', { n: 6 })]);
  await store.append('account-2-sub', [event('Deposited', { n: 7 })]);
}

const ns = (list: { data: unknown }[]) => list.map((e) => (e.data as { n: number }).n);

/** readStream (forward and backward, from, maxCount) and readAll (from, maxCount, filters). */
export const readCases: ContractCases = ({ store, options }) => {
  describe('readStream', () => {
    it('reads forward from a version (inclusive) with a maximum count', async () => {
      const s = store();
      await s.append('account-1', events(10));
      expect(await versions(s, 'account-1')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await versions(s, 'account-1', { from: 4 })).toEqual([4, 5, 6, 7, 8, 9]);
      expect(await versions(s, 'account-1', { from: 4, maxCount: 3 })).toEqual([4, 5, 6]);
      expect(await versions(s, 'account-1', { maxCount: 2, direction: 'forward' })).toEqual([0, 1]);
      expect(await versions(s, 'account-1', { from: 9 })).toEqual([9]);
      expect(await versions(s, 'account-1', { from: 10 }), 'from past the end').toEqual([]);
      expect(await versions(s, 'account-1', { maxCount: 0 }), 'maxCount 0').toEqual([]);
    }, options.timeoutMs);

    it('reads backward from the last version by default, or from a version (inclusive)', async () => {
      const s = store();
      await s.append('account-1', events(10));
      expect(await versions(s, 'account-1', { direction: 'backward' })).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      expect(await versions(s, 'account-1', { direction: 'backward', from: 4 })).toEqual([4, 3, 2, 1, 0]);
      expect(await versions(s, 'account-1', { direction: 'backward', from: 4, maxCount: 2 })).toEqual([4, 3]);
      expect(await versions(s, 'account-1', { direction: 'backward', maxCount: 3 })).toEqual([9, 8, 7]);
      expect(await versions(s, 'account-1', { direction: 'backward', from: 0 })).toEqual([0]);
      expect(await versions(s, 'account-1', { direction: 'backward', from: 50 }), 'from past the end starts at the last').toEqual([
        9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
      ]);
    }, options.timeoutMs);

    it('yields nothing for a stream that was never written, in either direction', async () => {
      const s = store();
      await s.append('account-1', events(2));
      expect(await versions(s, 'account-2')).toEqual([]);
      expect(await versions(s, 'account-2', { direction: 'backward' })).toEqual([]);
    }, options.timeoutMs);

    it('reads only its own stream, not streams whose id it prefixes', async () => {
      const s = store();
      await s.append('account-1', events(2));
      await s.append('account-10', events(3));
      await s.append('account-1-x', events(1));
      expect((await collect(s.readStream('account-1'))).map((e) => e.streamId)).toEqual(['account-1', 'account-1']);
    }, options.timeoutMs);

    it('reads a long stream in full (more events than a typical page)', async () => {
      const s = store();
      for (let i = 0; i < 5; i++) await s.append('account-1', events(300));
      expect(await versions(s, 'account-1')).toEqual(Array.from({ length: 1500 }, (_, i) => i));
      expect((await versions(s, 'account-1', { direction: 'backward' }))[0]).toBe(1499);
    }, options.timeoutMs);
  });

  describe('readAll', () => {
    it('reads the whole log in position order, or nothing from an empty store', async () => {
      const s = store();
      expect(await collect(s.readAll())).toEqual([]);
      await mixedLog(s);
      expect(ns(await collect(s.readAll()))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }, options.timeoutMs);

    it('reads from a position (inclusive) with a maximum count', async () => {
      const s = store();
      await mixedLog(s);
      const all = await collect(s.readAll());
      const third = all[3]!.position;
      expect(ns(await collect(s.readAll({ from: third })))).toEqual([3, 4, 5, 6, 7]);
      expect(ns(await collect(s.readAll({ from: third, maxCount: 2 })))).toEqual([3, 4]);
      expect(ns(await collect(s.readAll({ maxCount: 3 })))).toEqual([0, 1, 2]);
      expect(ns(await collect(s.readAll({ from: all.at(-1)!.position })))).toEqual([7]);
      expect(await collect(s.readAll({ from: all.at(-1)!.position + 1 })), 'from past the head').toEqual([]);
      expect(await collect(s.readAll({ maxCount: 0 }))).toEqual([]);
      // Resuming after a page: from = last position + 1 continues exactly where the page ended.
      const page = await collect(s.readAll({ maxCount: 3 }));
      expect(ns(await collect(s.readAll({ from: page.at(-1)!.position + 1 })))).toEqual([3, 4, 5, 6, 7]);
    }, options.timeoutMs);

    it('filters by event type, by category (the part before the first dash), and by both', async () => {
      const s = store();
      await mixedLog(s);
      const read = async (opts: ReadAllOptions) => ns(await collect(s.readAll(opts)));
      expect(await read({ filter: { types: ['Opened'] } })).toEqual([0, 3]);
      expect(await read({ filter: { types: ['Deposited', 'Placed'] } })).toEqual([1, 2, 5, 6, 7]);
      expect(await read({ filter: { categories: ['order'] } })).toEqual([2, 5, 6]);
      expect(await read({ filter: { categories: ['account'] } }), 'account-2-sub is in category account').toEqual([0, 1, 3, 4, 7]);
      expect(await read({ filter: { types: ['Deposited'], categories: ['account'] } })).toEqual([1, 7]);
      expect(await read({ filter: { types: [] } }), 'an empty list matches nothing').toEqual([]);
      expect(await read({ filter: {} }), 'an empty filter matches everything').toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(await read({ filter: { types: ['Unknown'] } })).toEqual([]);
      const all = await collect(s.readAll());
      expect(await read({ from: all[2]!.position, maxCount: 2, filter: { categories: ['account'] } }), 'maxCount counts matches').toEqual([
        3, 4,
      ]);
    }, options.timeoutMs);

    it('agrees with readStream on every event', async () => {
      const s = store();
      await mixedLog(s);
      const all = await collect(s.readAll());
      for (const stream of ['account-1', 'order-1', 'account-2', 'account-2-sub']) {
        expect((await collect(s.readStream(stream))).map(facts)).toEqual(all.filter((e) => e.streamId === stream).map(facts));
      }
    }, options.timeoutMs);
  });
};
