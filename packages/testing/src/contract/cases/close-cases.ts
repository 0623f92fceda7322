import { describe, expect, it } from 'vitest';
import type { EventStore } from '@strata/core';
import type { ContractCases } from '../contract-context.js';
import { collect, events, expectCode, expectSubscribeCode } from '../contract-helpers.js';
import { record } from './subscription-delivery-cases.js';

const CALLS: [string, (store: EventStore) => unknown][] = [
  ['append', (s) => s.append('account-1', events(1))],
  ['readStream', (s) => collect(s.readStream('account-1'))],
  ['readAll', (s) => collect(s.readAll())],
  ['streamInfo', (s) => s.streamInfo('account-1')],
  ['setStreamMetadata', (s) => s.setStreamMetadata('account-1', {})],
  ['deleteStream', (s) => s.deleteStream('account-1')],
  ['headPosition', (s) => s.headPosition()],
  ['snapshots.load', (s) => s.snapshots.load('account-1', 'account', 1)],
  ['snapshots.save', (s) => s.snapshots.save({ streamId: 'account-1', aggregate: 'account', stateSchemaVersion: 1, version: 0, state: {} })],
  ['snapshots.delete', (s) => s.snapshots.delete('account-1')],
];

/** close(): idempotent, stops subscriptions, and every later call fails with `STORE_CLOSED`. */
export const closeCases: ContractCases = ({ store, options }) => {
  describe('close', () => {
    it('fails every call after close() with STORE_CLOSED', async () => {
      const s = store();
      await s.append('account-1', events(2));
      await s.close();
      for (const [name, call] of CALLS) await expectCode(() => call(s), 'STORE_CLOSED', `${name} after close`);
      await expectSubscribeCode(() => s.subscribe({ from: 'start', handler: () => undefined }), 'STORE_CLOSED', 'subscribe after close');
    }, options.timeoutMs);

    it('is idempotent, also when called concurrently', async () => {
      const s = store();
      await s.append('account-1', events(1));
      await Promise.all([s.close(), s.close()]);
      await expect(s.close()).resolves.toBeUndefined();
    }, options.timeoutMs);

    it('stops running subscriptions: their closed promise resolves', async () => {
      const s = store();
      const last = await s.append('account-1', events(3));
      const caughtUp = record(s, { from: 'start' });
      await caughtUp.subscription.waitFor(last.position);
      const fresh = record(s, { from: 'end' });
      const filtered = record(s, { from: 'start', filter: { types: ['Never'] } });
      await s.close();
      await expect(caughtUp.subscription.closed).resolves.toBeUndefined();
      await expect(fresh.subscription.closed).resolves.toBeUndefined();
      await expect(filtered.subscription.closed).resolves.toBeUndefined();
      expect(caughtUp.delivered).toHaveLength(3);
      expect(filtered.delivered).toHaveLength(0);
    }, options.timeoutMs);
  });
};
