import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { LatencyRecorder } from './latency-recorder.js';

/** What one closed-loop window measured. */
export type LoopResult = {
  /** Calls of `fn` that completed, including those still in flight at the deadline. */
  calls: number;
  /** Wall time from the first call to the completion of the last, in ms. */
  elapsedMs: number;
};

/** Settings of one closed-loop window. */
export type LoopOptions = {
  /** Calls kept in flight at once (only meaningful when `fn` returns promises). */
  concurrency: number;
  durationMs: number;
  /** Receives the latency of every call, in ns. */
  recorder: LatencyRecorder;
  /** Whether `fn` returns promises; decides between the synchronous and the concurrent loop. */
  async: boolean;
};

/**
 * A synchronous loop hands the event loop a turn this often, so timers, I/O callbacks and work a
 * `fn` scheduled in the background still run; that time counts towards the window (it is part of
 * the cost of the calls) but not towards any call's latency.
 */
const SYNC_YIELD_EVERY_MS = 50;

/** Whether `value` is a promise or another thenable the loop must wait for. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Calls `fn` back to back for `durationMs` and times every call. Each call's latency runs from the
 * end of the previous call on the same caller to its own end, so one clock read per call serves
 * both the latency and the deadline check (a clock read costs tens of ns, comparable to the
 * fastest calls measured). Calls in flight at the deadline finish and are counted.
 */
export async function runClosedLoop(fn: () => unknown, options: LoopOptions): Promise<LoopResult> {
  return options.async ? concurrentLoop(fn, options) : synchronousLoop(fn, options);
}

async function synchronousLoop(fn: () => unknown, { durationMs, recorder }: LoopOptions): Promise<LoopResult> {
  const start = performance.now();
  const deadline = start + durationMs;
  let nextYield = start + SYNC_YIELD_EVERY_MS;
  let calls = 0;
  let t0 = start;
  for (;;) {
    const result = fn();
    // A function that is usually synchronous may still return a promise now and then.
    if (isThenable(result)) await result;
    const t1 = performance.now();
    recorder.record((t1 - t0) * 1e6);
    calls++;
    if (t1 >= deadline) return { calls, elapsedMs: t1 - start };
    if (t1 >= nextYield) {
      await yieldToEventLoop();
      t0 = performance.now();
      nextYield = t0 + SYNC_YIELD_EVERY_MS;
    } else {
      t0 = t1;
    }
  }
}

async function concurrentLoop(fn: () => unknown, { concurrency, durationMs, recorder }: LoopOptions): Promise<LoopResult> {
  const start = performance.now();
  const deadline = start + durationMs;
  let calls = 0;
  let end = start;
  // After one caller fails the others stop at their next completion, so nothing keeps calling
  // `fn` while the case is being torn down.
  let failed = false;
  const caller = async (): Promise<void> => {
    let t0 = performance.now();
    for (;;) {
      try {
        await fn();
      } catch (error) {
        failed = true;
        throw error;
      }
      const t1 = performance.now();
      recorder.record((t1 - t0) * 1e6);
      calls++;
      if (t1 >= deadline || failed) {
        if (t1 > end) end = t1;
        return;
      }
      t0 = t1;
    }
  };
  const callers: Promise<void>[] = [];
  for (let i = 0; i < concurrency; i++) callers.push(caller());
  const settled = await Promise.allSettled(callers);
  const rejection = settled.find((outcome) => outcome.status === 'rejected');
  if (rejection) throw rejection.reason;
  return { calls, elapsedMs: end - start };
}
