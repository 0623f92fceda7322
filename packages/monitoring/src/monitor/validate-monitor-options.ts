import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@strata/core';
import type { AlertListener, MonitorLogger } from '../alerts/alert-types.js';
import { compileAlertRule, type CompiledAlertRule } from '../alerts/compile-alert-rule.js';
import { CHANNEL_KEYS, type ChannelKey } from '../collectors/channel-subscriptions.js';
import type { RuntimeCollectorOptions } from '../collectors/runtime-collector.js';
import type { MonitorSnapshot } from '../snapshot/monitor-snapshot.js';
import { consoleLogger } from './console-logger.js';
import type { MonitorOptions } from './monitor-options.js';

/** {@link MonitorOptions} after validation, with defaults applied. */
export type ResolvedMonitorOptions = {
  title: string;
  intervalMs: number;
  historySize: number;
  quantileWindowMs: number;
  maxSeriesPerMetric: number;
  runtime: RuntimeCollectorOptions | false;
  channels: ReadonlySet<ChannelKey>;
  alerts: CompiledAlertRule<MonitorSnapshot>[];
  onAlert: AlertListener | undefined;
  logger: MonitorLogger | undefined;
  profiling: { dir: string; endpoint: boolean; maxDurationMs: number };
  basePath: string;
  clock: () => number;
};

const KNOWN = new Set([
  'title', 'intervalMs', 'historySize', 'quantileWindowMs', 'maxSeriesPerMetric', 'runtime', 'channels',
  'alerts', 'onAlert', 'logger', 'profiling', 'basePath', 'clock',
]);
// Node clamps longer timeouts to 1 ms with a warning: a typo would become a busy loop.
const MAX_TIMER_MS = 2_147_483_647;

function integer(value: unknown, argument: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(argument, `expected an integer from ${min} to ${max}`);
  }
  return value;
}

function rejectUnknown(options: object, known: ReadonlySet<string>, prefix: string): void {
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new InvalidArgumentError(`${prefix}${key}`, 'unknown option');
  }
}

/**
 * Validates the options of `createMonitor`. Every failure is an `INVALID_ARGUMENT` error whose
 * `details.argument` names the option (`profiling.dir`, `alerts[2].forMs` for nested ones).
 * Unknown keys are rejected: a misspelt `interval` would otherwise silently keep the default.
 */
export function validateMonitorOptions(options: MonitorOptions = {}): ResolvedMonitorOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  rejectUnknown(options, KNOWN, '');
  const title = options.title ?? 'Strata';
  if (typeof title !== 'string' || title.length === 0 || title.length > 200) throw new InvalidArgumentError('title', 'expected a string of 1 to 200 characters');
  const intervalMs = integer(options.intervalMs, 'intervalMs', 1000, 10, MAX_TIMER_MS);
  const historySize = integer(options.historySize, 'historySize', 120, 1, 100_000);
  const quantileWindowMs = integer(options.quantileWindowMs, 'quantileWindowMs', 60_000, 1000, 86_400_000);
  const maxSeriesPerMetric = integer(options.maxSeriesPerMetric, 'maxSeriesPerMetric', 1000, 1, 1_000_000);

  let runtime: RuntimeCollectorOptions | false = {};
  if (options.runtime === false) runtime = false;
  else if (options.runtime !== undefined && options.runtime !== true) {
    if (typeof options.runtime !== 'object' || options.runtime === null) throw new InvalidArgumentError('runtime', 'expected a boolean or an options object');
    rejectUnknown(options.runtime, new Set(['eventLoopResolutionMs']), 'runtime.');
    runtime = { eventLoopResolutionMs: integer(options.runtime.eventLoopResolutionMs, 'runtime.eventLoopResolutionMs', 10, 1, 10_000) };
  }

  let channels: ReadonlySet<ChannelKey>;
  if (options.channels === undefined || options.channels === true) channels = new Set(CHANNEL_KEYS);
  else if (options.channels === false) channels = new Set();
  else {
    if (!Array.isArray(options.channels)) throw new InvalidArgumentError('channels', 'expected a boolean or a list of channel keys');
    for (const key of options.channels) {
      if (!CHANNEL_KEYS.includes(key)) throw new InvalidArgumentError('channels', `unknown channel '${String(key)}' (one of ${CHANNEL_KEYS.join(', ')})`);
    }
    channels = new Set(options.channels);
  }

  const rules = options.alerts ?? [];
  if (!Array.isArray(rules)) throw new InvalidArgumentError('alerts', 'expected an array of alert rules');
  const alerts = rules.map((rule, i) => compileAlertRule(rule, `alerts[${i}]`));
  const names = new Set<string>();
  alerts.forEach((rule, i) => {
    if (names.has(rule.name)) throw new InvalidArgumentError(`alerts[${i}].name`, `duplicate rule name '${rule.name}'`);
    names.add(rule.name);
  });

  if (options.onAlert !== undefined && typeof options.onAlert !== 'function') throw new InvalidArgumentError('onAlert', 'expected a function');
  let logger: MonitorLogger | undefined = consoleLogger;
  if (options.logger === false) logger = undefined;
  else if (options.logger !== undefined) {
    const candidate = options.logger as Partial<MonitorLogger> | null;
    if (typeof candidate !== 'object' || candidate === null || ['info', 'warn', 'error'].some((m) => typeof candidate[m as keyof MonitorLogger] !== 'function')) {
      throw new InvalidArgumentError('logger', 'expected false or an object with info, warn and error methods');
    }
    logger = options.logger;
  }

  const profilingInput = options.profiling ?? {};
  if (typeof profilingInput !== 'object' || profilingInput === null) throw new InvalidArgumentError('profiling', 'expected an options object');
  rejectUnknown(profilingInput, new Set(['dir', 'endpoint', 'maxDurationMs']), 'profiling.');
  const dir = profilingInput.dir ?? join(tmpdir(), 'strata-profiles');
  if (typeof dir !== 'string' || dir.length === 0) throw new InvalidArgumentError('profiling.dir', 'expected a directory path');
  const endpoint = profilingInput.endpoint ?? false;
  if (typeof endpoint !== 'boolean') throw new InvalidArgumentError('profiling.endpoint', 'expected a boolean');
  const maxDurationMs = integer(profilingInput.maxDurationMs, 'profiling.maxDurationMs', 300_000, 1, MAX_TIMER_MS);

  const basePath = options.basePath ?? '';
  if (typeof basePath !== 'string' || (basePath !== '' && !/^\/[\w\-./~]*[^/]$/.test(basePath))) {
    throw new InvalidArgumentError('basePath', "expected '' or a path such as '/monitor' (leading slash, no trailing slash)");
  }
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') throw new InvalidArgumentError('clock', 'expected a function returning epoch ms');

  return {
    title,
    intervalMs,
    historySize,
    quantileWindowMs,
    maxSeriesPerMetric,
    runtime,
    channels,
    alerts,
    onAlert: options.onAlert,
    logger,
    profiling: { dir, endpoint, maxDurationMs },
    basePath,
    clock,
  };
}
