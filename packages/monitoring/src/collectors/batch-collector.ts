import type { GaugeMetric } from '../metrics/gauge-metric.js';
import type { HistogramMetric, HistogramStats } from '../metrics/histogram-metric.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import { ChannelSubscriptions, type ChannelKey } from './channel-subscriptions.js';
import type { Collector } from './collector.js';
import { fieldsOf, labelField, numberField } from './message-fields.js';

/** Batcher figures of a snapshot, per batcher name. */
export type BatchStats = Array<{
  name: string;
  batchesPerSec: number;
  itemsPerSec: number;
  /** Batch sizes over the last interval. */
  size: HistogramStats | null;
  /** Time to execute a batch over the last interval, in ms. */
  latencyMs: HistogramStats | null;
  pending: number;
  targetSize: number;
}>;

/** Executed batches from `strata:batch` (`BatchMessage` of `@strata/core`). */
export class BatchCollector implements Collector {
  readonly #subscriptions: ChannelSubscriptions;
  readonly #size: HistogramMetric;
  readonly #latency: HistogramMetric;
  readonly #pending: GaugeMetric;
  readonly #target: GaugeMetric;

  constructor(registry: MetricRegistry, channels: ReadonlySet<ChannelKey>) {
    this.#subscriptions = new ChannelSubscriptions(channels);
    const batch = ['batch'];
    this.#size = registry.histogram({ name: 'strata_batch_size', help: 'Items per executed batch.', labelNames: batch, unit: 'none' });
    this.#latency = registry.histogram({ name: 'strata_batch_duration_seconds', help: 'Time to execute a batch.', labelNames: batch });
    this.#pending = registry.gauge({ name: 'strata_batch_pending_items', help: 'Items waiting for a batch.', labelNames: batch });
    this.#target = registry.gauge({ name: 'strata_batch_target_size', help: 'Batch size the batcher aims for.', labelNames: batch });
  }

  start(): void {
    this.#subscriptions.add('batch', this.#onMessage);
  }

  sample(): void {}

  stop(): void {
    this.#subscriptions.clear();
  }

  /** This collector's part of a snapshot. */
  stats(): BatchStats {
    const latency = new Map(this.#latency.series().map(({ labelValues, series }) => [labelValues[0] ?? '', series.last]));
    const pending = new Map(this.#pending.series().map(({ labelValues, series }) => [labelValues[0] ?? '', series.value]));
    const target = new Map(this.#target.series().map(({ labelValues, series }) => [labelValues[0] ?? '', series.value]));
    return this.#size.series().map(({ labelValues, series }) => {
      const name = labelValues[0] ?? '';
      const size = series.last;
      return {
        name,
        batchesPerSec: series.rate,
        itemsPerSec: size === null || size.count === 0 ? 0 : (series.rate * size.sum) / size.count,
        size,
        latencyMs: latency.get(name) ?? null,
        pending: pending.get(name) ?? 0,
        targetSize: target.get(name) ?? 0,
      };
    });
  }

  readonly #onMessage = (message: unknown): void => {
    const m = fieldsOf(message);
    if (m === undefined) return;
    const name = labelField(m['name']);
    const size = numberField(m['size']);
    if (size !== undefined) this.#size.labels(name).observe(size);
    const duration = numberField(m['durationMs']);
    if (duration !== undefined) this.#latency.labels(name).observe(duration);
    const pending = numberField(m['pending']);
    if (pending !== undefined) this.#pending.labels(name).set(pending);
    const target = numberField(m['targetSize']);
    if (target !== undefined) this.#target.labels(name).set(target);
  };
}
