import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatcher } from '../index.js';
import { codeOf, nextTurn } from '../../test/support/async.js';

type Item = { id: number; key: number | undefined };
type Step =
  | { kind: 'add'; via: 'add' | 'tryAdd'; fail: boolean; key: number | undefined }
  | { kind: 'turn' }
  | { kind: 'flush' };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      via: fc.constantFrom('add' as const, 'tryAdd' as const),
      fail: fc.boolean(),
      key: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'turn' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
);

const configArbitrary = fc.record({
  maxSize: fc.integer({ min: 1, max: 6 }),
  extraPending: fc.integer({ min: 0, max: 6 }),
  maxDelayMs: fc.constantFrom(0, 1),
  concurrency: fc.integer({ min: 1, max: 3 }),
  onOverload: fc.constantFrom('reject' as const, 'wait' as const),
  dedupe: fc.boolean(),
  // How execute completes: synchronously, after a microtask, or after an event-loop turn.
  completion: fc.constantFrom('sync' as const, 'microtask' as const, 'turn' as const),
});

/** An item's label: items with the same dedup key share one, so deduplicated callers expect the same outcome. */
const labelOf = (item: Item, dedupe: boolean): string => (dedupe && item.key !== undefined ? `k${item.key}` : `i${item.id}`);

describe('batcher properties', () => {
  it('settles every add exactly once with its own outcome and executes every accepted item once (per dedup key per batch)', async () => {
    await fc.assert(
      fc.asyncProperty(configArbitrary, fc.array(stepArbitrary, { maxLength: 60 }), async (config, steps) => {
        const failing = new Set<string>();
        const executed: Item[][] = [];
        const batcher = createBatcher<Item, string>({
          execute: (items) => {
            executed.push([...items]);
            const results = items.map((item) => {
              const label = labelOf(item, config.dedupe);
              return failing.has(label) ? new Error(`failed ${label}`) : `ok ${label}`;
            });
            if (config.completion === 'sync') return results;
            if (config.completion === 'microtask') return Promise.resolve(results);
            return nextTurn().then(() => results);
          },
          maxSize: config.maxSize,
          maxDelayMs: config.maxDelayMs,
          maxPending: config.maxSize + config.extraPending,
          concurrency: config.concurrency,
          onOverload: config.onOverload,
          ...(config.dedupe ? { dedupeKey: (item: Item) => item.key } : {}),
        });

        const adds: { item: Item; settlements: number; outcome: string }[] = [];
        let nextId = 0;
        for (const step of steps) {
          if (step.kind === 'turn') await nextTurn();
          else if (step.kind === 'flush') await batcher.flush();
          else {
            const item: Item = { id: nextId++, key: step.key };
            const label = labelOf(item, config.dedupe);
            // The first add of a label decides whether that label fails; later ones share it.
            if (step.fail && !adds.some((a) => labelOf(a.item, config.dedupe) === label)) failing.add(label);
            const record = { item, settlements: 0, outcome: 'pending' };
            adds.push(record);
            const promise = step.via === 'add' ? batcher.add(item) : batcher.tryAdd(item);
            if (promise === undefined) {
              // tryAdd refused: that is this call's one and only outcome.
              record.settlements++;
              record.outcome = 'REFUSED';
              continue;
            }
            promise.then(
              (value) => {
                record.settlements++;
                record.outcome = value;
              },
              (error: unknown) => {
                record.settlements++;
                record.outcome = codeOf(error) ?? (error as Error).message;
              },
            );
          }
        }
        await batcher.close();
        await nextTurn();

        const executions = new Map<number, number>();
        for (const batch of executed) {
          expect(batch.length).toBeLessThanOrEqual(config.maxSize);
          const labels = batch.map((item) => labelOf(item, config.dedupe));
          expect(new Set(labels).size).toBe(labels.length);
          for (const item of batch) executions.set(item.id, (executions.get(item.id) ?? 0) + 1);
        }
        const executedLabels = new Set(executed.flat().map((item) => labelOf(item, config.dedupe)));
        for (const { item, settlements, outcome } of adds) {
          expect(settlements).toBe(1);
          const label = labelOf(item, config.dedupe);
          if (outcome === 'OVERLOADED' || outcome === 'REFUSED') {
            if (outcome === 'OVERLOADED') expect(config.onOverload).toBe('reject');
            expect(executions.get(item.id)).toBeUndefined();
            continue;
          }
          expect(outcome).toBe(failing.has(label) ? `failed ${label}` : `ok ${label}`);
          expect(executions.get(item.id) ?? 0).toBeLessThanOrEqual(1);
          if (label.startsWith('i')) expect(executions.get(item.id)).toBe(1);
          else expect(executedLabels.has(label)).toBe(true);
        }
        expect(batcher.stats).toMatchObject({ pending: 0, waiting: 0, inFlight: 0 });
        await expect(batcher.add({ id: -1, key: undefined }).catch(codeOf)).resolves.toBe('STORE_CLOSED');
      }),
      { numRuns: 300 },
    );
  });
});
