import { createL1Store } from '@strata/cache';
import { LRUCache } from 'lru-cache';
import type { BenchCase, Measurement, RunContext, Suite, Target } from '../harness/types.js';
import { beladyHitRatio, scanTrace, zipfTrace } from './cache-traces.js';

/**
 * Hit ratios of the L1 eviction policies on replayed traces, beside LRU (lru-cache, the `lru`
 * policy's engine) and the offline optimum (Belady's MIN with bypass), all on the same trace in the
 * same run. A miss inserts the key, as a cache in front of a loader does.
 *
 * - **Zipf**: 10M requests drawn from Zipf(0.99) over 1M keys, cache = 1% of the keys (10k).
 * - **Scan-heavy**: the same kind of Zipf traffic, with 30% of the requests taken by a loop that
 *   sweeps 40k other keys (4× the cache) in order, over and over.
 *
 * Quick mode replays 1M requests over 100k keys with a 1k cache (loop of 4k keys). Each case
 * reports its ratio in `hitRatio`; the W-TinyLFU cases also report LRU's and the optimum's, the gain
 * over LRU and the gap to the optimum (in ratio points, 0.01 = one percent of requests). ops/s is
 * the replay speed of the policy (a lookup, plus an insert on a miss).
 */

type Workload = 'zipf' | 'scan';
type Setting = { requests: number; keys: number; capacity: number; loopKeys: number };

const FULL: Setting = { requests: 10_000_000, keys: 1_000_000, capacity: 10_000, loopKeys: 40_000 };
const QUICK: Setting = { requests: 1_000_000, keys: 100_000, capacity: 1_000, loopKeys: 4_000 };
const EXPONENT = 0.99;
const LOOP_SHARE = 0.3;
const SEED = 20_240_601;

type Prepared = { setting: Setting; traces: Record<Workload, Int32Array>; names: string[] };
let prepared: Prepared | undefined;
/** Ratios of this repetition's baseline cases, read by the subject cases that follow them. */
const latest = new Map<string, number>();

function prepare(quick: boolean): Prepared {
  if (prepared !== undefined) return prepared;
  const setting = quick ? QUICK : FULL;
  const names = Array.from({ length: setting.keys + setting.loopKeys }, (_, id) => `key-${id}`);
  prepared = {
    setting,
    names,
    traces: {
      zipf: zipfTrace(setting.requests, setting.keys, EXPONENT, SEED),
      scan: scanTrace(setting.requests, setting.keys, EXPONENT, setting.loopKeys, LOOP_SHARE, SEED + 1),
    },
  };
  return prepared;
}

const VALUE = { cached: true };

/** Replays a trace against `get`/`set`, returning the hit ratio and the time taken. */
function replay(trace: Int32Array, names: string[], get: (key: string) => unknown, set: (key: string) => void): { hitRatio: number; elapsedMs: number } {
  let hits = 0;
  const started = performance.now();
  for (let i = 0; i < trace.length; i++) {
    const key = names[trace[i] as number] as string;
    if (get(key) !== undefined) hits++;
    else set(key);
  }
  return { hitRatio: hits / trace.length, elapsedMs: performance.now() - started };
}

const round = (value: number): number => Math.round(value * 1e5) / 1e5;

function lruCase(workload: Workload): BenchCase {
  return {
    name: `lru-cache, ${workload}`,
    role: 'baseline',
    setup: (ctx: RunContext) => void prepare(ctx.quick),
    async measure(): Promise<Measurement> {
      const { setting, traces, names } = prepare(false);
      const lru = new LRUCache<string, object>({ max: setting.capacity });
      const run = replay(traces[workload], names, (k) => lru.get(k), (k) => lru.set(k, VALUE));
      latest.set(`lru ${workload}`, run.hitRatio);
      return { ops: setting.requests, elapsedMs: run.elapsedMs, extra: { hitRatio: round(run.hitRatio) } };
    },
  };
}

function optimalCase(workload: Workload): BenchCase {
  return {
    name: `optimal (Belady), ${workload}`,
    role: 'baseline',
    setup: (ctx: RunContext) => void prepare(ctx.quick),
    async measure(): Promise<Measurement> {
      const { setting, traces, names } = prepare(false);
      const started = performance.now();
      const hitRatio = beladyHitRatio(traces[workload], names.length, setting.capacity);
      latest.set(`optimal ${workload}`, hitRatio);
      return { ops: setting.requests, elapsedMs: performance.now() - started, extra: { hitRatio: round(hitRatio) } };
    },
  };
}

function tinyLfuCase(workload: Workload): BenchCase {
  return {
    name: `w-tinylfu, ${workload}`,
    role: 'subject',
    setup: (ctx: RunContext) => void prepare(ctx.quick),
    async measure(): Promise<Measurement> {
      const { setting, traces, names } = prepare(false);
      const store = createL1Store<object>({ policy: 'w-tinylfu', maxEntries: setting.capacity });
      const run = replay(traces[workload], names, (k) => store.get(k), (k) => store.set(k, VALUE, 1));
      const lru = latest.get(`lru ${workload}`) ?? Number.NaN;
      const optimal = latest.get(`optimal ${workload}`) ?? Number.NaN;
      return {
        ops: setting.requests,
        elapsedMs: run.elapsedMs,
        extra: {
          hitRatio: round(run.hitRatio),
          lruHitRatio: round(lru),
          optimalHitRatio: round(optimal),
          gainOverLru: round(run.hitRatio - lru),
          gapToOptimal: round(optimal - run.hitRatio),
        },
      };
    },
  };
}

const targets: Target[] = [
  { kind: 'extra', subject: 'w-tinylfu, zipf', key: 'gainOverLru', min: 0.001, description: 'W-TinyLFU above LRU on Zipf(0.99)' },
  { kind: 'extra', subject: 'w-tinylfu, scan', key: 'gainOverLru', min: 0.001, description: 'W-TinyLFU above LRU on a scan-heavy trace' },
];

const suite: Suite = {
  id: 'cache-hit-ratio',
  title: 'Tiered cache: L1 hit ratio by policy',
  description:
    'Replayed traces (Zipf(0.99), 10M requests over 1M keys, cache 1% of keys; and the same with 30% of requests looping over 4× the cache): W-TinyLFU against LRU (lru-cache) and the offline optimum (Belady).',
  cases: [lruCase('zipf'), optimalCase('zipf'), tinyLfuCase('zipf'), lruCase('scan'), optimalCase('scan'), tinyLfuCase('scan')],
  targets,
  // The traces are fixed, so every repetition gives the same ratios: one is enough.
  repetitions: 1,
};

export default suite;
