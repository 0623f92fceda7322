import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { join } from 'node:path';
import { ChannelNames, type EventData, type EventStore } from '@strata/core';
import { createLmdbEventStore } from '@strata/store-lmdb';
import { createMonitor, type Monitor } from '@strata/monitoring';
import type { BenchCase, Measurement, RunContext, Suite } from '../harness/types.js';

/**
 * What observing a store costs: append throughput with a monitor attached (default settings:
 * runtime collectors, every channel, a sample per second) against the same appends with none,
 * in the same process. The monitor is created and closed inside each repetition, because
 * attaching is process-wide: a monitor set up once would also be observing the detached case.
 *
 * The store is the LMDB store in its default durability (`'flush'`: acknowledged once the group
 * commit is on disk), as the performance target names it. Each repetition opens a fresh store in
 * the case's temporary directory, so every case starts from an empty log.
 */

/** Appenders kept in flight, as in the store suites. */
const CONCURRENCY = 64;
/** Streams the appends spread over. */
const STREAMS = 10_000;
/** Load run once before the first repetition, per observer, so that no case pays for the JIT. */
const PREPARE_MS = 500;
const PREPARE_QUICK_MS = 150;

const events: EventData[] = [{ type: 'Deposited', data: { amount: 100 } }];

/** What one closed-loop window measured. */
type Window = { ops: number; elapsedMs: number; latenciesNs: number[] };

/**
 * Keeps `CONCURRENCY` single-event appends in flight for `warmupMs + durationMs` and reports the
 * appends completed in the measured part, each with its latency.
 */
async function appendLoop(store: EventStore, warmupMs: number, durationMs: number): Promise<Window> {
  const start = performance.now();
  const windowStart = start + warmupMs;
  const deadline = windowStart + durationMs;
  const latenciesNs: number[] = [];
  let key = 0;
  let ops = 0;
  let end = windowStart;
  const appender = async (): Promise<void> => {
    let t0 = performance.now();
    while (t0 < deadline) {
      await store.append(`account-${key++ % STREAMS}`, events);
      const t1 = performance.now();
      if (t0 >= windowStart) {
        ops++;
        latenciesNs.push((t1 - t0) * 1e6);
        if (t1 > end) end = t1;
      }
      t0 = t1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, appender));
  return { ops, elapsedMs: end - windowStart, latenciesNs };
}

/** What observes the appends during a repetition. */
type Observer = 'none' | 'no-op subscriber' | 'monitor';

const ignore = (): void => {};

/** A case that appends to a fresh store, observed as `observer` says for the repetition. */
function appendCase(name: string, role: BenchCase['role'], observer: Observer): BenchCase {
  return {
    name,
    role,
    // Every case warms up its own code path (publishing, the monitor's handlers) before any
    // repetition: otherwise the first case measured would also pay for compiling the store.
    async setup(ctx: RunContext): Promise<void> {
      await observed(observer, ctx.tmpDir, (store) => appendLoop(store, 0, ctx.quick ? PREPARE_QUICK_MS : PREPARE_MS));
    },
    async measure(ctx: RunContext): Promise<Measurement> {
      return observed(observer, ctx.tmpDir, async (store, monitor) => {
        const window = await appendLoop(store, ctx.warmupMs, ctx.durationMs);
        const extra: Record<string, number> = {};
        // Proof the monitor saw the work it is charged for.
        if (monitor !== undefined) extra['observedAppends'] = monitor.sample().store.totals.appends;
        return { ops: window.ops, elapsedMs: window.elapsedMs, latenciesNs: window.latenciesNs, extra };
      });
    },
  };
}

/** Runs `work` on a fresh store observed as `observer` says, and detaches afterwards. */
let storeCount = 0;

async function observed<T>(
  observer: Observer,
  dir: string,
  work: (store: EventStore, monitor: Monitor | undefined) => Promise<T>,
): Promise<T> {
  // A fresh store each time: the log grows, and every case must start equal.
  const store = await createLmdbEventStore({ path: join(dir, `store-${storeCount++}`) });
  let monitor: Monitor | undefined;
  if (observer === 'monitor') monitor = createMonitor({ logger: false });
  if (observer === 'no-op subscriber') subscribe(ChannelNames.append, ignore);
  try {
    return await work(store, monitor);
  } finally {
    if (observer === 'no-op subscriber') unsubscribe(ChannelNames.append, ignore);
    await monitor?.close();
    await store.close();
  }
}

const suite: Suite = {
  id: 'monitoring-overhead',
  title: 'Monitoring overhead',
  description:
    'Durable single-event appends to the LMDB store, 64 in flight, with a monitor attached (runtime collectors, every diagnostics channel, one sample per second) against none, in the same process; a no-op subscriber to the append channel shows how much of the difference is the store timing and publishing its appends.',
  cases: [
    appendCase('append, monitor detached', 'baseline', 'none'),
    // Attribution, not a target: what the store's own reporting costs once anyone subscribes.
    appendCase('append, no-op subscriber', 'baseline', 'no-op subscriber'),
    appendCase('append, monitor attached', 'subject', 'monitor'),
  ],
  targets: [
    {
      kind: 'ratio',
      subject: 'append, monitor attached',
      baseline: 'append, monitor detached',
      min: 0.97,
      description: 'monitoring costs at most 3% of append throughput',
    },
  ],
  repetitions: 7,
};

export default suite;
