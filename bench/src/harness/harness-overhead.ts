import { runClosedLoop } from './closed-loop.js';
import { LatencyRecorder } from './latency-recorder.js';

const WARMUP_MS = 50;
const WINDOW_MS = 20;
const WINDOWS = 5;

/**
 * Measures what the synchronous closed loop itself costs per call (a clock read, a histogram
 * slot, the loop) by driving a function that does nothing. A case whose calls take not much
 * longer than this has its throughput, and its ratios against other cases, compressed towards 1.
 * The figure is the fastest of several short windows: the intrinsic cost, not the noise.
 */
export async function measureHarnessOverheadNs(): Promise<number> {
  const noop = (): void => {};
  const recorder = new LatencyRecorder();
  await runClosedLoop(noop, { concurrency: 1, durationMs: WARMUP_MS, recorder, async: false });
  let fastest = Number.POSITIVE_INFINITY;
  for (let window = 0; window < WINDOWS; window++) {
    const { calls, elapsedMs } = await runClosedLoop(noop, { concurrency: 1, durationMs: WINDOW_MS, recorder, async: false });
    fastest = Math.min(fastest, (elapsedMs * 1e6) / calls);
  }
  return Math.round(fastest);
}

/**
 * Below this many multiples of the harness overhead a `fn` case gets a note advising it to do
 * more work per call.
 */
export const OVERHEAD_NOTE_FACTOR = 10;
