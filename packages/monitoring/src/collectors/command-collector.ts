import type { CounterMetric } from '../metrics/counter-metric.js';
import type { HistogramMetric, HistogramStats } from '../metrics/histogram-metric.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import { ChannelSubscriptions, type ChannelKey } from './channel-subscriptions.js';
import type { Collector } from './collector.js';
import { fieldsOf, labelField, numberField } from './message-fields.js';

/** Command figures of a snapshot. Rates are per second over the last interval. */
export type CommandStats = {
  perSec: number;
  failedPerSec: number;
  retriesPerSec: number;
  eventsPerSec: number;
  /** Latency of every handled command (successful or not) over the last interval, in ms. */
  latencyMs: HistogramStats | null;
  totals: { ok: number; failed: number; retries: number };
  aggregates: Array<{ aggregate: string; perSec: number; failedPerSec: number; p99Ms: number | null }>;
};

/** Handled commands from `strata:command`: throughput, outcome, retries and latency per aggregate. */
export class CommandCollector implements Collector {
  readonly #subscriptions: ChannelSubscriptions;
  readonly #commands: CounterMetric;
  readonly #errors: CounterMetric;
  readonly #retries: CounterMetric;
  readonly #events: CounterMetric;
  readonly #latency: HistogramMetric;

  constructor(registry: MetricRegistry, channels: ReadonlySet<ChannelKey>) {
    this.#subscriptions = new ChannelSubscriptions(channels);
    this.#commands = registry.counter({ name: 'strata_commands_total', help: 'Handled commands by outcome (ok, failed).', labelNames: ['aggregate', 'outcome'] });
    this.#errors = registry.counter({ name: 'strata_command_errors_total', help: 'Failed commands by error code.', labelNames: ['aggregate', 'code'] });
    this.#retries = registry.counter({ name: 'strata_command_retries_total', help: 'Retries after concurrency conflicts.', labelNames: ['aggregate'] });
    this.#events = registry.counter({ name: 'strata_command_events_total', help: 'Events decided by commands.', labelNames: ['aggregate'] });
    this.#latency = registry.histogram({ name: 'strata_command_duration_seconds', help: 'Latency of handled commands.', labelNames: ['aggregate'] });
  }

  start(): void {
    this.#subscriptions.add('command', this.#onCommand);
  }

  sample(): void {}

  stop(): void {
    this.#subscriptions.clear();
  }

  /** This collector's part of a snapshot. */
  stats(): CommandStats {
    let perSec = 0;
    let failedPerSec = 0;
    let ok = 0;
    let failed = 0;
    const byAggregate = new Map<string, { perSec: number; failedPerSec: number }>();
    for (const { labelValues, series } of this.#commands.series()) {
      const [aggregate = '', outcome] = labelValues;
      const entry = byAggregate.get(aggregate) ?? { perSec: 0, failedPerSec: 0 };
      entry.perSec += series.rate;
      perSec += series.rate;
      if (outcome === 'failed') {
        entry.failedPerSec += series.rate;
        failedPerSec += series.rate;
        failed += series.value;
      } else {
        ok += series.value;
      }
      byAggregate.set(aggregate, entry);
    }
    const p99 = new Map(this.#latency.series().map(({ labelValues, series }) => [labelValues[0] ?? '', series.last?.p99 ?? null]));
    return {
      perSec,
      failedPerSec,
      retriesPerSec: this.#retries.totalRate(),
      eventsPerSec: this.#events.totalRate(),
      latencyMs: this.#latency.last,
      totals: { ok, failed, retries: this.#retries.totalValue() },
      aggregates: [...byAggregate].map(([aggregate, entry]) => ({ aggregate, ...entry, p99Ms: p99.get(aggregate) ?? null })),
    };
  }

  readonly #onCommand = (message: unknown): void => {
    const m = fieldsOf(message);
    if (m === undefined) return;
    const aggregate = labelField(m['aggregate']);
    const ok = m['ok'] !== false;
    this.#commands.labels(aggregate, ok ? 'ok' : 'failed').inc();
    if (!ok) this.#errors.labels(aggregate, labelField(m['code'])).inc();
    const retries = numberField(m['retries']);
    if (retries !== undefined && retries > 0) this.#retries.labels(aggregate).inc(retries);
    const events = numberField(m['events']);
    if (events !== undefined && events > 0) this.#events.labels(aggregate).inc(events);
    const duration = numberField(m['durationMs']);
    if (duration !== undefined) this.#latency.labels(aggregate).observe(duration);
  };
}
