import { createBatcher, type Batcher } from '@strata/batching';
import type { BenchCase, Measurement, RunContext, Suite, Target } from '../harness/types.js';

/**
 * Adaptive micro-batching against a sweep of fixed settings, under open-loop load at three
 * arrival rates. The sink models a store that works outside the event loop (a disk, a database
 * server): a fixed cost per batch (an fsync or a round trip) plus a small cost per item, spent as
 * an asynchronous wait that leaves the event loop free, so the main thread's CPU goes to the
 * batcher and the load generator alone. Every configuration has one batch in flight at a time.
 */

/** Fixed cost of one batch, in µs: the flush or round trip. */
const PER_BATCH_US = 200;
/** Cost per item of a batch, in µs: the sink writing it. */
const PER_ITEM_US = 5;
/** The adaptive batcher's latency target, and the p99 its callers must see at low load. */
const TARGET_LATENCY_MS = 20;
/** Bound on queued items for every configuration; arrivals beyond it are shed. */
const MAX_PENDING = 8_192;
/** Load run once per case before its first repetition (JIT, heap, controller), in ms. */
const PREPARE_MS = 200;
const PREPARE_QUICK_MS = 100;
/**
 * Shortest measured window at saturating load, in ms, for quick mode's sake: the largest batches
 * take about 21 ms there, and a window needs about ten of them for a throughput worth comparing.
 */
const MIN_SATURATED_WINDOW_MS = 250;

type Config = { name: string; maxSize: number; maxDelayMs: number; adaptive: boolean };
type Load = { name: 'low' | 'medium' | 'saturating'; perSec: number };

// Small, medium and large batches by event-loop turn (group commit), and by timer.
const FIXED: readonly Config[] = [
  { name: 'fixed 16/turn', maxSize: 16, maxDelayMs: 0, adaptive: false },
  { name: 'fixed 256/turn', maxSize: 256, maxDelayMs: 0, adaptive: false },
  { name: 'fixed 4096/turn', maxSize: 4096, maxDelayMs: 0, adaptive: false },
  { name: 'fixed 256/1ms', maxSize: 256, maxDelayMs: 1, adaptive: false },
  { name: 'fixed 4096/5ms', maxSize: 4096, maxDelayMs: 5, adaptive: false },
];
// Starts from a deliberately small target: the preparation run shows it converging.
const ADAPTIVE: Config = { name: 'adaptive', maxSize: 64, maxDelayMs: 0, adaptive: true };

// Offered arrival rates: well under every configuration's capacity (about 190k items/s for the
// largest batches, 50k/s for batches of 16), under most of them, and beyond all of them.
const LOADS: readonly Load[] = [
  { name: 'low', perSec: 2_000 },
  { name: 'medium', perSec: 40_000 },
  { name: 'saturating', perSec: 250_000 },
];

/** The latest throughput of every fixed configuration per load, for the adaptive case's ratio. */
const latestFixed = new Map<Load['name'], Map<string, number>>();

/** Start and end times and sizes of the batches the sink has finished, in order. */
type BatchLog = { started: number[]; ended: number[]; sizes: number[] };

function createSubject(config: Config, log: BatchLog): Batcher<number, boolean> {
  return createBatcher<number, boolean>({
    async execute(items) {
      const started = performance.now();
      await yieldFor((PER_BATCH_US + items.length * PER_ITEM_US) / 1000);
      log.started.push(started);
      log.ended.push(performance.now());
      log.sizes.push(items.length);
      return items.map(() => true);
    },
    maxSize: config.maxSize,
    maxDelayMs: config.maxDelayMs,
    maxPending: MAX_PENDING,
    name: `bench ${config.name}`,
    ...(config.adaptive ? { adaptive: { targetLatencyMs: TARGET_LATENCY_MS, minSize: 1, maxSize: 4096 } } : {}),
  });
}

/**
 * An asynchronous wait of `ms`, finer than a timer's 1 ms floor: it re-checks once per event-loop
 * turn, so arrivals and other batches proceed meanwhile, as they would during a real fsync.
 */
