import { InvalidArgumentError } from '@strata/core';
import { MetricFamily, type MetricFamilyOptions } from './metric-family.js';

/** One series of a {@link GaugeMetric}: a value that goes up and down. */
export class GaugeSeries {
  /** The current value. */
  value = 0;

  /** Sets the value; non-finite values are ignored. */
  set(value: number): void {
    if (Number.isFinite(value)) this.value = value;
  }

  /** Adds `amount` (default 1). */
  inc(amount = 1): void {
    if (Number.isFinite(amount)) this.value += amount;
  }

  /** Subtracts `amount` (default 1). */
  dec(amount = 1): void {
    if (Number.isFinite(amount)) this.value -= amount;
  }
}

/** Options of a gauge family. */
export type GaugeOptions = MetricFamilyOptions & {
  /**
   * Called at every sample and before every scrape, to set values that are cheaper to read on
   * demand than to track (a queue's length, a pool's idle count).
   */
  collect?: (gauge: GaugeMetric) => void;
};

/** A family of values that go up and down (exposed as a Prometheus `gauge`). */
export class GaugeMetric extends MetricFamily<GaugeSeries> {
  readonly type = 'gauge' as const;
  readonly #collect: ((gauge: GaugeMetric) => void) | undefined;

  /** @internal Use `MetricRegistry.gauge`. */
  constructor(options: GaugeOptions, maxSeries: number) {
    super(options, maxSeries);
    if (options.collect !== undefined && typeof options.collect !== 'function') {
      throw new InvalidArgumentError('collect', `expected a function for gauge '${options.name}'`);
    }
    this.#collect = options.collect;
  }

  protected createSeries(): GaugeSeries {
    return new GaugeSeries();
  }

  /**
   * Sets the unlabelled series.
   * @throws InvalidArgumentError when the family has labels (use `labels(...).set()`).
   */
  set(value: number): void {
    if (this.labelNames.length > 0) throw new InvalidArgumentError('labels', `'${this.name}' is labelled: use labels(...).set()`);
    this.labels().set(value);
  }

  /** Sum of every series' value. */
  totalValue(): number {
    let sum = 0;
    for (const entry of this.series()) sum += entry.series.value;
    return sum;
  }

  /** @internal Runs the `collect` callback, if any. */
  collect(): void {
    this.#collect?.(this);
  }
}
