import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@strata/core';
import type { ContractCases } from '../contract-context.js';
import { event, events, expectCode, expectSubscribeCode } from '../contract-helpers.js';
import { record } from './subscription-delivery-cases.js';

/** Backpressure, stop, handler failures and option validation of subscriptions. */
export const subscriptionControlCases: ContractCases = ({ store, options }) => {
  describe('subscription control', () => {
    it('does not block appends while a slow handler is awaiting, and delivers one event at a time', async () => {
      const s = store();
      let entered!: () => void;
      const firstDelivered = new Promise<void>((resolve) => (entered = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const { subscription, delivered } = record(s, {
        from: 'start',
        handler: async () => {
          entered();
          await gate;
        },
      });
      await s.append('account-1', events(1));
      await firstDelivered;
      // The handler is stuck on the gate: these appends must still complete.
      const results = [];
      for (let i = 0; i < 20; i++) results.push(await s.append(`account-${i % 3}`, events(2)));
      expect(delivered, 'no second delivery while the first handler call is pending').toHaveLength(1);
      release();
      await subscription.waitFor(results.at(-1)!.position);
      await subscription.stop();
      expect(delivered).toHaveLength(41);
    }, options.timeoutMs);

    it('stops on stop(): closed resolves, stop is idempotent, nothing is delivered afterwards', async () => {
      const s = store();
      const first = await s.append('account-1', events(3));
      const { subscription, delivered } = record(s, { from: 'start' });
      await subscription.waitFor(first.position);
      await subscription.stop();
      await subscription.stop();
      await expect(subscription.closed).resolves.toBeUndefined();
      const later = await s.append('account-1', events(3));
      // Give the stopped subscription every chance to misbehave: a second one sees the new events.
      const witness = record(s, { from: 'start' });
      await witness.subscription.waitFor(later.position);
      await witness.subscription.stop();
      expect(witness.delivered).toHaveLength(6);
      expect(delivered, 'a stopped subscription delivers nothing more').toHaveLength(3);
      await expectCode(() => subscription.waitFor(later.position), 'STORE_CLOSED', 'waitFor after stop for an undelivered position');
    }, options.timeoutMs);

    it('rejects closed with the handler error, calls onError, and delivers nothing after the failure', async () => {
      const s = store();
      await s.append('account-1', events(5));
      const boom = new Error('handler failed');
      const errors: unknown[] = [];
      const seen: RecordedEvent[] = [];
      const subscription = s.subscribe({
        from: 'start',
        handler: (e) => {
          seen.push(e);
          if (e.version === 2) throw boom;
        },
        onError: (error) => errors.push(error),
      });
      await expect(subscription.closed).rejects.toBe(boom);
      expect(errors).toEqual([boom]);
      expect(seen.map((e) => e.version)).toEqual([0, 1, 2]);
      expect(subscription.position, 'the failed event does not count as delivered').toBe(seen[1]!.position);
      await s.append('account-1', events(1));
      await subscription.stop();
      expect(seen).toHaveLength(3);
    }, options.timeoutMs);

    it('rejects closed when an async handler rejects', async () => {
      const s = store();
      await s.append('account-1', [event('Opened', {})]);
      const boom = new Error('async handler failed');
      const subscription = s.subscribe({ from: 'start', handler: async () => Promise.reject(boom) });
      await expect(subscription.closed).rejects.toBe(boom);
    }, options.timeoutMs);

    it('refuses invalid subscription options (INVALID_ARGUMENT)', async () => {
      const s = store();
      const handler = () => undefined;
      const bad: [string, object][] = [
        ['a missing handler', { from: 'start' }],
        ['a negative from', { from: -1, handler }],
        ['a fractional from', { from: 1.5, handler }],
        ['an unknown from', { from: 'latest', handler }],
        ['a types filter that is not an array', { filter: { types: 'Opened' }, handler }],
        ['a zero batchSize', { batchSize: 0, handler }],
      ];
      for (const [name, opts] of bad) {
        await expectSubscribeCode(() => s.subscribe(opts as never), 'INVALID_ARGUMENT', name);
      }
    }, options.timeoutMs);
  });
};
