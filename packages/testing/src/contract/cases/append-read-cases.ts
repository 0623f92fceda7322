import { describe, expect, it } from 'vitest';
import { MAX_STREAM_ID_LENGTH, type RecordedEvent } from '@strata/core';
import type { ContractCases } from '../contract-context.js';
import { collect, event, events, expectStrictlyIncreasing, facts } from '../contract-helpers.js';

const RICH_DATA = {
  name: 'Zoë 😀 — ünïcödé',
  amount: 12.5,
  count: -3,
  largest: Number.MAX_SAFE_INTEGER,
  flags: [true, false],
  nested: { list: [1, 'two', null, { deep: [] }], empty: {} },
  nothing: null,
  text: 'line\nbreak "quoted" \\ back',
};

/** Append/read round trips, defaults, isolation, gapless versions and increasing positions. */
export const appendReadCases: ContractCases = ({ store, options }) => {
  describe('append and read round trips', () => {
    it('stores type, data, metadata, id and schemaVersion and reads them back unchanged', async () => {
      const s = store();
      const result = await s.append('order-1', [
        event('Placed', RICH_DATA, { id: 'placed-1', metadata: { correlationId: 'c-1', user: { id: 7 } } }),
        event('Paid', { amount: 10 }, { id: 'paid-1', schemaVersion: 3 }),
        event('Shipped', null, { id: 'shipped-1', metadata: {} }),
      ]);
      expect(result.nextExpectedVersion).toBe(2);
      const read = await collect(s.readStream('order-1'));
      const expected = [
        { type: 'Placed', data: RICH_DATA, id: 'placed-1', metadata: { correlationId: 'c-1', user: { id: 7 } }, schemaVersion: 1 },
        { type: 'Paid', data: { amount: 10 }, id: 'paid-1', metadata: {}, schemaVersion: 3 },
        { type: 'Shipped', data: null, id: 'shipped-1', metadata: {}, schemaVersion: 1 },
      ].map((e, version) => ({ ...e, streamId: 'order-1', version }));
      expect(read.map(({ position: _p, recordedAt: _r, ...rest }) => rest)).toEqual(expected);
      expect(read.at(-1)?.position, 'AppendResult.position is the position of the last appended event').toBe(result.position);
      expect((await collect(s.readAll())).map(facts), 'readAll returns the same events').toEqual(read.map(facts));
    }, options.timeoutMs);

    it('fills in defaults: metadata {}, schemaVersion 1 and a generated id unique across the store', async () => {
      const s = store();
      await s.append('order-1', events(25));
      await s.append('order-2', events(25));
      const all = await collect(s.readAll());
      expect(all).toHaveLength(50);
      for (const recorded of all) {
        expect(recorded.metadata).toEqual({});
        expect(recorded.schemaVersion).toBe(1);
        expect(typeof recorded.id === 'string' && recorded.id.length > 0, `generated id ${String(recorded.id)}`).toBe(true);
      }
      expect(new Set(all.map((e) => e.id)).size, 'generated ids are unique').toBe(50);
    }, options.timeoutMs);

    it('stamps recordedAt with a valid Date that reads back the same every time', async () => {
      const s = store();
      const before = Date.now();
      await s.append('order-1', events(3));
      const first = await collect(s.readStream('order-1'));
      const second = await collect(s.readStream('order-1'));
      const day = 24 * 60 * 60 * 1000;
      first.forEach((recorded, i) => {
        expect(recorded.recordedAt).toBeInstanceOf(Date);
        expect(Number.isNaN(recorded.recordedAt.getTime()), 'recordedAt is a valid date').toBe(false);
        // A sanity bound (catches epoch-0 or unit mix-ups), not a timing assertion.
        expect(Math.abs(recorded.recordedAt.getTime() - before)).toBeLessThan(day);
        expect(second[i]?.recordedAt.getTime()).toBe(recorded.recordedAt.getTime());
      });
    }, options.timeoutMs);

    it('isolates stored events from the objects of the caller and of readers', async () => {
      const s = store();
      const data = { items: [1, 2], owner: { name: 'a' } };
      const metadata = { tags: ['x'] };
      await s.append('order-1', [event('Placed', data, { metadata })]);
      data.items.push(3);
      data.owner.name = 'changed';
      metadata.tags.push('y');
      const [read] = await collect(s.readStream('order-1'));
      expect(read?.data).toEqual({ items: [1, 2], owner: { name: 'a' } });
      expect(read?.metadata).toEqual({ tags: ['x'] });
      (read!.data as { items: number[] }).items.push(99);
      (read!.metadata as { tags: string[] }).tags.push('z');
      const [again] = await collect(s.readStream('order-1'));
      expect(again?.data).toEqual({ items: [1, 2], owner: { name: 'a' } });
      expect(again?.metadata).toEqual({ tags: ['x'] });
    }, options.timeoutMs);

    it('accepts stream ids of the maximum length, with several dashes and non-ASCII characters', async () => {
      const s = store();
      const longest = `long-${'x'.repeat(MAX_STREAM_ID_LENGTH - 5)}`;
      const ids = [longest, 'account-a-b-c', 'bank.account_1-Zoë😀', 'A-1'];
      for (const id of ids) {
        await s.append(id, [event('Opened', { id })]);
        const read = await collect(s.readStream(id));
        expect(read.map((e) => [e.streamId, e.data]), `stream ${id}`).toEqual([[id, { id }]]);
      }
    }, options.timeoutMs);
  });

  describe('versions and positions', () => {
    it('numbers stream versions from 0 without gaps across appends', async () => {
      const s = store();
      let expectedNext = -1;
      for (const size of [1, 3, 2, 1, 4]) {
        const result = await s.append('order-1', events(size));
        expectedNext += size;
        expect(result.nextExpectedVersion, 'nextExpectedVersion is the version of the last event').toBe(expectedNext);
      }
      const versions = (await collect(s.readStream('order-1'))).map((e) => e.version);
      expect(versions).toEqual(Array.from({ length: 11 }, (_, i) => i));
    }, options.timeoutMs);

    it('gives positions that strictly increase in commit order, within and across appends and streams', async () => {
      const s = store();
      const results: { stream: string; count: number; position: number }[] = [];
      for (let i = 0; i < 12; i++) {
        const stream = `order-${i % 3}`;
        const count = (i % 4) + 1;
        const result = await s.append(stream, events(count));
        results.push({ stream, count, position: result.position });
      }
      expectStrictlyIncreasing(results.map((r) => r.position), 'AppendResult.position of sequential appends');
      const all = await collect(s.readAll());
      expectStrictlyIncreasing(all.map((e) => e.position), 'readAll positions');
      expect(all.at(-1)?.position).toBe(results.at(-1)?.position);
      for (const stream of ['order-0', 'order-1', 'order-2']) {
        const read = await collect(s.readStream(stream));
        expectStrictlyIncreasing(read.map((e) => e.position), `positions in ${stream}`);
        const byPosition = new Map(all.map((e) => [e.position, e] as const));
        for (const recorded of read) {
          expect(facts(byPosition.get(recorded.position) as RecordedEvent), 'readStream and readAll agree').toEqual(facts(recorded));
        }
      }
      // Each append's events sit before the next append's first event and end at its result position.
      let previous = -1;
      for (const result of results) {
        const mine = all.filter((e) => e.position > previous && e.position <= result.position);
        expect(mine.map((e) => e.streamId), 'an append occupies its own run of positions').toEqual(
          Array.from({ length: result.count }, () => result.stream),
        );
        previous = result.position;
      }
    }, options.timeoutMs);

    it('reports headPosition -1 for an empty store and the last appended position afterwards', async () => {
      const s = store();
      expect(await s.headPosition()).toBe(-1);
      const first = await s.append('order-1', events(2));
      expect(await s.headPosition()).toBe(first.position);
      const second = await s.append('order-2', events(3));
      expect(await s.headPosition()).toBe(second.position);
    }, options.timeoutMs);
  });
};
