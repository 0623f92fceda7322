import { describe, expect, it } from 'vitest';
import type { EventStore } from '@strata/core';
import type { ContractCases } from '../contract-context.js';
import { collect, event, events, expectCode } from '../contract-helpers.js';

const versionsOf = async (store: EventStore, stream: string) => (await collect(store.readStream(stream))).map((e) => e.version);
const streamsInLog = async (store: EventStore) => (await collect(store.readAll())).map((e) => e.streamId);

/** streamInfo, stream metadata, soft delete and hard delete. */
export const streamLifecycleCases: ContractCases = ({ store, options }) => {
  describe('streamInfo and stream metadata', () => {
    it('reports undefined for a stream never written, and version, flags and metadata otherwise', async () => {
      const s = store();
      expect(await s.streamInfo('account-1')).toBeUndefined();
      await s.append('account-1', events(3));
      expect(await s.streamInfo('account-1')).toEqual({ version: 2, deleted: false, hardDeleted: false, metadata: {} });
    }, options.timeoutMs);

    it('replaces stream metadata (no merge), also on a stream without events', async () => {
      const s = store();
      await s.setStreamMetadata('account-1', { owner: 'alice', limits: { daily: 100 } });
      expect(await s.streamInfo('account-1')).toEqual({
        version: -1,
        deleted: false,
        hardDeleted: false,
        metadata: { owner: 'alice', limits: { daily: 100 } },
      });
      await s.append('account-1', events(1), { expectedVersion: 'no_stream' });
      await s.setStreamMetadata('account-1', { owner: 'bob' });
      expect(await s.streamInfo('account-1')).toMatchObject({ version: 0, metadata: { owner: 'bob' } });
      const info = await s.streamInfo('account-1');
      (info!.metadata as { owner: string }).owner = 'mallory';
      expect((await s.streamInfo('account-1'))?.metadata, 'metadata is a copy').toEqual({ owner: 'bob' });
      expect(await collect(s.readAll()), 'metadata is not an event').toHaveLength(1);
    }, options.timeoutMs);
  });

  describe('soft delete', () => {
    it('hides the events from readStream and readAll and reports the stream deleted', async () => {
      const s = store();
      await s.append('account-1', events(3));
      await s.append('account-2', events(1));
      await s.deleteStream('account-1');
      expect(await versionsOf(s, 'account-1')).toEqual([]);
      expect(await collect(s.readStream('account-1', { direction: 'backward' }))).toEqual([]);
      expect(await streamsInLog(s)).toEqual(['account-2']);
      expect(await s.streamInfo('account-1')).toMatchObject({ version: -1, deleted: true, hardDeleted: false });
    }, options.timeoutMs);

    it("starts the stream again: an append with 'no_stream' or -1 continues at the next version number", async () => {
      const s = store();
      for (const [i, expectedVersion] of (['no_stream', -1, 'any'] as const).entries()) {
        const category = `restart${i}`;
        const stream = `${category}-1`;
        await s.append(stream, events(3));
        await s.deleteStream(stream);
        const result = await s.append(stream, [event('Reopened', {})], { expectedVersion });
        expect(result.nextExpectedVersion, `expected ${String(expectedVersion)}: version numbers are kept`).toBe(3);
        expect(await versionsOf(s, stream), 'only the new event is visible').toEqual([3]);
        expect(await s.streamInfo(stream)).toMatchObject({ version: 3, deleted: false, hardDeleted: false });
        const logged = await collect(s.readAll({ filter: { categories: [category] } }));
        expect(logged.map((e) => e.version), 'readAll shows only the new event').toEqual([3]);
        await s.append(stream, events(1), { expectedVersion: 3 });
        expect(await versionsOf(s, stream)).toEqual([3, 4]);
      }
    }, options.timeoutMs);

    it('treats the soft-deleted stream as empty for expected versions', async () => {
      const s = store();
      await s.append('account-1', events(3));
      await s.deleteStream('account-1');
      const stale = await expectCode(
        () => s.append('account-1', events(1), { expectedVersion: 2 }),
        'WRONG_EXPECTED_VERSION',
        'the version before the delete',
      );
      expect(stale.details).toMatchObject({ expected: 2, actual: -1 });
      await expectCode(() => s.append('account-1', events(1), { expectedVersion: 'stream_exists' }), 'WRONG_EXPECTED_VERSION', 'stream_exists');
      expect(await versionsOf(s, 'account-1')).toEqual([]);
    }, options.timeoutMs);

    it('checks the expected version of the delete', async () => {
      const s = store();
      await s.append('account-1', events(3));
      const error = await expectCode(() => s.deleteStream('account-1', { expectedVersion: 1 }), 'WRONG_EXPECTED_VERSION', 'stale delete');
      expect(error.details).toMatchObject({ expected: 1, actual: 2 });
      expect(await versionsOf(s, 'account-1'), 'nothing deleted').toEqual([0, 1, 2]);
      await s.deleteStream('account-1', { expectedVersion: 2 });
      expect(await versionsOf(s, 'account-1')).toEqual([]);
    }, options.timeoutMs);

    it('can be followed by a hard delete', async () => {
      const s = store();
      await s.append('account-1', events(2));
      await s.deleteStream('account-1');
      await s.deleteStream('account-1', { hard: true });
      expect(await s.streamInfo('account-1')).toMatchObject({ deleted: true, hardDeleted: true });
      await expectCode(() => s.append('account-1', events(1)), 'STREAM_DELETED', 'append after hard delete');
    }, options.timeoutMs);
  });

  describe('hard delete', () => {
    it('tombstones the stream: append, setStreamMetadata and deleteStream fail with STREAM_DELETED', async () => {
      const s = store();
      await s.append('account-1', events(3));
      await s.append('account-2', events(1));
      await s.deleteStream('account-1', { hard: true });
      for (const expectedVersion of ['any', 'no_stream', 'stream_exists', -1, 2] as const) {
        await expectCode(() => s.append('account-1', events(1), { expectedVersion }), 'STREAM_DELETED', `append expecting ${expectedVersion}`);
      }
      await expectCode(() => s.setStreamMetadata('account-1', { a: 1 }), 'STREAM_DELETED', 'setStreamMetadata');
      await expectCode(() => s.deleteStream('account-1'), 'STREAM_DELETED', 'soft delete');
      await expectCode(() => s.deleteStream('account-1', { hard: true }), 'STREAM_DELETED', 'hard delete');
      expect(await versionsOf(s, 'account-1')).toEqual([]);
      expect(await streamsInLog(s)).toEqual(['account-2']);
      expect(await s.streamInfo('account-1')).toMatchObject({ version: -1, deleted: true, hardDeleted: true });
    }, options.timeoutMs);

    it('refuses a retry of an append to the deleted stream', async () => {
      const s = store();
      const original = [event('Opened', {}, { id: 'open-1' })];
      await s.append('account-1', original, { expectedVersion: 'no_stream' });
      await s.deleteStream('account-1', { hard: true });
      await expectCode(() => s.append('account-1', original, { expectedVersion: 'no_stream' }), 'STREAM_DELETED', 'retry');
    }, options.timeoutMs);

    it('tombstones a stream that was never written', async () => {
      const s = store();
      await s.deleteStream('account-9', { hard: true });
      expect(await s.streamInfo('account-9')).toMatchObject({ version: -1, deleted: true, hardDeleted: true });
      await expectCode(() => s.append('account-9', events(1)), 'STREAM_DELETED', 'append after tombstone');
    }, options.timeoutMs);

    it('leaves other streams, including ones whose id it prefixes, untouched', async () => {
      const s = store();
      await s.append('account-1', events(2));
      await s.append('account-10', events(2));
      await s.append('account-1-x', events(2));
      await s.deleteStream('account-1', { hard: true });
      expect(await versionsOf(s, 'account-10')).toEqual([0, 1]);
      expect(await versionsOf(s, 'account-1-x')).toEqual([0, 1]);
      await s.append('account-10', events(1), { expectedVersion: 1 });
    }, options.timeoutMs);
  });
};
