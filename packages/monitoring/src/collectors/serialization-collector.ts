import type { CounterMetric } from '../metrics/counter-metric.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import { ChannelSubscriptions, type ChannelKey } from './channel-subscriptions.js';
import type { Collector } from './collector.js';
import { fieldsOf, labelField } from './message-fields.js';

/** Serialization figures of a snapshot. */
export type SerializationStats = { failuresPerSec: number; failures: number };

/** Encode and decode failures from `strata:serialization` (`SerializationMessage` of `@strata/core`). */
export class SerializationCollector implements Collector {
  readonly #subscriptions: ChannelSubscriptions;
  readonly #failures: CounterMetric;

  constructor(registry: MetricRegistry, channels: ReadonlySet<ChannelKey>) {
    this.#subscriptions = new ChannelSubscriptions(channels);
    this.#failures = registry.counter({
      name: 'strata_serialization_failures_total',
      help: 'Failed encodes and decodes.',
      labelNames: ['format', 'operation', 'code'],
    });
  }

  start(): void {
    this.#subscriptions.add('serialization', this.#onMessage);
  }

  sample(): void {}

  stop(): void {
    this.#subscriptions.clear();
  }

  /** This collector's part of a snapshot. */
  stats(): SerializationStats {
    return { failuresPerSec: this.#failures.totalRate(), failures: this.#failures.totalValue() };
  }

  readonly #onMessage = (message: unknown): void => {
    const m = fieldsOf(message);
    if (m === undefined) return;
    this.#failures.labels(labelField(m['format']), labelField(m['operation']), labelField(m['code'])).inc();
  };
}
