import type { CounterMetric } from '../metrics/counter-metric.js';
import type { HistogramMetric, HistogramStats } from '../metrics/histogram-metric.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import { ChannelSubscriptions, type ChannelKey } from './channel-subscriptions.js';
import type { Collector } from './collector.js';
import { fieldsOf, labelField, numberField, ratio } from './message-fields.js';

/** Read-model query figures of a snapshot. */
export type QueryStats = {
  perSec: number;
  /** Plan-cache hit ratio (0-1) over the last interval, `null` without queries that report it. */
  planCacheHitRatio: number | null;
  latencyMs: HistogramStats | null;
  collections: Array<{ collection: string; perSec: number; planCacheHitRatio: number | null; p99Ms: number | null }>;
};

/** Queries per collection and plan-cache hits from `strata:query`. */
export class QueryCollector implements Collector {
  readonly #subscriptions: ChannelSubscriptions;
  readonly #queries: CounterMetric;
  readonly #latency: HistogramMetric;

  constructor(registry: MetricRegistry, channels: ReadonlySet<ChannelKey>) {
    this.#subscriptions = new ChannelSubscriptions(channels);
    this.#queries = registry.counter({
      name: 'strata_queries_total',
      help: 'Executed queries by plan-cache result (hit, miss, none when not reported).',
      labelNames: ['collection', 'plan_cache'],
    });
    this.#latency = registry.histogram({ name: 'strata_query_duration_seconds', help: 'Latency of queries.', labelNames: ['collection'] });
  }

  start(): void {
    this.#subscriptions.add('query', this.#onMessage);
  }

  sample(): void {}

  stop(): void {
    this.#subscriptions.clear();
  }

  /** This collector's part of a snapshot. */
  stats(): QueryStats {
    const byCollection = new Map<string, { perSec: number; hits: number; misses: number }>();
    let hits = 0;
    let misses = 0;
    for (const { labelValues, series } of this.#queries.series()) {
      const [collection = '', planCache] = labelValues;
      const entry = byCollection.get(collection) ?? { perSec: 0, hits: 0, misses: 0 };
      entry.perSec += series.rate;
      if (planCache === 'hit') entry.hits += series.rate;
      if (planCache === 'miss') entry.misses += series.rate;
      byCollection.set(collection, entry);
    }
    for (const entry of byCollection.values()) {
      hits += entry.hits;
      misses += entry.misses;
    }
    const p99 = new Map(this.#latency.series().map(({ labelValues, series }) => [labelValues[0] ?? '', series.last?.p99 ?? null]));
    return {
      perSec: this.#queries.totalRate(),
      planCacheHitRatio: ratio(hits, misses),
      latencyMs: this.#latency.last,
      collections: [...byCollection].map(([collection, entry]) => ({
        collection,
        perSec: entry.perSec,
        planCacheHitRatio: ratio(entry.hits, entry.misses),
        p99Ms: p99.get(collection) ?? null,
      })),
    };
  }

  readonly #onMessage = (message: unknown): void => {
    const m = fieldsOf(message);
    if (m === undefined) return;
    const collection = labelField(m['collection']);
    const hit = m['planCacheHit'];
    this.#queries.labels(collection, hit === true ? 'hit' : hit === false ? 'miss' : 'none').inc();
    const duration = numberField(m['durationMs']);
    if (duration !== undefined) this.#latency.labels(collection).observe(duration);
  };
}
