// Weight kept by older batches per new one: about the last five batches dominate the fit, so it
// follows a sink whose costs drift instead of averaging two regimes into a meaningless line.
const DECAY = 0.8;
// The fit needs batch sizes that differ by at least this share of their mean to separate the
// fixed part of the latency from the per-item part; with less spread the intercept is noise.
const MIN_RELATIVE_SPREAD = 0.1;

/**
 * A running linear model of batch latency, `latency ≈ fixed + perItem × size`, fitted by
 * exponentially weighted least squares over recent batches. It answers one question for the
 * adaptive controller: can *any* batch size meet the latency target, or is the fixed part alone
 * (a slow fsync, a stalled event loop) already over it?
 */
export class LatencyModel {
  #weight = 0;
  #sumSize = 0;
  #sumLatency = 0;
  #sumSizeSquared = 0;
  #sumSizeLatency = 0;

  /** Forgets every batch observed so far. */
  reset(): void {
    this.#weight = 0;
    this.#sumSize = 0;
    this.#sumLatency = 0;
    this.#sumSizeSquared = 0;
    this.#sumSizeLatency = 0;
  }

  /** Adds one batch to the fit. */
  observe(size: number, latencyMs: number): void {
    this.#weight = this.#weight * DECAY + 1;
    this.#sumSize = this.#sumSize * DECAY + size;
    this.#sumLatency = this.#sumLatency * DECAY + latencyMs;
    this.#sumSizeSquared = this.#sumSizeSquared * DECAY + size * size;
    this.#sumSizeLatency = this.#sumSizeLatency * DECAY + size * latencyMs;
  }

  /**
   * The estimated latency of a batch of zero items, in ms, or `undefined` while recent sizes are
   * too alike to tell it apart. A negative per-item slope counts as zero: latency that does not
   * grow with size is all fixed cost, which is what a stalled event loop looks like.
   */
  fixedCostMs(): number | undefined {
    const weight = this.#weight;
    if (weight === 0) return undefined;
    const meanSize = this.#sumSize / weight;
    const meanLatency = this.#sumLatency / weight;
    const variance = this.#sumSizeSquared / weight - meanSize * meanSize;
    if (!(variance > (MIN_RELATIVE_SPREAD * meanSize) ** 2)) return undefined;
    const covariance = this.#sumSizeLatency / weight - meanSize * meanLatency;
    const perItem = Math.max(0, covariance / variance);
    return meanLatency - perItem * meanSize;
  }
}
