import { InvalidArgumentError } from '@strata/core';
import { CounterMetric } from './counter-metric.js';
import { GaugeMetric, type GaugeOptions } from './gauge-metric.js';
import { HistogramMetric, type HistogramOptions, type HistogramStats } from './histogram-metric.js';
import type { MetricFamilyOptions } from './metric-family.js';
import { renderPrometheusText } from './prometheus-text.js';

/** Any metric family of a registry. */
export type Metric = CounterMetric | GaugeMetric | HistogramMetric;

/** One series in {@link MetricsJson}. */
export type SeriesJson =
  | { labels: Record<string, string>; value: number; rate: number }
  | { labels: Record<string, string>; value: number }
  | {
      labels: Record<string, string>;
      count: number;
      sum: number;
      rate: number;
      /** The last sampling interval. */
      last: HistogramStats | null;
      /** The sliding quantile window. */
      window: HistogramStats | null;
    };

/** The JSON form of a registry (`/metrics.json`). Durations are in milliseconds. */
export type MetricsJson = {
  time: number;
  metrics: Array<{ name: string; help: string; type: Metric['type']; unit?: string; series: SeriesJson[] }>;
};

/** Settings of a registry. */
export type MetricRegistryOptions = {
  /** Series per family before new label values fold into `__overflow__` (default 1000). */
  maxSeriesPerMetric?: number;
  /** Width of the sliding window `/metrics` quantiles cover, in ms (default 60 000). */
  quantileWindowMs?: number;
};

/**
 * Holds metric families by name and renders them as Prometheus text or JSON. Families are
 * created once (at setup) and their series are then updated directly on the hot path; the
 * registry does its work once per sample (`tick`) and per scrape.
 */
export class MetricRegistry {
  readonly #families = new Map<string, Metric>();
  readonly #maxSeries: number;
  readonly #halfWindowMs: number;
  #lastRotation: number | undefined;

  constructor(options: MetricRegistryOptions = {}) {
    this.#maxSeries = options.maxSeriesPerMetric ?? 1000;
    this.#halfWindowMs = (options.quantileWindowMs ?? 60_000) / 2;
  }

  /** Creates (or returns the existing) counter family `options.name`. */
  counter(options: MetricFamilyOptions): CounterMetric {
    return this.#register(options, 'counter', () => new CounterMetric(options, this.#maxSeries));
  }

  /** Creates (or returns the existing) gauge family `options.name`. */
  gauge(options: GaugeOptions): GaugeMetric {
    return this.#register(options, 'gauge', () => new GaugeMetric(options, this.#maxSeries));
  }

  /** Creates (or returns the existing) histogram family `options.name`. */
  histogram(options: HistogramOptions): HistogramMetric {
    return this.#register(options, 'summary', () => new HistogramMetric(options, this.#maxSeries));
  }

  /** The family named `name`, if registered. */
  get(name: string): Metric | undefined {
    return this.#families.get(name);
  }

  /** Every family, in registration order. */
  metrics(): Metric[] {
    return [...this.#families.values()];
  }

  /**
   * Closes a sampling interval of `elapsedMs` ending at `now`: counter rates, histogram
   * intervals, the quantile window's rotation, and gauge `collect` callbacks.
   */
  tick(elapsedMs: number, now: number): void {
    this.#lastRotation ??= now;
    const rotate = now - this.#lastRotation >= this.#halfWindowMs;
    if (rotate) this.#lastRotation = now;
    for (const family of this.#families.values()) {
      if (family.type === 'gauge') family.collect();
      else family.tick(elapsedMs, rotate);
    }
  }

  /** The Prometheus text exposition (format 0.0.4) of every family. */
  toPrometheus(): string {
    for (const family of this.#families.values()) if (family.type === 'gauge') family.collect();
    return renderPrometheusText(this.metrics());
  }

  /** Every family as JSON, stamped with `time`. */
  toJSON(time = Date.now()): MetricsJson {
    const metrics = this.metrics().map((family) => {
      const unit = family instanceof HistogramMetric && family.unit === 'seconds' ? { unit: 'ms' } : {};
      return { name: family.name, help: family.help, type: family.type, ...unit, series: seriesJson(family) };
    });
    return { time, metrics };
  }

  #register<M extends Metric>(options: MetricFamilyOptions, type: Metric['type'], create: () => M): M {
    const name = typeof options === 'object' && options !== null ? options.name : undefined;
    const existing = typeof name === 'string' ? this.#families.get(name) : undefined;
    if (existing !== undefined) {
      const sameLabels = (options.labelNames ?? []).join(',') === existing.labelNames.join(',');
      if (existing.type !== type || !sameLabels) {
        throw new InvalidArgumentError('name', `metric '${name}' is already registered as a ${existing.type} with other labels or type`);
      }
      return existing as M;
    }
    const created = create();
    this.#families.set(created.name, created);
    return created;
  }
}

function seriesJson(family: Metric): SeriesJson[] {
  if (family instanceof HistogramMetric) {
    return family.series().map(({ labelValues, series }) => ({
      labels: family.labelObject(labelValues),
      count: series.count,
      sum: series.sum,
      rate: series.rate,
      last: series.last,
      window: family.windowStats(series),
    }));
  }
  if (family instanceof CounterMetric) {
    return family.series().map(({ labelValues, series }) => ({
      labels: family.labelObject(labelValues),
      value: series.value,
      rate: series.rate,
    }));
  }
  return family.series().map(({ labelValues, series }) => ({ labels: family.labelObject(labelValues), value: series.value }));
}
