import type { AdaptiveOptions } from '../batcher/batcher-options.js';
import { LatencyModel } from './latency-model.js';

// How much of the latency headroom is turned into growth per batch. At 0.5 a batch executing in a
// tiny fraction of the target grows the next target by about half (a slow start); a batch just
// under the target grows it by one item, so the target settles rather than oscillates.
const GROWTH_GAIN = 0.5;
// Growth per full batch when no size can meet the latency target: only throughput is left to win.
const UNREACHABLE_GROWTH = 0.25;
// However slow a batch, one decision cuts the target at most in half.
const MAX_DECREASE = 0.5;

/**
 * Picks the batch size target from the measured execution latency of batches: a gradient
 * controller in the spirit of Netflix's concurrency-limits, with the latency target given rather
 * than learned.
 *
 * - A *full* batch (it reached the target) faster than the target grows it by a step proportional
 *   to the remaining headroom. Only full batches grow it: a batch that was not full shows that
 *   demand, not the target, limited it, so a larger target could not have raised throughput.
 * - Two consecutive batches slower than the target shrink it in proportion to the overshoot
 *   (`size × target / latency`, with the lower latency of the two, at most halving), starting
 *   from the batch's actual size. A lone slow batch is taken for an outlier and changes nothing.
 * - Unless the {@link LatencyModel}, fitted to the batches since latency went over the target,
 *   shows that the fixed cost of a batch alone exceeds the target. Then no size can meet it,
 *   smaller batches would only pay that cost more often, and full batches grow the target
 *   instead. This keeps a stalled event loop, which inflates every batch's latency whatever its
 *   size, from shrinking batches into a collapse.
 */
export class AdaptiveSizeController {
  #target: number;
  readonly #minSize: number;
  readonly #maxSize: number;
  readonly #targetLatencyMs: number;
  readonly #model = new LatencyModel();
  /** Consecutive batches over the latency target; the model holds exactly these. */
  #slowStreak = 0;
  #lastSlowLatencyMs = 0;

  constructor(options: AdaptiveOptions, initialTarget: number) {
    this.#minSize = options.minSize;
    this.#maxSize = options.maxSize;
    this.#targetLatencyMs = options.targetLatencyMs;
    this.#target = Math.min(this.#maxSize, Math.max(this.#minSize, initialTarget));
  }

  /** The current batch size target, always within `[minSize, maxSize]`. */
  get target(): number {
    return this.#target;
  }

  /**
   * Feeds back one executed batch.
   * @param size items the batch held
   * @param latencyMs its execution time
   * @param full whether it held at least the target in force when it was cut
   */
  observe(size: number, latencyMs: number, full: boolean): void {
    const targetLatency = this.#targetLatencyMs;
    if (latencyMs > targetLatency) {
      // The fit covers this episode of slow batches only: an earlier episode may have had
      // another cause (a stall then, a slow sink now), and mixed in it would bend the line.
      if (this.#slowStreak === 0) this.#model.reset();
      this.#model.observe(size, latencyMs);
      const previous = this.#lastSlowLatencyMs;
      this.#lastSlowLatencyMs = latencyMs;
      // One slow batch among fast ones is taken for an outlier (a GC pause): reacting to each
      // would keep a target that sits at the latency limit halving and regrowing.
      if (++this.#slowStreak < 2) return;
      const fixedCost = this.#model.fixedCostMs();
      if (fixedCost !== undefined && fixedCost >= targetLatency) {
        if (full) this.#grow(UNREACHABLE_GROWTH);
        return;
      }
      const ratio = Math.max(MAX_DECREASE, targetLatency / Math.min(latencyMs, previous));
      const base = Math.min(this.#target, size);
      this.#target = Math.max(this.#minSize, Math.floor(base * ratio));
      return;
    }
    this.#slowStreak = 0;
    if (full) this.#grow((1 - latencyMs / targetLatency) * GROWTH_GAIN);
  }

  #grow(share: number): void {
    const step = Math.max(1, Math.floor(this.#target * share));
    this.#target = Math.min(this.#maxSize, this.#target + step);
  }
}
