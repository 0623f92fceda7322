/** Latencies of one kind of request. */
export class LatencyStats {
  readonly #samples: number[] = [];
  errors = 0;

  record(ms: number): void {
    this.#samples.push(ms);
  }

  get count(): number {
    return this.#samples.length;
  }

  /** Nearest-rank percentile, in ms. */
  percentile(p: number): number {
    if (this.#samples.length === 0) return Number.NaN;
    const sorted = this.#sorted();
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  }

  #sorted(): number[] {
    return this.#samples.sort((a, b) => a - b);
  }
}
