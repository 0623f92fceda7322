import { InvalidArgumentError } from '@strata/core';
import { LogLinearHistogram } from './log-linear-histogram.js';
import { MetricFamily, type MetricFamilyOptions } from './metric-family.js';

/**
 * What a histogram measures. `'seconds'`: durations, observed in milliseconds (what differences of
 * `performance.now()` give), stored at nanosecond resolution, exposed to Prometheus in seconds and
 * reported in milliseconds in JSON. `'none'`: plain quantities (batch sizes), as observed.
 */
export type HistogramUnit = 'seconds' | 'none';

/** Options of a histogram family. */
export type HistogramOptions = MetricFamilyOptions & {
  /** Default `'seconds'`; a `'seconds'` histogram's name must end in `_seconds`. */
  unit?: HistogramUnit;
};

/** Percentiles and totals of a set of observations, in display units (ms for durations). */
export type HistogramStats = {
  count: number;
  sum: number;
  mean: number;
  min: number;
  max: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
};

const PERCENTILES = [50, 95, 99, 99.9] as const;

/** Statistics of a histogram, with stored values divided by `divisor`; `null` when empty. */
export function statsOf(histogram: LogLinearHistogram, divisor: number): HistogramStats | null {
  const count = histogram.count;
  if (count === 0) return null;
  const [p50 = 0, p95 = 0, p99 = 0, p999 = 0] = histogram.percentiles(PERCENTILES);
  return {
    count,
    sum: histogram.sum / divisor,
    mean: histogram.sum / count / divisor,
    min: histogram.min / divisor,
    max: histogram.max / divisor,
    p50: p50 / divisor,
    p95: p95 / divisor,
    p99: p99 / divisor,
    p999: p999 / divisor,
  };
}

/**
 * One series of a {@link HistogramMetric}. Observations go into an interval histogram that the
 * monitor closes once per sample: its statistics become {@link HistogramSeries.last} (what the
 * dashboard and alerts read) and it is folded into a two-part sliding window (what `/metrics`
 * reports as quantiles). Recording is one slot increment; everything else happens per sample.
 */
export class HistogramSeries {
  #interval = new LogLinearHistogram();
  #current = new LogLinearHistogram();
  #previous = new LogLinearHistogram();
  readonly #scale: number;
  readonly #divisor: number;
  #count = 0;
  #sum = 0;
  #last: HistogramStats | null = null;
  /** Observations per second over the last interval. */
  rate = 0;

  /** @internal */
  constructor(scale: number, divisor: number) {
    this.#scale = scale;
    this.#divisor = divisor;
  }

  /** Records one observation (milliseconds for a `'seconds'` histogram). `NaN` is ignored. */
  observe(value: number): void {
    this.#interval.record(value * this.#scale);
  }

  /** Statistics of the last closed interval, or `null` when it saw no observation. */
  get last(): HistogramStats | null {
    return this.#last;
  }

  /** Observations since the monitor started. */
  get count(): number {
    return this.#count + this.#interval.count;
  }

  /** Sum of observations since the monitor started, in display units. */
  get sum(): number {
    return (this.#sum + this.#interval.sum) / this.#divisor;
  }

  /** Statistics over the sliding window, including the interval in progress. */
  windowStats(scratch: LogLinearHistogram): HistogramStats | null {
    scratch.reset();
    scratch.add(this.#previous);
    scratch.add(this.#current);
    scratch.add(this.#interval);
    return statsOf(scratch, this.#divisor);
  }

  /** @internal Closes the interval; `merged` receives its observations first. */
  tick(elapsedMs: number, rotate: boolean, merged: LogLinearHistogram): void {
    const interval = this.#interval;
    this.#last = statsOf(interval, this.#divisor);
    this.rate = elapsedMs > 0 ? (interval.count * 1000) / elapsedMs : 0;
    this.#count += interval.count;
    this.#sum += interval.sum;
    merged.add(interval);
    if (rotate) {
      const oldest = this.#previous;
      this.#previous = this.#current;
      oldest.reset();
      this.#current = oldest;
    }
    this.#current.add(interval);
    interval.reset();
  }
}

/**
 * A family of latency (or size) distributions with HDR-style precision: every percentile is
 * within 0.1% of the exact value. Exposed as a Prometheus `summary` whose quantiles
 * (0.5, 0.95, 0.99, 0.999) cover the monitor's quantile window, plus `_sum` and `_count` since
 * start.
 */
export class HistogramMetric extends MetricFamily<HistogramSeries> {
  readonly type = 'summary' as const;
  /** The unit of the observations. */
  readonly unit: HistogramUnit;
  readonly #scale: number;
  readonly #divisor: number;
  readonly #merged = new LogLinearHistogram();
  readonly #scratch = new LogLinearHistogram();
  #last: HistogramStats | null = null;
  #rate = 0;

  /** @internal Use `MetricRegistry.histogram`. */
  constructor(options: HistogramOptions, maxSeries: number) {
    super(options, maxSeries, ['quantile']);
    const unit = options.unit ?? 'seconds';
    if (unit !== 'seconds' && unit !== 'none') throw new InvalidArgumentError('unit', "expected 'seconds' or 'none'");
    if (unit === 'seconds' && !options.name.endsWith('_seconds')) {
      throw new InvalidArgumentError('name', `a duration histogram's name ends in _seconds, got '${options.name}'`);
    }
    this.unit = unit;
    // Durations: ms observed, ns stored (three digits at any scale), ms reported.
    this.#scale = unit === 'seconds' ? 1e6 : 1;
    this.#divisor = unit === 'seconds' ? 1e6 : 1;
  }

  protected createSeries(): HistogramSeries {
    return new HistogramSeries(this.#scale, this.#divisor);
  }

  /**
   * Records into the unlabelled series.
   * @throws InvalidArgumentError when the family has labels (use `labels(...).observe()`).
   */
  observe(value: number): void {
    if (this.labelNames.length > 0) throw new InvalidArgumentError('labels', `'${this.name}' is labelled: use labels(...).observe()`);
    this.labels().observe(value);
  }

  /** Statistics of the last interval over every series together, or `null` without observations. */
  get last(): HistogramStats | null {
    return this.#last;
  }

  /** Observations per second over the last interval, every series together. */
  get rate(): number {
    return this.#rate;
  }

  /** Sliding-window statistics of one series (used by the exposition). */
  windowStats(series: HistogramSeries): HistogramStats | null {
    return series.windowStats(this.#scratch);
  }

  /** @internal Closes every series' interval; `rotate` starts a new half of the sliding window. */
  tick(elapsedMs: number, rotate: boolean): void {
    const merged = this.#merged;
    merged.reset();
    for (const entry of this.series()) entry.series.tick(elapsedMs, rotate, merged);
    this.#last = statsOf(merged, this.#divisor);
    this.#rate = elapsedMs > 0 ? (merged.count * 1000) / elapsedMs : 0;
  }
}
