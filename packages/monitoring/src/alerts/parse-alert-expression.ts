import { InvalidArgumentError } from '@strata/core';
import type { AlertComparison, AlertStat } from './alert-types.js';

/** What an alert expression says. */
export type ParsedAlertExpression = {
  metric: string;
  stat: AlertStat | undefined;
  labels: Record<string, string>;
  op: AlertComparison;
  threshold: number;
  forMs: number;
};

const STATS = new Set<string>(['p50', 'p95', 'p99', 'p999', 'max', 'min', 'mean', 'count', 'rate', 'value']);

/** Multipliers of threshold units. Durations become ms, the unit latencies are read in. */
const THRESHOLD_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  ms: 1,
  s: 1000,
  us: 0.001,
  µs: 0.001,
  '%': 0.01,
  k: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};
const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

const NUMBER = String.raw`[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?`;
const EXPRESSION = new RegExp(
  String.raw`^\s*(?:(\w+)\s*\(\s*([a-zA-Z_:][\w:]*)\s*(\{[^}]*\})?\s*\)|([a-zA-Z_:][\w:]*)\s*(\{[^}]*\})?)` +
    String.raw`\s*(>=|<=|>|<)\s*(${NUMBER})\s*([a-zA-Zµ%]*)\s*(?:for\s+(${NUMBER})\s*([a-z]+))?\s*$`,
);
const LABEL = /^\s*([a-zA-Z_]\w*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/;

/**
 * Parses `stat(metric{label="value"}) op threshold[unit] [for duration]`, e.g.
 * `p99(strata_command_duration_seconds) > 20ms for 30s` or
 * `rate(strata_store_append_errors_total{store="lmdb"}) > 0`. The stat may be left out
 * (`strata_pool_waiting_requests > 10`): the metric's default applies.
 *
 * @throws InvalidArgumentError (`INVALID_ARGUMENT`, argument `argument`) naming what is wrong.
 */
export function parseAlertExpression(expression: string, argument = 'when'): ParsedAlertExpression {
  const match = EXPRESSION.exec(expression);
  if (match === null) {
    throw new InvalidArgumentError(argument, `'${expression}' is not 'stat(metric{labels}) op threshold [for duration]'`);
  }
  const [, stat, statMetric, statLabels, bareMetric, bareLabels, op, value, unit = '', forValue, forUnit] = match;
  if (stat !== undefined && !STATS.has(stat)) {
    throw new InvalidArgumentError(argument, `unknown statistic '${stat}' in '${expression}' (one of ${[...STATS].join(', ')})`);
  }
  const multiplier = THRESHOLD_UNITS[unit];
  if (multiplier === undefined) throw new InvalidArgumentError(argument, `unknown unit '${unit}' in '${expression}'`);
  let forMs = 0;
  if (forValue !== undefined) {
    const durationUnit = DURATION_UNITS[forUnit ?? ''];
    if (durationUnit === undefined) throw new InvalidArgumentError(argument, `unknown duration unit '${forUnit ?? ''}' in '${expression}'`);
    forMs = Number(forValue) * durationUnit;
  }
  return {
    metric: (statMetric ?? bareMetric) as string,
    stat: stat as AlertStat | undefined,
    labels: parseLabels(statLabels ?? bareLabels, expression, argument),
    op: op as AlertComparison,
    threshold: Number(value) * multiplier,
    forMs,
  };
}

function parseLabels(text: string | undefined, expression: string, argument: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (text === undefined) return labels;
  const body = text.slice(1, -1).trim();
  if (body.length === 0) return labels;
  for (const part of body.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    const pair = LABEL.exec(part);
    if (pair === null) throw new InvalidArgumentError(argument, `bad label matcher '${part.trim()}' in '${expression}'`);
    labels[pair[1] as string] = (pair[2] as string).replace(/\\(.)/g, '$1');
  }
  return labels;
}