function yieldFor(ms: number): Promise<void> {
  const end = performance.now() + ms;
  return new Promise((resolve) => {
    const check = (): void => {
      if (performance.now() >= end) resolve();
      else setImmediate(check);
    };
    setImmediate(check);
  });
}

type LoadRun = { windowStart: number; end: number; shed: number; latenciesNs: Float64Array };

/**
 * Offers items at a fixed rate for `warmupMs + durationMs` regardless of how fast they complete
 * (open loop), then waits for all of them to settle. Latency runs from an item's scheduled arrival,
 * not from when the generator got round to it, so a stalled event loop shows up instead of being
 * hidden (no coordinated omission). Only arrivals in the measured window are reported.
 */
function offerLoad(batcher: Batcher<number, boolean>, perSec: number, warmupMs: number, durationMs: number): Promise<LoadRun> {
  const intervalMs = 1000 / perSec;
  const start = performance.now();
  const windowStart = start + warmupMs;
  const end = windowStart + durationMs;
  const total = Math.floor((warmupMs + durationMs) / intervalMs);
  const latenciesNs = new Float64Array(Math.ceil(durationMs / intervalMs) + 1);
  let samples = 0;
  let issued = 0;
  let settled = 0;
  let shed = 0;
  return new Promise((resolve, reject) => {
    const finishIfDone = (): void => {
      if (issued === total && settled === total) {
        resolve({ windowStart, end, shed, latenciesNs: latenciesNs.subarray(0, samples) });
      }
    };
    const issue = (index: number): void => {
      const arrival = start + index * intervalMs;
      const measured = arrival >= windowStart;
      // Load beyond maxPending is shed through tryAdd: refusing costs a comparison, where `add`
      // would build and reject an error per refused arrival and spend the CPU the batcher needs.
      const result = batcher.tryAdd(index);
      if (result === undefined) {
        settled++;
        if (measured) shed++;
        return;
      }
      result.then(
        () => {
          settled++;
          if (measured && samples < latenciesNs.length) latenciesNs[samples++] = (performance.now() - arrival) * 1e6;
          finishIfDone();
        },
        (error: unknown) => reject(error as Error),
      );
    };
    const tick = (): void => {
      const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
      while (issued < due) issue(issued++);
      if (issued < total) setImmediate(tick);
      else finishIfDone();
    };
    tick();
  });
}

/** What the sink saw in the measured window. */
type WindowFigures = { ops: number; elapsedMs: number; batches: number; averageSize: number; averageLatencyMs: number };

/**
 * Throughput over the measured window with its edges moved to batch completions: the items of
 * the batches that ended inside it, over the time from the last completion before it to the last
 * completion inside it. Items complete in bursts of a batch, so counting them in a fixed window
 * would be off by up to one batch (a 4,096-item batch is a large share of a short window); the
 * span from one completion to another holds whole batches only.
 */
function windowFigures(log: BatchLog, run: LoadRun): WindowFigures {
  let from = run.windowStart;
  let to = -1;
  let batches = 0;
  let items = 0;
  let latencyMs = 0;
  for (let i = 0; i < log.ended.length; i++) {
    const ended = log.ended[i] as number;
    if (ended < run.windowStart) {
      from = ended;
      continue;
    }
    if (ended >= run.end) break;
    batches++;
    items += log.sizes[i] as number;
    latencyMs += ended - (log.started[i] as number);
    to = ended;
  }
  const averageSize = batches === 0 ? 0 : items / batches;
  const averageLatencyMs = batches === 0 ? 0 : latencyMs / batches;
  const elapsedMs = to > from ? to - from : run.end - run.windowStart;
  return { ops: items, elapsedMs, batches, averageSize, averageLatencyMs };
}

