import { describe, expect, it } from 'vitest';
import type { EventFilter, EventStore, RecordedEvent, SubscribeOptions, Subscription } from '@strata/core';
import type { ContractCases } from '../contract-context.js';
import { collect, event, events, expectStrictlyIncreasing, facts, turn } from '../contract-helpers.js';

/** A subscription that records what it is given. */
export function record(
  store: EventStore,
  options: Omit<SubscribeOptions, 'handler'> & { handler?: (e: RecordedEvent) => void | Promise<void> },
): { subscription: Subscription; delivered: RecordedEvent[] } {
  const delivered: RecordedEvent[] = [];
  const subscription = store.subscribe({
    ...options,
    handler: async (e) => {
      delivered.push(e);
      await options.handler?.(e);
    },
  });
  return { subscription, delivered };
}

/** Appends `rounds` single-event appends per writer, interleaving writers with other work. */
function writers(store: EventStore, count: number, rounds: number, prefix: string): Promise<void> {
  return Promise.all(
    Array.from({ length: count }, async (_, w) => {
      for (let i = 0; i < rounds; i++) {
        const type = i % 2 === 0 ? 'Even' : 'Odd';
        await store.append(`${w % 2 === 0 ? 'live' : 'other'}-${prefix}${w}`, [event(type, { w, i })]);
        if (i % 3 === 0) await turn();
      }
    }),
  ).then(() => undefined);
}

async function expected(store: EventStore, filter?: EventFilter, from?: number): Promise<RecordedEvent[]> {
  return collect(store.readAll({ filter, from }));
}

/** Subscriptions from 'start', a position and 'end', with concurrent writers and several subscribers. */
export const subscriptionDeliveryCases: ContractCases = ({ store, options }) => {
  describe('subscription delivery', () => {
    it("delivers the whole log from 'start' in position order, each event once", async () => {
      const s = store();
      for (let i = 0; i < 6; i++) await s.append(`account-${i % 3}`, events(5));
      const { subscription, delivered } = record(s, { from: 'start' });
      await subscription.waitFor(await s.headPosition());
      await subscription.stop();
      expect(delivered.map(facts)).toEqual((await expected(s)).map(facts));
      expect(subscription.position).toBe(delivered.at(-1)?.position);
    }, options.timeoutMs);

    it('starts at a position, inclusive', async () => {
      const s = store();
      for (let i = 0; i < 4; i++) await s.append(`account-${i}`, events(3));
      const all = await expected(s);
      const from = all[5]!.position;
      const { subscription, delivered } = record(s, { from });
      await subscription.waitFor(all.at(-1)!.position);
      await subscription.stop();
      expect(delivered.map(facts)).toEqual(all.slice(5).map(facts));
      expect(delivered[0]?.position, 'the event at `from` is delivered').toBe(from);
    }, options.timeoutMs);

    it("starts at 'end': only events committed after it is live", async () => {
      const s = store();
      await s.append('account-1', events(3));
      let caughtUp!: () => void;
      const live = new Promise<void>((resolve) => (caughtUp = resolve));
      const { subscription, delivered } = record(s, { from: 'end', onCaughtUp: () => caughtUp() });
      await live;
      const result = await s.append('account-2', [event('Late', { n: 1 }), event('Late', { n: 2 })]);
      await subscription.waitFor(result.position);
      await subscription.stop();
      expect(delivered.map((e) => [e.streamId, e.data])).toEqual([
        ['account-2', { n: 1 }],
        ['account-2', { n: 2 }],
      ]);
    }, options.timeoutMs);

    it('delivers every event exactly once, in order, while writers append during catch-up and after going live', async () => {
      const s = store();
      for (let i = 0; i < 30; i++) await s.append(`seed-${i % 5}`, events(10));
      const { subscription, delivered } = record(s, {
        from: 'start',
        batchSize: 16,
        handler: async (e) => {
          if (e.position % 7 === 0) await turn();
        },
      });
      await writers(s, 4, 40, 'w');
      await subscription.waitFor(await s.headPosition());
      await writers(s, 2, 10, 'after');
      await subscription.waitFor(await s.headPosition());
      await subscription.stop();
      const all = await expected(s);
      expect(all).toHaveLength(300 + 160 + 20);
      expectStrictlyIncreasing(delivered.map((e) => e.position), 'delivered positions');
      expect(delivered.map(facts), 'the subscription saw exactly the log').toEqual(all.map(facts));
    }, options.timeoutMs);

    it('serves several subscribers with different filters and starts at once', async () => {
      const s = store();
      await s.append('live-seed', events(20, 'Even'));
      const head = await s.headPosition();
      const subscribers = [
        { filter: undefined, from: 'start' as const },
        { filter: { types: ['Odd'] }, from: 'start' as const },
        { filter: { categories: ['other'] }, from: 'start' as const },
        { filter: { types: ['Even'], categories: ['live'] }, from: head },
      ].map((o) => ({ ...o, ...record(s, { from: o.from, filter: o.filter, batchSize: 8 }) }));
      await writers(s, 4, 25, 'm');
      const last = await s.headPosition();
      for (const sub of subscribers) {
        await sub.subscription.waitFor(last);
        await sub.subscription.stop();
        const want = await expected(s, sub.filter, sub.from === 'start' ? undefined : sub.from);
        expect(sub.delivered.map(facts), `subscriber with filter ${JSON.stringify(sub.filter)}`).toEqual(want.map(facts));
      }
    }, options.timeoutMs);

    it('resolves waitFor for a position whose event does not match the filter', async () => {
      const s = store();
      await s.append('account-1', [event('Opened', {})]);
      const skipped = await s.append('order-1', [event('Placed', {})]);
      const { subscription, delivered } = record(s, { from: 'start', filter: { categories: ['account'] } });
      await subscription.waitFor(skipped.position);
      await subscription.stop();
      expect(delivered.map((e) => e.streamId)).toEqual(['account-1']);
    }, options.timeoutMs);

    it('resolves waitFor for a position not yet written once it is written and delivered', async () => {
      const s = store();
      const first = await s.append('account-1', events(1));
      const { subscription, delivered } = record(s, { from: 'start' });
      await subscription.waitFor(first.position);
      const pending = subscription.waitFor(first.position + 1);
      const next = await s.append('account-1', events(2));
      await pending;
      await subscription.waitFor(next.position);
      await subscription.stop();
      expect(delivered.map((e) => e.version)).toEqual([0, 1, 2]);
    }, options.timeoutMs);

    it('does not deliver events of soft- or hard-deleted streams', async () => {
      const s = store();
      await s.append('account-1', events(2));
      await s.append('account-2', events(2));
      await s.append('account-3', events(2));
      await s.deleteStream('account-1');
      await s.deleteStream('account-3', { hard: true });
      const last = await s.append('account-4', events(1));
      const { subscription, delivered } = record(s, { from: 'start' });
      await subscription.waitFor(last.position);
      await subscription.stop();
      expect(delivered.map((e) => e.streamId)).toEqual(['account-2', 'account-2', 'account-4']);
    }, options.timeoutMs);
  });
};
