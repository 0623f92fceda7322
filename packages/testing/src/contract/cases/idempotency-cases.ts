import { describe, expect, it } from 'vitest';
import type { EventData, EventStore } from '@strata/core';
import type { ContractCases } from '../contract-context.js';
import { collect, event, expectCode, facts } from '../contract-helpers.js';

const ORIGINAL: EventData[] = [
  event('Deposited', { amount: 5, note: { a: 1, b: 2 } }, { id: 'evt-1', metadata: { by: 'alice' } }),
  event('Deposited', { amount: 7 }, { id: 'evt-2', schemaVersion: 2 }),
];

async function snapshotOf(store: EventStore) {
  return {
    all: (await collect(store.readAll())).map(facts),
    head: await store.headPosition(),
  };
}

/** Idempotent retries by event id, and every way an id reuse is a `DUPLICATE_EVENT`. */
export const idempotencyCases: ContractCases = ({ store, options }) => {
  describe('idempotent retries and duplicate event ids', () => {
    it('returns the original result for a retry with the same ids, content and expected version, storing nothing', async () => {
      const s = store();
      const original = await s.append('account-1', ORIGINAL, { expectedVersion: 'no_stream' });
      const before = await snapshotOf(s);
      expect(await s.append('account-1', ORIGINAL, { expectedVersion: 'no_stream' })).toEqual(original);
      expect(await s.append('account-1', ORIGINAL, { expectedVersion: -1 }), 'the numeric form of no_stream').toEqual(original);
      expect(await s.append('account-1', ORIGINAL, { expectedVersion: 'any' }), "'any' always matches").toEqual(original);
      expect(await s.append('account-1', ORIGINAL), 'no expected version means any').toEqual(original);
      expect(await snapshotOf(s), 'a retry stores nothing').toEqual(before);
    }, options.timeoutMs);

    it('recognises a retry after the stream has moved on (an append whose acknowledgement was lost)', async () => {
      const s = store();
      await s.append('account-1', [event('Opened', {})]);
      const original = await s.append('account-1', ORIGINAL, { expectedVersion: 0 });
      await s.append('account-1', [event('Withdrawn', { amount: 1 })]);
      const before = await snapshotOf(s);
      expect(await s.append('account-1', ORIGINAL, { expectedVersion: 0 })).toEqual(original);
      expect(await s.append('account-1', ORIGINAL, { expectedVersion: 'stream_exists' })).toEqual(original);
      expect(await snapshotOf(s)).toEqual(before);
    }, options.timeoutMs);

    it('recognises a retry of an append that restarted a soft-deleted stream', async () => {
      const s = store();
      await s.append('account-1', [event('Opened', {})]);
      await s.deleteStream('account-1');
      const original = await s.append('account-1', ORIGINAL, { expectedVersion: 'no_stream' });
      expect(original.nextExpectedVersion).toBe(2);
      const before = await snapshotOf(s);
      expect(await s.append('account-1', ORIGINAL, { expectedVersion: 'no_stream' })).toEqual(original);
      expect(await s.append('account-1', ORIGINAL, { expectedVersion: -1 }), 'the numeric form of no_stream').toEqual(original);
      await expectCode(
        () => s.append('account-1', ORIGINAL, { expectedVersion: 0 }),
        ['DUPLICATE_EVENT', 'WRONG_EXPECTED_VERSION'],
        'the version before the delete is not the original request',
      );
      expect(await snapshotOf(s)).toEqual(before);
    }, options.timeoutMs);

    it('compares content structurally: key order does not make a retry a duplicate', async () => {
      const s = store();
      const original = await s.append('account-1', ORIGINAL);
      const reordered: EventData[] = [
        { id: 'evt-1', metadata: { by: 'alice' }, data: { note: { b: 2, a: 1 }, amount: 5 }, type: 'Deposited' },
        { schemaVersion: 2, data: { amount: 7 }, type: 'Deposited', id: 'evt-2' },
      ];
      expect(await s.append('account-1', reordered)).toEqual(original);
      expect(await collect(s.readAll())).toHaveLength(2);
    }, options.timeoutMs);

    it('answers concurrent identical retries with one result and stores one copy', async () => {
      const s = store();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => s.append('account-1', ORIGINAL, { expectedVersion: 'no_stream' })),
      );
      for (const result of results) expect(result).toEqual(results[0]);
      expect((await collect(s.readStream('account-1'))).map((e) => e.id)).toEqual(['evt-1', 'evt-2']);
    }, options.timeoutMs);

    const duplicates: { name: string; events: EventData[]; stream?: string }[] = [
      { name: 'other data', events: [event('Deposited', { amount: 6, note: { a: 1, b: 2 } }, { id: 'evt-1', metadata: { by: 'alice' } })] },
      { name: 'another type', events: [event('Withdrawn', { amount: 5, note: { a: 1, b: 2 } }, { id: 'evt-1', metadata: { by: 'alice' } })] },
      { name: 'other metadata', events: [event('Deposited', { amount: 5, note: { a: 1, b: 2 } }, { id: 'evt-1', metadata: { by: 'bob' } })] },
      { name: 'another schemaVersion', events: [event('Deposited', { amount: 7 }, { id: 'evt-2', schemaVersion: 3 })] },
      { name: 'the same content in another stream', events: ORIGINAL, stream: 'account-2' },
      { name: 'a partial overlap (a stored id plus a new one)', events: [ORIGINAL[1]!, event('Deposited', { amount: 1 }, { id: 'evt-3' })] },
      { name: 'a partial overlap (a new id first)', events: [event('Deposited', { amount: 1 }, { id: 'evt-3' }), ORIGINAL[0]!] },
      { name: 'a stored id plus an event without id', events: [ORIGINAL[0]!, event('Deposited', { amount: 1 })] },
      { name: 'stored ids in another order', events: [ORIGINAL[1]!, ORIGINAL[0]!] },
    ];
    for (const d of duplicates) {
      it(`rejects a reused id with ${d.name} as DUPLICATE_EVENT, storing nothing`, async () => {
        const s = store();
        await s.append('account-1', ORIGINAL);
        const before = await snapshotOf(s);
        await expectCode(() => s.append(d.stream ?? 'account-1', d.events), 'DUPLICATE_EVENT', d.name);
        expect(await snapshotOf(s), 'nothing stored').toEqual(before);
        if (d.stream !== undefined) expect(await s.streamInfo(d.stream)).toBeUndefined();
      }, options.timeoutMs);
    }

    it('rejects retrying ids stored by separate appends that are not consecutive versions', async () => {
      const s = store();
      await s.append('account-1', [ORIGINAL[0]!]);
      await s.append('account-1', [event('Noted', {}, { id: 'between' })]);
      await s.append('account-1', [ORIGINAL[1]!]);
      const before = await snapshotOf(s);
      await expectCode(() => s.append('account-1', ORIGINAL), 'DUPLICATE_EVENT', 'ids at versions 0 and 2');
      expect(await snapshotOf(s)).toEqual(before);
    }, options.timeoutMs);

    it('never stores an id twice: a reuse under another expected version is refused', async () => {
      const s = store();
      await s.append('account-1', ORIGINAL, { expectedVersion: 'no_stream' });
      const before = await snapshotOf(s);
      // The stream is at version 1, so this expected version holds, but it is not the original request's.
      await expectCode(() => s.append('account-1', ORIGINAL, { expectedVersion: 1 }), 'DUPLICATE_EVENT', 'current version');
      await expectCode(
        () => s.append('account-1', ORIGINAL, { expectedVersion: 0 }),
        ['DUPLICATE_EVENT', 'WRONG_EXPECTED_VERSION'],
        'a version that is neither current nor the original',
      );
      expect(await snapshotOf(s)).toEqual(before);
    }, options.timeoutMs);
  });
};
