import type { CounterMetric, CounterSeries } from '../metrics/counter-metric.js';
import type { GaugeMetric } from '../metrics/gauge-metric.js';
import type { HistogramMetric, HistogramSeries, HistogramStats } from '../metrics/histogram-metric.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import { ChannelSubscriptions, type ChannelKey } from './channel-subscriptions.js';
import type { Collector } from './collector.js';
import { fieldsOf, labelField, numberField } from './message-fields.js';

/** Event-store figures of a snapshot. Rates are per second over the last interval. */
export type StoreStats = {
  appendsPerSec: number;
  eventsPerSec: number;
  bytesPerSec: number;
  appendErrorsPerSec: number;
  /** Latency of successful appends over the last interval, in ms. */
  appendLatencyMs: HistogramStats | null;
  readsPerSec: number;
  readEventsPerSec: number;
  readLatencyMs: HistogramStats | null;
  subscriptionEventsPerSec: number;
  totals: { appends: number; events: number; appendErrors: number; reads: number; readEvents: number; subscriptionEvents: number };
  /** Per store name (`memory`, `lmdb`, `postgres` …). */
  stores: Array<{ store: string; appendsPerSec: number; eventsPerSec: number; appendP99Ms: number | null }>;
};

const MAX_CACHED_STORES = 100;

/** The metrics of one store's appends, found with one lookup per message. */
type AppendSeries = { appends: CounterSeries; events: CounterSeries; bytes: CounterSeries; latency: HistogramSeries };

/**
 * Appends, reads and subscription deliveries, from `strata:store:append`, `strata:store:read` and
 * `strata:store:subscription`. The append handler is the hottest code in the package: one cached
 * lookup by store name, three additions and a histogram slot increment.
 */
export class StoreCollector implements Collector {
  readonly #subscriptions: ChannelSubscriptions;
  readonly #appends: CounterMetric;
  readonly #events: CounterMetric;
  readonly #bytes: CounterMetric;
  readonly #appendErrors: CounterMetric;
  readonly #appendLatency: HistogramMetric;
  readonly #reads: CounterMetric;
  readonly #readEvents: CounterMetric;
  readonly #readLatency: HistogramMetric;
  readonly #subscriptionEvents: CounterMetric;
  readonly #subscriptionPosition: GaugeMetric;
  readonly #byStore = new Map<string, AppendSeries>();
  #lastStore: string | undefined;
  #lastSeries: AppendSeries | undefined;

  constructor(registry: MetricRegistry, channels: ReadonlySet<ChannelKey>) {
    this.#subscriptions = new ChannelSubscriptions(channels);
    const store = ['store'];
    this.#appends = registry.counter({ name: 'strata_store_appends_total', help: 'Successful appends.', labelNames: store });
    this.#events = registry.counter({ name: 'strata_store_appended_events_total', help: 'Events appended.', labelNames: store });
    this.#bytes = registry.counter({ name: 'strata_store_appended_bytes_total', help: 'Bytes appended, where the store reports them.', labelNames: store });
    this.#appendErrors = registry.counter({ name: 'strata_store_append_errors_total', help: 'Failed appends by error code.', labelNames: ['store', 'code'] });
    this.#appendLatency = registry.histogram({ name: 'strata_store_append_duration_seconds', help: 'Latency of successful appends.', labelNames: store });
    this.#reads = registry.counter({ name: 'strata_store_reads_total', help: 'Completed reads.', labelNames: ['store', 'kind'] });
    this.#readEvents = registry.counter({ name: 'strata_store_read_events_total', help: 'Events returned by reads.', labelNames: ['store', 'kind'] });
    this.#readLatency = registry.histogram({ name: 'strata_store_read_duration_seconds', help: 'Latency of reads.', labelNames: ['store', 'kind'] });
    this.#subscriptionEvents = registry.counter({ name: 'strata_subscription_events_total', help: 'Events delivered to subscriptions.', labelNames: store });
    this.#subscriptionPosition = registry.gauge({ name: 'strata_subscription_position', help: 'Last global position delivered to a subscription.', labelNames: store });
  }

