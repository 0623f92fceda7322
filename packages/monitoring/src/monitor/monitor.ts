import type { Alert, AlertListener, AlertSeverity } from '../alerts/alert-types.js';
import type { MonitorRequestHandler } from '../http/monitor-handler.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import type { ProfileResult } from '../profiling/profiler.js';
import type { MonitorSnapshot } from '../snapshot/monitor-snapshot.js';
import type { AlertRule, ListenOptions, MonitorAddress } from './monitor-options.js';

/**
 * A running monitor: metrics, collectors, alerts, profiling and the dashboard. Created by
 * `createMonitor`; after `close()` it holds no subscription, timer or socket.
 */
export interface Monitor {
  /** The registry behind `/metrics`; add application metrics to it. */
  readonly metrics: MetricRegistry;
  /** Whether `close()` was called. */
  readonly closed: boolean;

  /**
   * Serves the monitor's endpoints (`/metrics`, `/metrics.json`, `/snapshot`, `/alerts`,
   * `/events`, `/dashboard`, and `/profile/*` when enabled) under the base path. Returns `true`
   * when it handled the request, `false` to let the application handle it. Bound: pass it around.
   */
  readonly handler: MonitorRequestHandler;

  /** Serves the endpoints on a server of its own; `/` redirects to the dashboard. */
  listen(options?: ListenOptions): Promise<MonitorAddress>;

  /** Closes the current interval now and returns its snapshot (the timer keeps its own pace). */
  sample(): MonitorSnapshot;
  /** The latest snapshot (sampled now if no interval has closed yet). */
  snapshot(): MonitorSnapshot;
  /** Snapshots kept for the charts, oldest first. */
  history(): readonly MonitorSnapshot[];
  /** The Prometheus text exposition, as `/metrics` serves it. */
  prometheus(): string;

  /** Active alerts: firing first, then pending. */
  alerts(): Alert[];
  /** Adds a threshold rule. @throws InvalidArgumentError on a bad rule or a duplicate name. */
  addAlertRule(rule: AlertRule): void;
  /** Removes a rule and its active alerts; returns whether it existed. */
  removeAlertRule(name: string): boolean;
  /** Raises an alert from application code (a disk filling up …); it stays until resolved. */
  raiseAlert(name: string, options?: { severity?: AlertSeverity; summary?: string; labels?: Record<string, string> }): Alert;
  /** Resolves an alert raised with `raiseAlert`; returns whether it was active. */
  resolveAlert(name: string, labels?: Record<string, string>): boolean;
  /** Calls `listener` when an alert fires or resolves; returns a function that removes it. */
  onAlert(listener: AlertListener): () => void;

  /** Records a CPU profile for `durationMs` and writes a `.cpuprofile` file. */
  captureCpuProfile(options: { durationMs: number; samplingIntervalUs?: number }): Promise<ProfileResult>;
  /** Samples allocations for `durationMs` and writes a `.heapprofile` file. */
  captureHeapProfile(options: { durationMs: number; samplingIntervalBytes?: number }): Promise<ProfileResult>;
  /** Writes a `.heapsnapshot` file (pauses the process while the heap is walked). */
  captureHeapSnapshot(): Promise<ProfileResult>;

  /**
   * Unsubscribes every channel, stops collectors and timers, ends event streams and closes the
   * server. Idempotent. A capture in progress stops early and is still written.
   */
  close(): Promise<void>;
}
