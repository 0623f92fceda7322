/** What a pool counts for its statistics (see `PoolStats`). */
export class PoolCounters {
  acquisitions = 0;
  acquireTotalMs = 0;
  acquireMaxMs = 0;
  acquireLastMs = 0;
  acquireTimeouts = 0;
  failures = 0;
  retries = 0;
  rejected = 0;
  healthChecks = 0;
  evicted = 0;

  /** Records one connection checkout that took `ms`. */
  acquired(ms: number): void {
    this.acquisitions++;
    this.acquireTotalMs += ms;
    this.acquireLastMs = ms;
    if (ms > this.acquireMaxMs) this.acquireMaxMs = ms;
  }

  /** Checkout latency: mean, largest and latest, in ms. */
  acquireMs(): { mean: number; max: number; last: number } {
    return {
      mean: this.acquisitions === 0 ? 0 : this.acquireTotalMs / this.acquisitions,
      max: this.acquireMaxMs,
      last: this.acquireLastMs,
    };
  }
}
