import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError, StoreClosedError } from '@strata/core';
import { AlertEngine } from '../alerts/alert-engine.js';
import type { Alert, AlertListener, AlertSeverity } from '../alerts/alert-types.js';
import { compileAlertRule } from '../alerts/compile-alert-rule.js';
import { readAlertValues } from '../alerts/read-alert-values.js';
import { renderDashboardPage } from '../dashboard/dashboard-page.js';
import { createMonitorHandler, type MonitorRequestHandler } from '../http/monitor-handler.js';
import { SseHub } from '../http/sse-hub.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import { Profiler, type ProfileKind, type ProfileResult } from '../profiling/profiler.js';
import type { MonitorSnapshot } from '../snapshot/monitor-snapshot.js';
import type { Monitor } from './monitor.js';
import type { AlertRule, ListenOptions, MonitorAddress } from './monitor-options.js';
import { Sampler } from './sampler.js';
import type { ResolvedMonitorOptions } from './validate-monitor-options.js';

/** The engine behind {@link Monitor}; see `createMonitor`. */
export class MonitorEngine implements Monitor {
  readonly metrics: MetricRegistry;
  readonly handler: MonitorRequestHandler;
  readonly #options: ResolvedMonitorOptions;
  readonly #sampler: Sampler;
  readonly #alerts: AlertEngine<MonitorSnapshot>;
  readonly #profiler: Profiler;
  readonly #sse = new SseHub();
  readonly #history: MonitorSnapshot[] = [];
  readonly #timer: NodeJS.Timeout;
  #dashboard: { html: string; contentSecurityPolicy: string } | undefined;
  #latest: MonitorSnapshot | undefined;
  #latestJson: string | undefined;
  #server: Server | undefined;
  #closed = false;

