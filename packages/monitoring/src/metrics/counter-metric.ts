import { InvalidArgumentError } from '@strata/core';
import { MetricFamily, type MetricFamilyOptions } from './metric-family.js';

/** One series of a {@link CounterMetric}: a total that only goes up, and its recent rate. */
export class CounterSeries {
  /** The total since the monitor started. */
  value = 0;
  /** Per-second increase over the last sampling interval (0 before the first). */
  rate = 0;
  #previous = 0;

  /** Adds `amount` (default 1); negative or non-finite amounts are ignored. */
  inc(amount = 1): void {
    if (amount >= 0 && amount !== Infinity) this.value += amount;
  }

  /** @internal Computes the rate over an interval of `elapsedMs`. */
  tick(elapsedMs: number): void {
    this.rate = elapsedMs > 0 ? ((this.value - this.#previous) * 1000) / elapsedMs : 0;
    this.#previous = this.value;
  }
}

/** A family of monotonically increasing totals (exposed as a Prometheus `counter`). */
export class CounterMetric extends MetricFamily<CounterSeries> {
  readonly type = 'counter' as const;

  /** @internal Use `MetricRegistry.counter`. */
  constructor(options: MetricFamilyOptions, maxSeries: number) {
    super(options, maxSeries);
  }

  protected createSeries(): CounterSeries {
    return new CounterSeries();
  }

  /**
   * Adds to the unlabelled series.
   * @throws InvalidArgumentError when the family has labels (use `labels(...).inc()`).
   */
  inc(amount = 1): void {
    if (this.labelNames.length > 0) throw new InvalidArgumentError('labels', `'${this.name}' is labelled: use labels(...).inc()`);
    this.labels().inc(amount);
  }

  /** Sum of every series' per-second rate over the last interval. */
  totalRate(): number {
    let sum = 0;
    for (const entry of this.series()) sum += entry.series.rate;
    return sum;
  }

  /** Sum of every series' total. */
  totalValue(): number {
    let sum = 0;
    for (const entry of this.series()) sum += entry.series.value;
    return sum;
  }

  /** @internal */
  tick(elapsedMs: number): void {
    for (const entry of this.series()) entry.series.tick(elapsedMs);
  }
}
