import {
  constants,
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
  type EventLoopUtilization,
  type IntervalHistogram,
} from 'node:perf_hooks';
import type { CounterMetric } from '../metrics/counter-metric.js';
import type { GaugeMetric } from '../metrics/gauge-metric.js';
import type { HistogramMetric } from '../metrics/histogram-metric.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import type { Collector } from './collector.js';

/** Process and event-loop figures of a snapshot, over the last interval unless said otherwise. */
export type RuntimeStats = {
  /** Event-loop delay: how much later than due a timer fires, in ms. */
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  /** Fraction of time the event loop was busy (0-1). */
  eventLoopUtilisation: number;
  /** User plus system CPU time as a percentage of one core (above 100 with busy worker threads). */
  cpuPercent: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  /** Garbage-collection pauses. */
  gc: { count: number; pauseMs: number; maxPauseMs: number };
  /** Handles and requests keeping the event loop alive (sockets, timers, file handles …). */
  activeResources: number;
  activeResourcesByType: Record<string, number>;
};

/** Settings of the runtime collector. */
export type RuntimeCollectorOptions = {
  /** Sampling resolution of the event-loop delay timer, in ms (default 10). */
  eventLoopResolutionMs?: number;
};

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/**
 * Node.js runtime health: event-loop delay and utilisation, CPU, memory, GC pauses and active
 * resources. Names follow prom-client's default metrics, so existing Grafana dashboards work.
 * Everything is polled once per sample except GC pauses, which a `PerformanceObserver` reports.
 */
export class RuntimeCollector implements Collector {
  readonly #delay: IntervalHistogram;
  readonly #resolutionMs: number;
  #elu: EventLoopUtilization = performance.eventLoopUtilization();
  #cpu = process.cpuUsage();
  #gcObserver: PerformanceObserver | undefined;
  #stats: RuntimeStats | undefined;
  readonly #lag: { p50: GaugeMetric; p99: GaugeMetric; max: GaugeMetric; mean: GaugeMetric };
  readonly #utilisation: GaugeMetric;
  readonly #cpuUser: CounterMetric;
  readonly #cpuSystem: CounterMetric;
  readonly #cpuTotal: CounterMetric;
  readonly #memory: { rss: GaugeMetric; heapUsed: GaugeMetric; heapTotal: GaugeMetric; external: GaugeMetric };
  readonly #gc: HistogramMetric;
  readonly #resources: GaugeMetric;
  readonly #resourcesTotal: GaugeMetric;

