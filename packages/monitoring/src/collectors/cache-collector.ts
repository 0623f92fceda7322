import type { CounterMetric, CounterSeries } from '../metrics/counter-metric.js';
import type { GaugeMetric } from '../metrics/gauge-metric.js';
import type { HistogramMetric, HistogramSeries, HistogramStats } from '../metrics/histogram-metric.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import { ChannelSubscriptions, type ChannelKey } from './channel-subscriptions.js';
import type { Collector } from './collector.js';
import { fieldsOf, labelField, numberField, ratio } from './message-fields.js';

/** Cache figures of a snapshot, per cache and tier. */
export type CacheStats = {
  tiers: Array<{
    cache: string;
    tier: string;
    hitsPerSec: number;
    missesPerSec: number;
    /** Hit ratio (0-1) over the last interval, `null` without lookups. */
    hitRatio: number | null;
    /** Hit ratio since start, `null` without lookups. */
    lifetimeHitRatio: number | null;
    evictionsPerSec: number;
    loadLatencyMs: HistogramStats | null;
  }>;
};

type TierSeries = {
  cache: string;
  tier: string;
  hits: CounterSeries;
  misses: CounterSeries;
  evictions: CounterSeries;
  loads: HistogramSeries;
};

const MAX_TIERS = 1000;

/**
 * Hits, misses, evictions and loads per cache tier from `strata:cache`. A cache on a very hot
 * path may aggregate and publish `{ event: 'hit', count: 1000 }` instead of one message per get.
 */
export class CacheCollector implements Collector {
  readonly #subscriptions: ChannelSubscriptions;
  readonly #requests: CounterMetric;
  readonly #evictions: CounterMetric;
  readonly #loadLatency: HistogramMetric;
  readonly #hitRatio: GaugeMetric;
  readonly #tiers = new Map<string, Map<string, TierSeries>>();
  #count = 0;

  constructor(registry: MetricRegistry, channels: ReadonlySet<ChannelKey>) {
    this.#subscriptions = new ChannelSubscriptions(channels);
    this.#requests = registry.counter({ name: 'strata_cache_requests_total', help: 'Cache lookups by result (hit, miss).', labelNames: ['cache', 'tier', 'result'] });
    this.#evictions = registry.counter({ name: 'strata_cache_evictions_total', help: 'Entries evicted.', labelNames: ['cache', 'tier'] });
    this.#loadLatency = registry.histogram({ name: 'strata_cache_load_duration_seconds', help: 'Latency of loads on a miss.', labelNames: ['cache', 'tier'] });
    this.#hitRatio = registry.gauge({ name: 'strata_cache_hit_ratio', help: 'Hit ratio (0-1) over the last sampling interval.', labelNames: ['cache', 'tier'] });
  }

  start(): void {
    this.#subscriptions.add('cache', this.#onMessage);
  }

  sample(): void {
    for (const tier of this.#allTiers()) {
      const value = ratio(tier.hits.rate, tier.misses.rate);
      if (value !== null) this.#hitRatio.labels(tier.cache, tier.tier).set(value);
    }
  }

  stop(): void {
    this.#subscriptions.clear();
  }

  /** This collector's part of a snapshot. */
  stats(): CacheStats {
    return {
      tiers: this.#allTiers().map((t) => ({
        cache: t.cache,
        tier: t.tier,
        hitsPerSec: t.hits.rate,
        missesPerSec: t.misses.rate,
        hitRatio: ratio(t.hits.rate, t.misses.rate),
        lifetimeHitRatio: ratio(t.hits.value, t.misses.value),
        evictionsPerSec: t.evictions.rate,
        loadLatencyMs: t.loads.last,
      })),
    };
  }

  readonly #onMessage = (message: unknown): void => {
    const m = fieldsOf(message);
    if (m === undefined) return;
    const series = this.#seriesOf(labelField(m['cache']), labelField(m['tier']));
    const count = numberField(m['count']) ?? 1;
    switch (m['event']) {
      case 'hit':
        series.hits.inc(count);
        break;
      case 'miss':
        series.misses.inc(count);
        break;
      case 'eviction':
        series.evictions.inc(count);
        break;
      case 'load': {
        const duration = numberField(m['durationMs']);
        if (duration !== undefined) series.loads.observe(duration);
        break;
      }
      default:
        break;
    }
  };

  #seriesOf(cache: string, tier: string): TierSeries {
    let tiers = this.#tiers.get(cache);
    const found = tiers?.get(tier);
    if (found !== undefined) return found;
    const series: TierSeries = {
      cache,
      tier,
      hits: this.#requests.labels(cache, tier, 'hit'),
      misses: this.#requests.labels(cache, tier, 'miss'),
      evictions: this.#evictions.labels(cache, tier),
      loads: this.#loadLatency.labels(cache, tier),
    };
    if (this.#count < MAX_TIERS) {
      if (tiers === undefined) {
        tiers = new Map();
        this.#tiers.set(cache, tiers);
      }
      tiers.set(tier, series);
      this.#count += 1;
    }
    return series;
  }

  #allTiers(): TierSeries[] {
    const out: TierSeries[] = [];
    for (const tiers of this.#tiers.values()) for (const tier of tiers.values()) out.push(tier);
    return out;
  }
}
