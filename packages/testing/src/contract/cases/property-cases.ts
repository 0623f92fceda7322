import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isStrataError, type EventStore, type ExpectedVersion } from '@strata/core';
import type { ContractCases } from '../contract-context.js';
import { collect, describeError, event, expectStrictlyIncreasing } from '../contract-helpers.js';
import { modelOperation } from '../model/model-operations.js';
import { runModelCheck } from '../model/run-model-check.js';
import { versionHolds } from '../model/model-values.js';

type RacingAppend = { stream: string; count: number; expected: ExpectedVersion };

const racingAppend: fc.Arbitrary<RacingAppend> = fc.record({
  stream: fc.constantFrom('race-a', 'race-b'),
  count: fc.integer({ min: 1, max: 3 }),
  expected: fc.oneof(fc.constantFrom<ExpectedVersion>('any', 'no_stream', 'stream_exists'), fc.integer({ min: -1, max: 4 })),
});

/**
 * Races a batch of appends and checks the outcome is a valid serialisation: the winners' events
 * fill each stream's versions without gaps, each winner's expected version held for the version
 * it landed on, losers failed with WRONG_EXPECTED_VERSION and left nothing behind.
 */
async function checkRace(store: EventStore, seed: number, appends: readonly RacingAppend[]): Promise<void> {
  if (seed > 0) await store.append('race-a', [event('Seeded', { seed })]);
  const settled = await Promise.allSettled(
    appends.map((a, i) =>
      store.append(a.stream, Array.from({ length: a.count }, (_, part) => event('Raced', { i, part })), { expectedVersion: a.expected }),
    ),
  );
  for (const [i, outcome] of settled.entries()) {
    if (outcome.status === 'fulfilled') continue;
    const error: unknown = outcome.reason;
    expect(isStrataError(error, 'WRONG_EXPECTED_VERSION'), `append ${i} failed with ${describeError(error)}`).toBe(true);
    expect((error as { details: { expected: unknown } }).details.expected).toEqual(appends[i]!.expected);
  }
  for (const stream of ['race-a', 'race-b']) {
    const read = await collect(store.readStream(stream));
    expect(read.map((e) => e.version), `${stream} is gapless`).toEqual(read.map((_, v) => v));
    expectStrictlyIncreasing(read.map((e) => e.position), `${stream} positions follow versions`);
    let v = read[0]?.type === 'Seeded' ? 1 : 0;
    while (v < read.length) {
      const { i } = read[v]!.data as { i: number };
      const winner = appends[i]!;
      expect(settled[i]!.status, `append ${i} is stored, so it succeeded`).toBe('fulfilled');
      expect(winner.stream).toBe(stream);
      expect(versionHolds(winner.expected, v - 1), `append ${i} expected ${String(winner.expected)} and landed after version ${v - 1}`).toBe(true);
      const mine = read.slice(v, v + winner.count).map((e) => e.data);
      expect(mine, `append ${i} is stored whole and contiguous`).toEqual(Array.from({ length: winner.count }, (_, part) => ({ i, part })));
      const result = settled[i] as PromiseFulfilledResult<{ nextExpectedVersion: number; position: number }>;
      expect(result.value).toEqual({ nextExpectedVersion: v + winner.count - 1, position: read[v + winner.count - 1]!.position });
      v += winner.count;
    }
  }
  const stored = new Set((await collect(store.readAll())).flatMap((e) => (e.type === 'Raced' ? [(e.data as { i: number }).i] : [])));
  settled.forEach((outcome, i) => expect(stored.has(i), `append ${i} stored iff it succeeded`).toBe(outcome.status === 'fulfilled'));
}

/** Property-based tests: random operation sequences against an independent model, and races. */
export const propertyCases: ContractCases = ({ harness, options }) => {
  describe('property-based', () => {
    it(`agrees with an independent model over random operation sequences (${options.propertyRuns} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(modelOperation, { minLength: 1, maxLength: options.maxOperations }), (operations) =>
          harness.withStore((store) => runModelCheck(store, operations)),
        ),
        { numRuns: options.propertyRuns, seed: options.propertySeed },
      );
    }, options.propertyTimeoutMs);

    const raceRuns = Math.max(1, Math.ceil(options.propertyRuns / 2));
    it(`serialises racing appends with random expected versions (${raceRuns} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: 1 }), fc.array(racingAppend, { minLength: 2, maxLength: 12 }), (seed, appends) =>
          harness.withStore((store) => checkRace(store, seed, appends)),
        ),
        { numRuns: raceRuns, seed: options.propertySeed },
      );
    }, options.propertyTimeoutMs);
  });
};
