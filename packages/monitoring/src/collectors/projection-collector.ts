import type { CounterMetric } from '../metrics/counter-metric.js';
import type { GaugeMetric } from '../metrics/gauge-metric.js';
import type { HistogramMetric } from '../metrics/histogram-metric.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import { ChannelSubscriptions, type ChannelKey } from './channel-subscriptions.js';
import type { Collector } from './collector.js';
import { fieldsOf, labelField, numberField } from './message-fields.js';

/** Projection figures of a snapshot. */
export type ProjectionStats = {
  /** The largest lag of any projection, in events. */
  maxLagEvents: number;
  /** The largest lag of any projection, in ms. */
  maxLagMs: number;
  projections: Array<{ projection: string; lagEvents: number; lagMs: number; appliedPerSec: number; position: number | null }>;
};

/** Lag and progress per projection from `strata:projection`. */
export class ProjectionCollector implements Collector {
  readonly #subscriptions: ChannelSubscriptions;
  readonly #lagEvents: GaugeMetric;
  readonly #lagSeconds: GaugeMetric;
  readonly #position: GaugeMetric;
  readonly #applied: CounterMetric;
  readonly #latency: HistogramMetric;
  readonly #known = new Map<string, { position: number | null }>();

  constructor(registry: MetricRegistry, channels: ReadonlySet<ChannelKey>) {
    this.#subscriptions = new ChannelSubscriptions(channels);
    const projection = ['projection'];
    this.#lagEvents = registry.gauge({ name: 'strata_projection_lag_events', help: 'Events committed but not yet applied.', labelNames: projection });
    this.#lagSeconds = registry.gauge({ name: 'strata_projection_lag_seconds', help: 'Age of the oldest event not yet applied.', labelNames: projection });
    this.#position = registry.gauge({ name: 'strata_projection_position', help: 'Global position of the last applied event.', labelNames: projection });
    this.#applied = registry.counter({ name: 'strata_projection_applied_events_total', help: 'Events applied.', labelNames: projection });
    this.#latency = registry.histogram({ name: 'strata_projection_batch_duration_seconds', help: 'Time to apply a batch.', labelNames: projection });
  }

  start(): void {
    this.#subscriptions.add('projection', this.#onMessage);
  }

  sample(): void {}

  stop(): void {
    this.#subscriptions.clear();
  }

  /** This collector's part of a snapshot. */
  stats(): ProjectionStats {
    const applied = new Map(this.#applied.series().map(({ labelValues, series }) => [labelValues[0] ?? '', series.rate]));
    const lagMs = new Map(this.#lagSeconds.series().map(({ labelValues, series }) => [labelValues[0] ?? '', series.value * 1000]));
    const lagEvents = new Map(this.#lagEvents.series().map(({ labelValues, series }) => [labelValues[0] ?? '', series.value]));
    const projections = [...this.#known].map(([projection, { position }]) => ({
      projection,
      lagEvents: lagEvents.get(projection) ?? 0,
      lagMs: lagMs.get(projection) ?? 0,
      appliedPerSec: applied.get(projection) ?? 0,
      position,
    }));
    return {
      maxLagEvents: projections.reduce((max, p) => Math.max(max, p.lagEvents), 0),
      maxLagMs: projections.reduce((max, p) => Math.max(max, p.lagMs), 0),
      projections,
    };
  }

  readonly #onMessage = (message: unknown): void => {
    const m = fieldsOf(message);
    if (m === undefined) return;
    const projection = labelField(m['projection']);
    let known = this.#known.get(projection);
    if (known === undefined) {
      known = { position: null };
      if (this.#known.size < 1000) this.#known.set(projection, known);
    }
    const lagEvents = numberField(m['lagEvents']);
    if (lagEvents !== undefined) this.#lagEvents.labels(projection).set(lagEvents);
    const lagMs = numberField(m['lagMs']);
    if (lagMs !== undefined) this.#lagSeconds.labels(projection).set(lagMs / 1000);
    const applied = numberField(m['applied']);
    if (applied !== undefined) this.#applied.labels(projection).inc(applied);
    const position = numberField(m['position']);
    if (position !== undefined) {
      this.#position.labels(projection).set(position);
      known.position = position;
    }
    const duration = numberField(m['durationMs']);
    if (duration !== undefined) this.#latency.labels(projection).observe(duration);
  };
}
