import type { CounterMetric } from '../metrics/counter-metric.js';
import type { GaugeMetric } from '../metrics/gauge-metric.js';
import type { HistogramMetric, HistogramStats } from '../metrics/histogram-metric.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import { ChannelSubscriptions, type ChannelKey } from './channel-subscriptions.js';
import type { Collector } from './collector.js';
import { fieldsOf, labelField, numberField } from './message-fields.js';

/** States of a circuit breaker. */
export type BreakerState = 'closed' | 'open' | 'half-open';

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'half-open', 'open'];

/** Connection-pool figures of a snapshot, per pool. */
export type PoolStats = Array<{
  pool: string;
  total: number;
  idle: number;
  inUse: number;
  waiting: number;
  acquiresPerSec: number;
  timeoutsPerSec: number;
  errorsPerSec: number;
  /** Time to obtain a connection over the last interval, in ms. */
  acquireLatencyMs: HistogramStats | null;
  /** The breaker's state, `null` until the pool reports one. */
  breaker: BreakerState | null;
}>;

type PoolState = { total: number; idle: number; waiting: number; breaker: BreakerState | null };

/**
 * Connections, waits and circuit-breaker state per pool from `strata:pool`. Every message may carry
 * the pool's counts after the event (`total`, `idle`, `waiting`), which become gauges.
 */
export class PoolCollector implements Collector {
  readonly #subscriptions: ChannelSubscriptions;
  readonly #connections: GaugeMetric;
  readonly #idle: GaugeMetric;
  readonly #waiting: GaugeMetric;
  readonly #events: CounterMetric;
  readonly #acquire: HistogramMetric;
  readonly #breaker: GaugeMetric;
  readonly #pools = new Map<string, PoolState>();

  constructor(registry: MetricRegistry, channels: ReadonlySet<ChannelKey>) {
    this.#subscriptions = new ChannelSubscriptions(channels);
    const pool = ['pool'];
    this.#connections = registry.gauge({ name: 'strata_pool_connections', help: 'Open connections of a pool.', labelNames: pool });
    this.#idle = registry.gauge({ name: 'strata_pool_idle_connections', help: 'Idle connections of a pool.', labelNames: pool });
    this.#waiting = registry.gauge({ name: 'strata_pool_waiting_requests', help: 'Requests waiting for a connection.', labelNames: pool });
    this.#events = registry.counter({ name: 'strata_pool_events_total', help: 'Pool events (acquire, timeout, error …).', labelNames: ['pool', 'event'] });
    this.#acquire = registry.histogram({ name: 'strata_pool_acquire_duration_seconds', help: 'Time to obtain a connection.', labelNames: pool });
    this.#breaker = registry.gauge({ name: 'strata_breaker_state', help: 'Circuit-breaker state: 1 for the current state.', labelNames: ['pool', 'state'] });
  }

  start(): void {
    this.#subscriptions.add('pool', this.#onMessage);
  }

  sample(): void {}

  stop(): void {
    this.#subscriptions.clear();
  }

  /** This collector's part of a snapshot. */
  stats(): PoolStats {
    const rates = new Map<string, Map<string, number>>();
    for (const { labelValues, series } of this.#events.series()) {
      const [pool = '', event = ''] = labelValues;
      const byEvent = rates.get(pool) ?? new Map<string, number>();
      byEvent.set(event, series.rate);
      rates.set(pool, byEvent);
    }
    const acquire = new Map(this.#acquire.series().map(({ labelValues, series }) => [labelValues[0] ?? '', series.last]));
    return [...this.#pools].map(([pool, state]) => {
      const byEvent = rates.get(pool);
      return {
        pool,
        total: state.total,
        idle: state.idle,
        inUse: Math.max(0, state.total - state.idle),
        waiting: state.waiting,
        acquiresPerSec: byEvent?.get('acquire') ?? 0,
        timeoutsPerSec: byEvent?.get('timeout') ?? 0,
        errorsPerSec: byEvent?.get('error') ?? 0,
        acquireLatencyMs: acquire.get(pool) ?? null,
        breaker: state.breaker,
      };
    });
  }

  readonly #onMessage = (message: unknown): void => {
    const m = fieldsOf(message);
    if (m === undefined) return;
    const pool = labelField(m['pool']);
    let state = this.#pools.get(pool);
    if (state === undefined) {
      state = { total: 0, idle: 0, waiting: 0, breaker: null };
      if (this.#pools.size < 1000) this.#pools.set(pool, state);
    }
    const event = m['event'];
    if (typeof event === 'string') this.#events.labels(pool, labelField(event)).inc();
    const total = numberField(m['total']);
    if (total !== undefined) this.#connections.labels(pool).set((state.total = total));
    const idle = numberField(m['idle']);
    if (idle !== undefined) this.#idle.labels(pool).set((state.idle = idle));
    const waiting = numberField(m['waiting']);
    if (waiting !== undefined) this.#waiting.labels(pool).set((state.waiting = waiting));
    const acquireMs = numberField(m['acquireMs']);
    if (acquireMs !== undefined) this.#acquire.labels(pool).observe(acquireMs);
    const breaker = m['breaker'];
    if (breaker === 'closed' || breaker === 'open' || breaker === 'half-open') {
      state.breaker = breaker;
      for (const candidate of BREAKER_STATES) this.#breaker.labels(pool, candidate).set(candidate === breaker ? 1 : 0);
    }
  };
}
