import { MonitorEngine } from './monitor-engine.js';
import type { Monitor } from './monitor.js';
import type { MonitorOptions } from './monitor-options.js';
import { validateMonitorOptions } from './validate-monitor-options.js';

/**
 * Creates a monitor: it subscribes to Strata's diagnostics channels, collects runtime metrics,
 * samples once per `intervalMs` (rates, HDR percentiles, alerts, dashboard updates) and serves
 * `/metrics`, `/dashboard` and friends through `handler` or `listen()`. Cheap to create and to
 * close; packages pay for it only while it is subscribed.
 *
 * @throws InvalidArgumentError (`INVALID_ARGUMENT`) naming the offending option in
 * `details.argument` when an option is malformed or unknown.
 *
 * @example
 * ```ts
 * const monitor = createMonitor({
 *   alerts: [{ name: 'slow commands', when: 'p99(strata_command_duration_seconds) > 20ms for 30s', clearThreshold: 15 }],
 * });
 * const { url } = await monitor.listen({ port: 9464 });
 * console.log(`dashboard: ${url}/dashboard`);
 * ```
 */
export function createMonitor(options: MonitorOptions = {}): Monitor {
  return new MonitorEngine(validateMonitorOptions(options));
}
