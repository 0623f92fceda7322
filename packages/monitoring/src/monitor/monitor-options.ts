import type { AlertListener, AlertRuleOf, MonitorLogger } from '../alerts/alert-types.js';
import type { ChannelKey } from '../collectors/channel-subscriptions.js';
import type { RuntimeCollectorOptions } from '../collectors/runtime-collector.js';
import type { MonitorSnapshot } from '../snapshot/monitor-snapshot.js';

/** A threshold rule of a monitor; `value` rules read a {@link MonitorSnapshot}. */
export type AlertRule = AlertRuleOf<MonitorSnapshot>;

/** Settings of on-demand profiling. */
export type ProfilingOptions = {
  /** Directory captures are written to. Default `<os tmpdir>/strata-profiles`. */
  dir?: string;
  /**
   * Serve `POST /profile/cpu`, `/profile/heap-sampling` and `/profile/heap-snapshot` (default
   * false). A heap snapshot contains every string in memory, secrets included: enable only where
   * the monitor's endpoints are not reachable by untrusted clients.
   */
  endpoint?: boolean;
  /** Longest capture accepted, in ms (default 300 000). */
  maxDurationMs?: number;
};

/** Options of `createMonitor`. Every field is optional. */
export type MonitorOptions = {
  /** Dashboard heading (default `'Strata'`). */
  title?: string;
  /** Sampling interval: rates, percentiles, alerts and dashboard updates, in ms (default 1000). */
  intervalMs?: number;
  /** Snapshots kept for the dashboard's charts (default 120). */
  historySize?: number;
  /** Width of the sliding window `/metrics` summary quantiles cover, in ms (default 60 000). */
  quantileWindowMs?: number;
  /** Series per metric before new label values fold into `__overflow__` (default 1000). */
  maxSeriesPerMetric?: number;
  /** Collect Node.js runtime metrics (default true). */
  runtime?: boolean | RuntimeCollectorOptions;
  /** Diagnostics channels to observe: `true` (default) for all, `false` for none, or a list of keys. */
  channels?: boolean | readonly ChannelKey[];
  /** Threshold rules evaluated at every sample. */
  alerts?: readonly AlertRule[];
  /** Called when an alert fires or resolves. */
  onAlert?: AlertListener;
  /** Where alert notifications are logged (default: the console); `false` for nowhere. */
  logger?: MonitorLogger | false;
  profiling?: ProfilingOptions;
  /** Path prefix of the HTTP endpoints when mounted in an application, e.g. `'/monitor'` (default none). */
  basePath?: string;
  /** Time source in epoch ms (default `Date.now`); tests inject a fake one. */
  clock?: () => number;
};

/** Where `monitor.listen` binds. */
export type ListenOptions = {
  /** Default 9464; 0 picks a free port. */
  port?: number;
  /** Default `'127.0.0.1'`: the endpoints are unauthenticated, so loopback unless asked. */
  host?: string;
};

/** Where a listening monitor can be reached. */
export type MonitorAddress = { host: string; port: number; url: string };
