import { hostname } from 'node:os';
import { BatchCollector } from '../collectors/batch-collector.js';
import { CacheCollector } from '../collectors/cache-collector.js';
import type { ChannelKey } from '../collectors/channel-subscriptions.js';
import type { Collector } from '../collectors/collector.js';
import { CommandCollector } from '../collectors/command-collector.js';
import { PoolCollector } from '../collectors/pool-collector.js';
import { ProcessorCollector } from '../collectors/processor-collector.js';
import { ProjectionCollector } from '../collectors/projection-collector.js';
import { QueryCollector } from '../collectors/query-collector.js';
import { RuntimeCollector, type RuntimeCollectorOptions } from '../collectors/runtime-collector.js';
import { SerializationCollector } from '../collectors/serialization-collector.js';
import { StoreCollector } from '../collectors/store-collector.js';
import { MetricRegistry } from '../metrics/metric-registry.js';
import type { MonitorSnapshot } from '../snapshot/monitor-snapshot.js';

/** A snapshot before alerts are evaluated on it. */
export type MeasuredSnapshot = Omit<MonitorSnapshot, 'alerts' | 'resolvedAlerts' | 'profiling'>;

/** What the sampler needs from the monitor's options. */
export type SamplerSettings = {
  title: string;
  clock: () => number;
  runtime: RuntimeCollectorOptions | false;
  channels: ReadonlySet<ChannelKey>;
  maxSeriesPerMetric: number;
  quantileWindowMs: number;
};

/**
 * Owns the registry and the collectors, and turns them into a snapshot once per interval. Every
 * framework collector registers its families even when its channel is not observed, so the
 * snapshot and `/metrics` always have the same shape.
 */
export class Sampler {
  /** The registry every collector writes to; users may add their own metrics. */
  readonly registry: MetricRegistry;
  readonly #settings: SamplerSettings;
  readonly #runtime: RuntimeCollector | undefined;
  readonly #store: StoreCollector;
  readonly #commands: CommandCollector;
  readonly #processor: ProcessorCollector;
  readonly #cache: CacheCollector;
  readonly #pools: PoolCollector;
  readonly #batches: BatchCollector;
  readonly #projections: ProjectionCollector;
  readonly #queries: QueryCollector;
  readonly #serialization: SerializationCollector;
  readonly #collectors: Collector[];
  readonly #startedAt: number;
  readonly #process = { pid: process.pid, hostname: hostname(), node: process.version };
  #sampledAt: number;

  constructor(settings: SamplerSettings) {
    this.#settings = settings;
    const registry = new MetricRegistry({ maxSeriesPerMetric: settings.maxSeriesPerMetric, quantileWindowMs: settings.quantileWindowMs });
    this.registry = registry;
    const channels = settings.channels;
    this.#runtime = settings.runtime === false ? undefined : new RuntimeCollector(registry, settings.runtime);
    this.#store = new StoreCollector(registry, channels);
    this.#commands = new CommandCollector(registry, channels);
    this.#processor = new ProcessorCollector(registry, channels);
    this.#cache = new CacheCollector(registry, channels);
    this.#pools = new PoolCollector(registry, channels);
    this.#batches = new BatchCollector(registry, channels);
    this.#projections = new ProjectionCollector(registry, channels);
    this.#queries = new QueryCollector(registry, channels);
    this.#serialization = new SerializationCollector(registry, channels);
    this.#collectors = [
      ...(this.#runtime === undefined ? [] : [this.#runtime]),
      this.#store,
      this.#commands,
      this.#processor,
      this.#cache,
      this.#pools,
      this.#batches,
      this.#projections,
      this.#queries,
      this.#serialization,
    ];
    this.#startedAt = settings.clock();
    this.#sampledAt = this.#startedAt;
  }

  /** Starts every collector. */
  start(): void {
    for (const collector of this.#collectors) collector.start();
  }

  /** Stops every collector: channels unsubscribed, observers disconnected. */
  stop(): void {
    for (const collector of this.#collectors) collector.stop();
  }

  /** Closes the current interval and measures it. */
  sample(): MeasuredSnapshot {
    const now = this.#settings.clock();
    const elapsedMs = Math.max(0, now - this.#sampledAt);
    this.#sampledAt = now;
    this.registry.tick(elapsedMs, now);
    for (const collector of this.#collectors) collector.sample(elapsedMs);
    return {
      version: 1,
      title: this.#settings.title,
      time: now,
      intervalMs: elapsedMs,
      uptimeMs: now - this.#startedAt,
      process: this.#process,
      runtime: this.#runtime?.stats() ?? null,
      store: this.#store.stats(),
      commands: this.#commands.stats(),
      processor: this.#processor.stats(),
      cache: this.#cache.stats(),
      pools: this.#pools.stats(),
      batches: this.#batches.stats(),
      projections: this.#projections.stats(),
      queries: this.#queries.stats(),
      serialization: this.#serialization.stats(),
    };
  }
}