  constructor(registry: MetricRegistry, options: RuntimeCollectorOptions = {}) {
    this.#resolutionMs = options.eventLoopResolutionMs ?? 10;
    this.#delay = monitorEventLoopDelay({ resolution: this.#resolutionMs });
    const lag = (name: string, what: string): GaugeMetric => registry.gauge({ name: `nodejs_eventloop_lag_${name}_seconds`, help: `${what} event-loop delay over the last interval.` });
    this.#lag = { p50: lag('p50', 'Median'), p99: lag('p99', '99th percentile'), max: lag('max', 'Largest'), mean: lag('mean', 'Mean') };
    this.#utilisation = registry.gauge({ name: 'nodejs_eventloop_utilization_ratio', help: 'Busy fraction of the event loop over the last interval.' });
    this.#cpuUser = registry.counter({ name: 'process_cpu_user_seconds_total', help: 'User CPU time spent.' });
    this.#cpuSystem = registry.counter({ name: 'process_cpu_system_seconds_total', help: 'System CPU time spent.' });
    this.#cpuTotal = registry.counter({ name: 'process_cpu_seconds_total', help: 'User and system CPU time spent.' });
    this.#memory = {
      rss: registry.gauge({ name: 'process_resident_memory_bytes', help: 'Resident set size.' }),
      heapUsed: registry.gauge({ name: 'nodejs_heap_size_used_bytes', help: 'V8 heap in use.' }),
      heapTotal: registry.gauge({ name: 'nodejs_heap_size_total_bytes', help: 'V8 heap reserved.' }),
      external: registry.gauge({ name: 'nodejs_external_memory_bytes', help: 'Memory of C++ objects bound to JavaScript objects.' }),
    };
    this.#gc = registry.histogram({ name: 'nodejs_gc_duration_seconds', help: 'Garbage-collection pauses by kind.', labelNames: ['kind'] });
    this.#resources = registry.gauge({ name: 'nodejs_active_resources', help: 'Active resources keeping the event loop alive, by type.', labelNames: ['type'] });
    this.#resourcesTotal = registry.gauge({ name: 'nodejs_active_resources_total', help: 'Active resources keeping the event loop alive.' });
  }

  start(): void {
    this.#delay.enable();
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = (entry as { detail?: { kind?: number } | null }).detail?.kind;
        this.#gc.labels(GC_KINDS[kind ?? -1] ?? 'other').observe(entry.duration);
      }
    });
    observer.observe({ entryTypes: ['gc'] });
    this.#gcObserver = observer;
    this.#elu = performance.eventLoopUtilization();
    this.#cpu = process.cpuUsage();
  }

  sample(elapsedMs: number): void {
    // CPU over the same interval as every other rate of the snapshot (the monitor's clock).
    const elapsedUs = Math.max(1000, elapsedMs * 1000);

    // The histogram holds whole timer periods; what exceeds the resolution is the delay.
    const delay = this.#delay;
    const late = (ns: number): number => Math.max(0, ns / 1e6 - this.#resolutionMs);
    const delayMs = delay.count > 0
      ? { p50: late(delay.percentile(50)), p99: late(delay.percentile(99)), max: late(delay.max), mean: late(delay.mean) }
      : { p50: 0, p99: 0, max: 0, mean: 0 };
    delay.reset();
    this.#lag.p50.set(delayMs.p50 / 1000);
    this.#lag.p99.set(delayMs.p99 / 1000);
    this.#lag.max.set(delayMs.max / 1000);
    this.#lag.mean.set(delayMs.mean / 1000);

    const elu = performance.eventLoopUtilization();
    const utilisation = performance.eventLoopUtilization(elu, this.#elu).utilization;
    this.#elu = elu;
    this.#utilisation.set(utilisation);

    const cpu = process.cpuUsage();
    const cpuPercent = ((cpu.user - this.#cpu.user + cpu.system - this.#cpu.system) / elapsedUs) * 100;
    this.#cpu = cpu;
    this.#cpuUser.labels().value = cpu.user / 1e6;
    this.#cpuSystem.labels().value = cpu.system / 1e6;
    this.#cpuTotal.labels().value = (cpu.user + cpu.system) / 1e6;

    const memory = process.memoryUsage();
    this.#memory.rss.set(memory.rss);
    this.#memory.heapUsed.set(memory.heapUsed);
    this.#memory.heapTotal.set(memory.heapTotal);
    this.#memory.external.set(memory.external);

    const byType = this.#sampleResources();
    const gc = this.#gc.last;
    this.#stats = {
      eventLoopDelayMs: delayMs,
      eventLoopUtilisation: utilisation,
      cpuPercent,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      externalBytes: memory.external,
      gc: { count: gc?.count ?? 0, pauseMs: gc?.sum ?? 0, maxPauseMs: gc?.max ?? 0 },
      activeResources: Object.values(byType).reduce((sum, n) => sum + n, 0),
      activeResourcesByType: byType,
    };
  }

  stop(): void {
    this.#delay.disable();
    this.#gcObserver?.disconnect();
    this.#gcObserver = undefined;
  }

  /** This collector's part of a snapshot, `null` before the first sample. */
  stats(): RuntimeStats | null {
    return this.#stats ?? null;
  }

  #sampleResources(): Record<string, number> {
    const byType: Record<string, number> = {};
    for (const type of process.getActiveResourcesInfo()) byType[type] = (byType[type] ?? 0) + 1;
    // Types seen before but gone now read 0, rather than keeping their last count.
    for (const { labelValues, series } of this.#resources.series()) series.set(byType[labelValues[0] ?? ''] ?? 0);
    for (const [type, count] of Object.entries(byType)) this.#resources.labels(type).set(count);
    this.#resourcesTotal.set(Object.values(byType).reduce((sum, n) => sum + n, 0));
    return byType;
  }
}