  start(): void {
    this.#subscriptions.add('append', this.#onAppend);
    this.#subscriptions.add('read', this.#onRead);
    this.#subscriptions.add('subscription', this.#onSubscription);
  }

  sample(): void {}

  stop(): void {
    this.#subscriptions.clear();
  }

  /** This collector's part of a snapshot. */
  stats(): StoreStats {
    const reads = this.#reads.totalValue();
    return {
      appendsPerSec: this.#appends.totalRate(),
      eventsPerSec: this.#events.totalRate(),
      bytesPerSec: this.#bytes.totalRate(),
      appendErrorsPerSec: this.#appendErrors.totalRate(),
      appendLatencyMs: this.#appendLatency.last,
      readsPerSec: this.#reads.totalRate(),
      readEventsPerSec: this.#readEvents.totalRate(),
      readLatencyMs: this.#readLatency.last,
      subscriptionEventsPerSec: this.#subscriptionEvents.totalRate(),
      totals: {
        appends: this.#appends.totalValue(),
        events: this.#events.totalValue(),
        appendErrors: this.#appendErrors.totalValue(),
        reads,
        readEvents: this.#readEvents.totalValue(),
        subscriptionEvents: this.#subscriptionEvents.totalValue(),
      },
      stores: [...this.#byStore].map(([store, series]) => ({
        store,
        appendsPerSec: series.appends.rate,
        eventsPerSec: series.events.rate,
        appendP99Ms: series.latency.last?.p99 ?? null,
      })),
    };
  }

  readonly #onAppend = (message: unknown): void => {
    const m = fieldsOf(message);
    if (m === undefined) return;
    const store = labelField(m['store']);
    if (m['failed'] === true) {
      this.#appendErrors.labels(store, labelField(m['code'])).inc();
      return;
    }
    let series = this.#lastSeries;
    if (store !== this.#lastStore || series === undefined) {
      series = this.#seriesOf(store);
      this.#lastStore = store;
      this.#lastSeries = series;
    }
    series.appends.value += 1;
    const events = m['events'];
    if (typeof events === 'number' && events > 0) series.events.value += events;
    const bytes = m['bytes'];
    if (typeof bytes === 'number' && bytes > 0) series.bytes.value += bytes;
    const duration = m['durationMs'];
    if (typeof duration === 'number') series.latency.observe(duration);
  };

  readonly #onRead = (message: unknown): void => {
    const m = fieldsOf(message);
    if (m === undefined) return;
    const store = labelField(m['store']);
    const kind = labelField(m['kind']);
    this.#reads.labels(store, kind).inc();
    const events = numberField(m['events']);
    if (events !== undefined) this.#readEvents.labels(store, kind).inc(events);
    const duration = numberField(m['durationMs']);
    if (duration !== undefined) this.#readLatency.labels(store, kind).observe(duration);
  };

  readonly #onSubscription = (message: unknown): void => {
    const m = fieldsOf(message);
    if (m === undefined) return;
    const store = labelField(m['store']);
    const events = numberField(m['events']);
    if (events !== undefined) this.#subscriptionEvents.labels(store).inc(events);
    const position = numberField(m['position']);
    if (position !== undefined) this.#subscriptionPosition.labels(store).set(position);
  };

  #seriesOf(store: string): AppendSeries {
    let series = this.#byStore.get(store);
    if (series === undefined) {
      series = {
        appends: this.#appends.labels(store),
        events: this.#events.labels(store),
        bytes: this.#bytes.labels(store),
        latency: this.#appendLatency.labels(store),
      };
      // Bounded like the families' series: past the limit the overflow series is looked up anew.
      if (this.#byStore.size < MAX_CACHED_STORES) this.#byStore.set(store, series);
    }
    return series;
  }
}
