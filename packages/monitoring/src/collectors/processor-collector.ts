import type { CounterMetric } from '../metrics/counter-metric.js';
import type { GaugeMetric } from '../metrics/gauge-metric.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import { ChannelSubscriptions, type ChannelKey } from './channel-subscriptions.js';
import type { Collector } from './collector.js';
import { fieldsOf, labelField, numberField } from './message-fields.js';

/** Command-processor figures of a snapshot. */
export type ProcessorStats = {
  /** Commands queued across every worker. */
  queueDepth: number;
  /** Steals per second, every worker together. */
  stealsPerSec: number;
  workers: Array<{ worker: string; queueDepth: number; utilisation: number | null; stealsPerSec: number }>;
};

/**
 * Worker queues, utilisation and work stealing from `strata:processor`. Each field is read when
 * present, whatever the `event`, so a publisher may report depth and utilisation together.
 */
export class ProcessorCollector implements Collector {
  readonly #subscriptions: ChannelSubscriptions;
  readonly #depth: GaugeMetric;
  readonly #utilisation: GaugeMetric;
  readonly #steals: CounterMetric;
  readonly #stolenStreams: CounterMetric;
  /** Workers that reported a utilisation, so the others show "no data" rather than 0%. */
  readonly #reportedUtilisation = new Set<string>();

  constructor(registry: MetricRegistry, channels: ReadonlySet<ChannelKey>) {
    this.#subscriptions = new ChannelSubscriptions(channels);
    const worker = ['worker'];
    this.#depth = registry.gauge({ name: 'strata_processor_queue_depth', help: 'Commands waiting at a worker.', labelNames: worker });
    this.#utilisation = registry.gauge({ name: 'strata_processor_utilisation_ratio', help: 'Busy fraction of a worker (0-1).', labelNames: worker });
    this.#steals = registry.counter({ name: 'strata_processor_steals_total', help: 'Steals performed by an idle worker.', labelNames: worker });
    this.#stolenStreams = registry.counter({ name: 'strata_processor_stolen_streams_total', help: 'Streams moved to a worker by stealing.', labelNames: worker });
  }

  start(): void {
    this.#subscriptions.add('processor', this.#onMessage);
  }

  sample(): void {}

  stop(): void {
    this.#subscriptions.clear();
  }

  /** This collector's part of a snapshot. */
  stats(): ProcessorStats {
    const workers = new Map<string, ProcessorStats['workers'][number]>();
    const entry = (worker: string): ProcessorStats['workers'][number] => {
      let found = workers.get(worker);
      if (found === undefined) {
        found = { worker, queueDepth: 0, utilisation: null, stealsPerSec: 0 };
        workers.set(worker, found);
      }
      return found;
    };
    for (const { labelValues, series } of this.#depth.series()) entry(labelValues[0] ?? '').queueDepth = series.value;
    for (const { labelValues, series } of this.#utilisation.series()) {
      const worker = labelValues[0] ?? '';
      if (this.#reportedUtilisation.has(worker)) entry(worker).utilisation = series.value;
    }
    for (const { labelValues, series } of this.#steals.series()) entry(labelValues[0] ?? '').stealsPerSec = series.rate;
    return {
      queueDepth: this.#depth.totalValue(),
      stealsPerSec: this.#steals.totalRate(),
      workers: [...workers.values()].sort((a, b) => a.worker.localeCompare(b.worker, undefined, { numeric: true })),
    };
  }

  readonly #onMessage = (message: unknown): void => {
    const m = fieldsOf(message);
    if (m === undefined) return;
    const worker = labelField(m['worker']);
    const depth = numberField(m['depth']);
    if (depth !== undefined) this.#depth.labels(worker).set(depth);
    const utilisation = numberField(m['utilisation']);
    if (utilisation !== undefined) {
      this.#utilisation.labels(worker).set(utilisation);
      if (this.#reportedUtilisation.size < 1000) this.#reportedUtilisation.add(worker);
    }
    if (m['event'] === 'steal') {
      this.#steals.labels(worker).inc();
      this.#stolenStreams.labels(worker).inc(numberField(m['streams']) ?? 1);
    }
  };
}