function loadCase(config: Config, load: Load): BenchCase {
  const log: BatchLog = { started: [], ended: [], sizes: [] };
  let batcher: Batcher<number, boolean> | undefined;
  return {
    name: `${config.name} @ ${load.name}`,
    role: config.adaptive ? 'subject' : 'baseline',
    // One batcher per case, kept across repetitions like one in a long-running service. The
    // preparation run brings the process and the adaptive controller to a steady state; the
    // fixed settings get the same run, so every case starts equally warm.
    async setup(ctx: RunContext): Promise<void> {
      batcher = createSubject(config, log);
      await offerLoad(batcher, load.perSec, 0, ctx.quick ? PREPARE_QUICK_MS : PREPARE_MS);
    },
    async measure(ctx: RunContext): Promise<Measurement> {
      if (batcher === undefined) throw new Error(`case "${config.name} @ ${load.name}" was not set up`);
      log.started.length = 0;
      log.ended.length = 0;
      log.sizes.length = 0;
      const durationMs = load.name === 'saturating' ? Math.max(ctx.durationMs, MIN_SATURATED_WINDOW_MS) : ctx.durationMs;
      const run = await offerLoad(batcher, load.perSec, ctx.warmupMs, durationMs);
      const figures = windowFigures(log, run);
      const opsPerSec = (figures.ops * 1000) / figures.elapsedMs;
      const extra: Record<string, number> = {
        offeredPerSec: load.perSec,
        shedPerSec: Math.round((run.shed * 1000) / durationMs),
        batches: figures.batches,
        averageBatchSize: round(figures.averageSize),
        averageBatchLatencyMs: round(figures.averageLatencyMs),
        targetSize: batcher.stats.targetSize,
      };
      // No setting can sustain more than the offered rate: a window above it is working off a
      // backlog from before the window, so the comparison caps both sides at the offered rate.
      const sustained = Math.min(opsPerSec, load.perSec);
      if (config.adaptive) {
        const best = Math.max(0, ...(latestFixed.get(load.name)?.values() ?? []));
        extra.bestFixedOpsPerSec = Math.round(best);
        extra.ratioToBestFixed = best > 0 ? round(sustained / best) : 0;
      } else {
        let fixed = latestFixed.get(load.name);
        if (fixed === undefined) latestFixed.set(load.name, (fixed = new Map()));
        fixed.set(config.name, sustained);
      }
      return { ops: figures.ops, elapsedMs: figures.elapsedMs, latenciesNs: run.latenciesNs, extra };
    },
    async teardown(): Promise<void> {
      await batcher?.close();
      batcher = undefined;
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

// Fixed configurations run before the adaptive one at each load, so its ratio compares figures
// from the same repetition.
const cases: BenchCase[] = LOADS.flatMap((load) => [...FIXED, ADAPTIVE].map((config) => loadCase(config, load)));

const targets: Target[] = [
  ...LOADS.map(
    (load): Target => ({
      kind: 'extra',
      subject: `${ADAPTIVE.name} @ ${load.name}`,
      key: 'ratioToBestFixed',
      min: 0.9,
      description: `adaptive throughput ≥ 0.9 × the best fixed setting at ${load.name} load`,
    }),
  ),
  {
    kind: 'latency',
    subject: `${ADAPTIVE.name} @ low`,
    percentile: 99,
    maxMs: TARGET_LATENCY_MS,
    description: `adaptive p99 under its ${TARGET_LATENCY_MS} ms latency target at low load`,
  },
];

const suite: Suite = {
  id: 'batching',
  title: 'Adaptive micro-batching vs fixed settings',
  description:
    `Open-loop load at ${LOADS.map((l) => `${l.perSec / 1000}k/s`).join(', ')} against a sink costing ` +
    `${PER_BATCH_US} µs per batch plus ${PER_ITEM_US} µs per item (asynchronous); the adaptive batcher ` +
    `(group commit, latency target ${TARGET_LATENCY_MS} ms) vs a sweep of fixed maxSize/maxDelayMs.`,
  cases,
  targets,
  durationMs: 600,
  repetitions: 3,
};

export default suite;
