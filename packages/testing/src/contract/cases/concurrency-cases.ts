import { describe, expect, it } from 'vitest';
import { isStrataError, type AppendResult, type EventStore, type ExpectedVersion } from '@strata/core';
import type { ContractCases } from '../contract-context.js';
import { collect, describeError, event, events, expectStrictlyIncreasing, turn } from '../contract-helpers.js';

/** Races `count` appends of two tagged events with the same expected version; returns who won. */
async function race(store: EventStore, stream: string, count: number, expectedVersion: ExpectedVersion) {
  const settled = await Promise.allSettled(
    Array.from({ length: count }, (_, writer) =>
      store.append(stream, [event('Raced', { writer, part: 0 }), event('Raced', { writer, part: 1 })], { expectedVersion }),
    ),
  );
  const winners = settled.flatMap((s, writer) => (s.status === 'fulfilled' ? [{ writer, result: s.value }] : []));
  const losers = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  return { winners, losers };
}

function expectOneWinner(
  outcome: { winners: { writer: number; result: AppendResult }[]; losers: unknown[] },
  count: number,
  expected: ExpectedVersion,
  actual: number,
): number {
  expect(outcome.winners.length, 'exactly one of the concurrent appends succeeds').toBe(1);
  expect(outcome.losers).toHaveLength(count - 1);
  for (const loser of outcome.losers) {
    expect(isStrataError(loser, 'WRONG_EXPECTED_VERSION'), `a loser fails with ${describeError(loser)}`).toBe(true);
    expect((loser as { details: unknown }).details).toMatchObject({ expected, actual });
  }
  return outcome.winners[0]!.writer;
}

/** Optimistic concurrency under real concurrency, atomic appends, and readers during writes. */
export const concurrencyCases: ContractCases = ({ store, options }) => {
  const count = options.concurrentAppends;

  describe('concurrent appends', () => {
    it(`lets exactly one of ${count} appends with the same exact expected version win; losers store nothing`, async () => {
      const s = store();
      await s.append('account-1', [event('Opened', {})]);
      const outcome = await race(s, 'account-1', count, 0);
      const winner = expectOneWinner(outcome, count, 0, 2);
      expect(outcome.winners[0]!.result.nextExpectedVersion).toBe(2);
      const read = await collect(s.readStream('account-1'));
      expect(read.map((e) => [e.version, e.data])).toEqual([
        [0, {}],
        [1, { writer: winner, part: 0 }],
        [2, { writer: winner, part: 1 }],
      ]);
      expect((await collect(s.readAll())).length, 'no loser event reached the log').toBe(3);
    }, options.timeoutMs);

    it(`lets exactly one of ${count} 'no_stream' appends to a new stream win`, async () => {
      const s = store();
      const outcome = await race(s, 'account-1', count, 'no_stream');
      const winner = expectOneWinner(outcome, count, 'no_stream', 1);
      const read = await collect(s.readStream('account-1'));
      expect(read.map((e) => [e.version, e.data])).toEqual([
        [0, { writer: winner, part: 0 }],
        [1, { writer: winner, part: 1 }],
      ]);
      expect(await collect(s.readAll())).toHaveLength(2);
    }, options.timeoutMs);

    it(`accepts ${count} concurrent 'any' appends to one stream, each kept whole, versions gapless`, async () => {
      const s = store();
      const outcome = await race(s, 'account-1', count, 'any');
      expect(outcome.losers.map(describeError)).toEqual([]);
      const read = await collect(s.readStream('account-1'));
      expect(read.map((e) => e.version)).toEqual(Array.from({ length: 2 * count }, (_, i) => i));
      expectStrictlyIncreasing(read.map((e) => e.position), 'positions in the stream');
      for (let i = 0; i < read.length; i += 2) {
        const [first, second] = [read[i]!.data as { writer: number; part: number }, read[i + 1]!.data as { writer: number; part: number }];
        expect([first.part, second.part, second.writer], 'an append occupies consecutive versions').toEqual([0, 1, first.writer]);
      }
      const results = outcome.winners.map((w) => w.result).sort((a, b) => a.position - b.position);
      expect(results.map((r) => r.nextExpectedVersion)).toEqual(Array.from({ length: count }, (_, i) => 2 * i + 1));
    }, options.timeoutMs);

    it(`keeps ${count} concurrent appends to different streams gapless with unique, increasing positions`, async () => {
      const s = store();
      const results = await Promise.all(
        Array.from({ length: count }, (_, i) => s.append(`account-${i % 4}`, events(3, 'Deposited', `w${i}`))),
      );
      const all = await collect(s.readAll());
      expect(all).toHaveLength(3 * count);
      expectStrictlyIncreasing(all.map((e) => e.position), 'readAll positions');
      expect(new Set(results.map((r) => r.position)).size).toBe(count);
      for (let stream = 0; stream < 4; stream++) {
        const read = await collect(s.readStream(`account-${stream}`));
        expect(read.map((e) => e.version)).toEqual(read.map((_, i) => i));
      }
    }, options.timeoutMs);

    it('never lets a reader observe part of an append', async () => {
      const s = store();
      const batch = 5;
      const appends = 20;
      let writing = true;
      const writer = (async () => {
        for (let i = 0; i < appends; i++) {
          await s.append('account-1', events(batch, 'Batched', `b${i}`));
          if (i % 2 === 0) await turn();
        }
      })().finally(() => {
        writing = false;
      });
      const observed: number[] = [];
      const reader = (async () => {
        while (writing) {
          const read = await collect(s.readStream('account-1'));
          const all = await collect(s.readAll());
          observed.push(read.length);
          expect(read.length % batch, `a stream read saw ${read.length} events`).toBe(0);
          expect(all.length % batch, `a log read saw ${all.length} events`).toBe(0);
          expect(read.map((e) => e.version)).toEqual(read.map((_, i) => i));
          await turn();
        }
      })();
      await Promise.all([writer, reader]);
      expect(await collect(s.readStream('account-1'))).toHaveLength(batch * appends);
      expect(observed.length).toBeGreaterThan(0);
    }, options.timeoutMs);
  });
};