  constructor(options: ResolvedMonitorOptions) {
    this.#options = options;
    this.#sampler = new Sampler(options);
    this.metrics = this.#sampler.registry;
    this.#alerts = new AlertEngine({ clock: options.clock, logger: options.logger });
    for (const rule of options.alerts) this.#alerts.addRule(rule);
    if (options.onAlert !== undefined) this.#alerts.onAlert(options.onAlert);
    this.#profiler = new Profiler({ dir: options.profiling.dir, maxDurationMs: options.profiling.maxDurationMs });
    this.handler = createMonitorHandler({
      basePath: options.basePath,
      profilingEndpoint: options.profiling.endpoint,
      sse: this.#sse,
      // Rendered on first request: a monitor that never serves the page never builds it.
      dashboard: () => (this.#dashboard ??= renderDashboardPage(options.title)),
      isClosed: () => this.#closed,
      prometheus: () => this.prometheus(),
      metricsJson: () => JSON.stringify(this.metrics.toJSON(options.clock())),
      snapshotJson: () => this.#snapshotJson(),
      historyJson: () => JSON.stringify(this.#history),
      alertsJson: () => this.#alertsJson(),
      profile: (kind, durationMs) => this.#profile(kind, durationMs),
    });
    this.#sampler.start();
    // Unref'd: a monitor must never be what keeps a finished process alive.
    this.#timer = setInterval(() => this.#tick(), options.intervalMs).unref();
  }

  get closed(): boolean {
    return this.#closed;
  }

  async listen(options: ListenOptions = {}): Promise<MonitorAddress> {
    this.#assertOpen();
    const port = options.port ?? 9464;
    const host = options.host ?? '127.0.0.1';
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InvalidArgumentError('port', 'expected an integer from 0 to 65535');
    if (typeof host !== 'string' || host.length === 0) throw new InvalidArgumentError('host', 'expected a host name or address');
    if (this.#server !== undefined) throw new InvalidArgumentError('listen', 'the monitor is already listening');
    const base = this.#options.basePath;
    const server = createServer((req, res) => {
      if (this.handler(req, res)) return;
      if ((req.url ?? '/').split('?')[0] === '/') {
        res.writeHead(302, { Location: `${base}/dashboard` });
        res.end();
        return;
      }
      res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `no monitor endpoint at ${req.url ?? '/'}` } }));
    });
    this.#server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      this.#server = undefined;
      throw error;
    }
    const address = server.address() as AddressInfo;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    return { host, port: address.port, url: `http://${shownHost}:${address.port}${base}` };
  }

  sample(): MonitorSnapshot {
    this.#assertOpen();
    // The next timed sample comes a full interval after this one: a manual sample must not leave
    // the timer to close a sliver of an interval whose rates would be noise.
    this.#timer.refresh();
    const measured = this.#sampler.sample();
    const profiling = { endpoint: this.#options.profiling.endpoint, busy: this.#profiler.busy ?? null };
    const provisional: MonitorSnapshot = { ...measured, alerts: [], resolvedAlerts: [], profiling };
    this.#alerts.evaluate((rule) => readAlertValues(rule, this.metrics, provisional));
    const snapshot: MonitorSnapshot = { ...provisional, alerts: this.#alerts.active(), resolvedAlerts: this.#alerts.resolved() };
    this.#latest = snapshot;
    this.#latestJson = undefined;
    this.#history.push(snapshot);
    if (this.#history.length > this.#options.historySize) this.#history.shift();
    if (this.#sse.size > 0) this.#sse.send('snapshot', this.#snapshotJson());
    return snapshot;
  }

  snapshot(): MonitorSnapshot {
    return this.#latest ?? this.sample();
  }

  history(): readonly MonitorSnapshot[] {
    return [...this.#history];
  }

  prometheus(): string {
    return this.metrics.toPrometheus();
  }

  alerts(): Alert[] {
    return this.#alerts.active();
  }

  addAlertRule(rule: AlertRule): void {
    this.#assertOpen();
    this.#alerts.addRule(compileAlertRule(rule, 'rule'));
  }

  removeAlertRule(name: string): boolean {
    return this.#alerts.removeRule(name);
  }

  raiseAlert(name: string, options: { severity?: AlertSeverity; summary?: string; labels?: Record<string, string> } = {}): Alert {
    this.#assertOpen();
    if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError('name', 'expected a non-empty alert name');
    if (options.severity !== undefined && !['info', 'warning', 'critical'].includes(options.severity)) {
      throw new InvalidArgumentError('severity', "expected 'info', 'warning' or 'critical'");
    }
    return this.#alerts.raise(name, options);
  }

  resolveAlert(name: string, labels: Record<string, string> = {}): boolean {
    return this.#alerts.resolve(name, labels);
  }

  onAlert(listener: AlertListener): () => void {
    if (typeof listener !== 'function') throw new InvalidArgumentError('listener', 'expected a function');
    return this.#alerts.onAlert(listener);
  }

  captureCpuProfile(options: { durationMs: number; samplingIntervalUs?: number }): Promise<ProfileResult> {
    return this.#profiler.cpu(options.durationMs, options.samplingIntervalUs);
  }

  captureHeapProfile(options: { durationMs: number; samplingIntervalBytes?: number }): Promise<ProfileResult> {
    return this.#profiler.heapSampling(options.durationMs, options.samplingIntervalBytes);
  }

  captureHeapSnapshot(): Promise<ProfileResult> {
    return this.#profiler.heapSnapshot();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#sampler.stop();
    this.#profiler.close();
    this.#sse.close();
    const server = this.#server;
    this.#server = undefined;
    if (server !== undefined) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }

  #tick(): void {
    if (this.#closed) return;
    try {
      this.sample();
    } catch (error) {
      // A failing sample (a throwing gauge callback or rule) must not take the process down.
      this.#options.logger?.error({ error: String(error) }, 'monitor sample failed');
    }
  }

  #snapshotJson(): string {
    return (this.#latestJson ??= JSON.stringify(this.snapshot()));
  }

  #alertsJson(): string {
    const rules = this.#alerts.rules().map((rule) => ({
      name: rule.name,
      condition: rule.condition,
      severity: rule.severity,
      forMs: rule.forMs,
      clearThreshold: rule.clearThreshold,
      clearForMs: rule.clearForMs,
    }));
    return JSON.stringify({ active: this.#alerts.active(), resolved: this.#alerts.resolved(), rules });
  }

  #profile(kind: ProfileKind, durationMs: number): Promise<ProfileResult> {
    if (kind === 'heap-snapshot') return this.#profiler.heapSnapshot();
    return kind === 'cpu' ? this.#profiler.cpu(durationMs) : this.#profiler.heapSampling(durationMs);
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError('monitor');
  }
}
