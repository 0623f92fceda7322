import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createInMemoryEventStore, WrongExpectedVersionError, type EventStore } from '@strata/core';
import { modelOperation } from './model-operations.js';
import { runModelCheck } from './run-model-check.js';

type Mutant = (store: EventStore) => Partial<EventStore>;

/** Wraps the reference store, replacing some members with broken ones. */
function mutate(store: EventStore, mutant: Mutant): EventStore {
  const overrides = mutant(store);
  return new Proxy(store, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof EventStore];
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const MUTANTS: [string, Mutant][] = [
  ['ignores expected versions', (s) => ({ append: (stream, events) => s.append(stream, events) })],
  ['forgets event ids, so retries append again', (s) => ({ append: (stream, events, o) => s.append(stream, events.map(({ id: _id, ...e }) => e), o) })],
  ['reads readAll from exclusive', (s) => ({ readAll: (o = {}) => s.readAll({ ...o, from: o.from === undefined ? undefined : o.from + 1 }) })],
  ['ignores `from` when reading backward', (s) => ({
    readStream: (stream, o = {}) => s.readStream(stream, o.direction === 'backward' ? { ...o, from: undefined } : o),
  })],
  ['turns soft deletes into no-ops', (s) => ({ deleteStream: async (stream, o) => (o?.hard ? s.deleteStream(stream, o) : undefined) })],
  ['reports a wrong actual version', (s) => ({
    append: async (stream, events, o) => {
      try {
        return await s.append(stream, events, o);
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) throw new WrongExpectedVersionError(stream, error.expected, error.actual + 1);
        throw error;
      }
    },
  })],
  ['returns the first position of an append instead of the last', (s) => ({
    append: async (stream, events, o) => {
      const result = await s.append(stream, events, o);
      return { ...result, position: result.position - (events.length - 1) };
    },
  })],
];

const property = (wrap: (store: EventStore) => EventStore) =>
  fc.asyncProperty(fc.array(modelOperation, { minLength: 1, maxLength: 30 }), async (operations) => {
    const store = wrap(createInMemoryEventStore());
    try {
      await runModelCheck(store, operations);
    } finally {
      await store.close();
    }
  });

describe('runModelCheck', () => {
  it('accepts the reference store', async () => {
    await fc.assert(property((store) => store), { numRuns: 150, seed: 7 });
  });

  for (const [name, mutant] of MUTANTS) {
    it(`rejects a store that ${name}`, async () => {
      const run = fc.check(property((store) => mutate(store, mutant)), { numRuns: 300, seed: 7 });
      const details = await run;
      expect(details.failed, `the model check found no counterexample for a store that ${name}`).toBe(true);
    });
  }
});
