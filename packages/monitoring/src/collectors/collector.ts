/**
 * A source of metrics. The monitor starts every collector at creation, calls `sample` once per
 * sampling interval (after counter rates and histogram intervals are closed, so a collector can
 * derive ratios from them) and stops them on `close()`.
 */
export interface Collector {
  /** Subscribes to channels, enables observers. */
  start(): void;
  /** Reads what is cheaper to poll than to track, and derives per-interval figures. */
  sample(elapsedMs: number): void;
  /** Undoes `start`: after it, the collector costs nothing. */
  stop(): void;
}
