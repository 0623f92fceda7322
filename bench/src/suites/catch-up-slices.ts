import type { EventStore, SubscriptionStart } from '@strata/core';
import type { Measurement, RunContext } from '../harness/types.js';

/**
 * Subscription catch-up measured in a suite's interleaved slices (no default export: not a suite
 * itself). Each slice resumes a subscription where the previous one stopped and reads on for the
 * slice's duration; one that catches up starts again from the start. Over a repetition the case
 * reads the whole log several times, in the same moments of the machine as the cases beside it.
 */

/** Events between two clock reads in the subscription's handler. */
const CLOCK_EVERY = 256;

/** Where the next slice resumes (an inclusive position), or the start. */
type Cursor = { from: SubscriptionStart };

/** A subscription from `cursor`, for `ms`, restarted from the start whenever it catches up. */
async function catchUpFor(store: Pick<EventStore, 'subscribe'>, cursor: Cursor, ms: number, batchSize: number | undefined): Promise<Measurement> {
  const started = performance.now();
  let ops = 0;
  let elapsedMs = 0;
  while (elapsedMs < ms) {
    let last = -1;
    let finished = false;
    let caughtUp = false;
    let subscription: ReturnType<EventStore['subscribe']> | undefined;
    await new Promise<void>((resolve, reject) => {
      const finish = (): void => {
        if (finished) return;
        finished = true;
        resolve();
      };
      subscription = store.subscribe({
        from: cursor.from,
        ...(batchSize === undefined ? {} : { batchSize }),
        handler: (event) => {
          if (finished) return;
          if (event.position <= last) reject(new Error(`position ${event.position} after ${last}`));
          last = event.position;
          if (++ops % CLOCK_EVERY === 0 && performance.now() - started >= ms) finish();
        },
        onCaughtUp: () => {
          caughtUp = true;
          finish();
        },
        onError: reject,
      });
    });
    elapsedMs = performance.now() - started;
    await subscription?.stop();
    cursor.from = caughtUp ? 'start' : last + 1;
  }
  return { ops, elapsedMs };
}

/**
 * The `measure` of a sliced catch-up case over the store `store()` returns (read at each slice, as
 * suites open their stores in a setup): warm-up, then the slice, from a cursor of its own.
 */
export function catchUpSlices(store: () => Pick<EventStore, 'subscribe'>, batchSize?: number): (ctx: RunContext) => Promise<Measurement> {
  const cursor: Cursor = { from: 'start' };
  return async (ctx) => {
    if (ctx.warmupMs > 0) await catchUpFor(store(), cursor, ctx.warmupMs, batchSize);
    return catchUpFor(store(), cursor, ctx.durationMs, batchSize);
  };
}
