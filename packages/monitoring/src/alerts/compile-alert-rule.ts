import { InvalidArgumentError } from '@strata/core';
import type { AlertComparison, AlertRuleOf, AlertSeverity, AlertStat } from './alert-types.js';
import { parseAlertExpression } from './parse-alert-expression.js';

/** A validated rule with defaults applied. */
export type CompiledAlertRule<TSnapshot> = {
  name: string;
  severity: AlertSeverity;
  summary: string | undefined;
  selector:
    | { kind: 'metric'; metric: string; stat: AlertStat | undefined; labels: Readonly<Record<string, string>> }
    | { kind: 'snapshot'; value: (snapshot: TSnapshot) => number | null | undefined };
  op: AlertComparison;
  threshold: number;
  forMs: number;
  clearThreshold: number;
  clearForMs: number;
  /** The condition in words, e.g. `p99(strata_command_duration_seconds) > 20`. */
  condition: string;
};

const KNOWN = new Set(['name', 'when', 'metric', 'stat', 'labels', 'value', 'op', 'threshold', 'forMs', 'clearThreshold', 'clearForMs', 'severity', 'summary']);
const OPS = new Set(['>', '>=', '<', '<=']);
const STATS = new Set(['p50', 'p95', 'p99', 'p999', 'max', 'min', 'mean', 'count', 'rate', 'value']);
const SEVERITIES = new Set(['info', 'warning', 'critical']);

/**
 * Validates a rule. Errors are `INVALID_ARGUMENT` with `details.argument` naming the field as
 * `alerts[<index>].<field>` (or `rule.<field>` for rules added later).
 */
export function compileAlertRule<TSnapshot>(rule: AlertRuleOf<TSnapshot>, path: string): CompiledAlertRule<TSnapshot> {
  if (typeof rule !== 'object' || rule === null) throw new InvalidArgumentError(path, 'expected an alert rule object');
  for (const key of Object.keys(rule)) if (!KNOWN.has(key)) throw new InvalidArgumentError(`${path}.${key}`, 'unknown alert rule field');
  if (typeof rule.name !== 'string' || rule.name.trim().length === 0) throw new InvalidArgumentError(`${path}.name`, 'expected a non-empty string');
  const sources = [rule.when, rule.metric, rule.value].filter((s) => s !== undefined).length;
  if (sources !== 1) throw new InvalidArgumentError(path, `rule '${rule.name}' needs exactly one of when, metric and value`);

  let selector: CompiledAlertRule<TSnapshot>['selector'];
  let op = rule.op;
  let threshold = rule.threshold;
  let forMs = rule.forMs;
  if (rule.when !== undefined) {
    if (typeof rule.when !== 'string') throw new InvalidArgumentError(`${path}.when`, 'expected an expression string');
    for (const field of ['op', 'threshold', 'stat', 'labels'] as const) {
      if (rule[field] !== undefined) throw new InvalidArgumentError(`${path}.${field}`, 'already given by when');
    }
    const parsed = parseAlertExpression(rule.when, `${path}.when`);
    selector = { kind: 'metric', metric: parsed.metric, stat: parsed.stat, labels: parsed.labels };
    op = parsed.op;
    threshold = parsed.threshold;
    if (forMs !== undefined && parsed.forMs > 0) throw new InvalidArgumentError(`${path}.forMs`, 'already given by when');
    forMs = forMs ?? parsed.forMs;
  } else if (rule.metric !== undefined) {
    if (typeof rule.metric !== 'string' || rule.metric.length === 0) throw new InvalidArgumentError(`${path}.metric`, 'expected a metric name');
    if (rule.stat !== undefined && !STATS.has(rule.stat)) throw new InvalidArgumentError(`${path}.stat`, `expected one of ${[...STATS].join(', ')}`);
    const labels = rule.labels ?? {};
    if (typeof labels !== 'object' || labels === null || Object.values(labels).some((v) => typeof v !== 'string')) {
      throw new InvalidArgumentError(`${path}.labels`, 'expected an object of string label values');
    }
    selector = { kind: 'metric', metric: rule.metric, stat: rule.stat, labels: { ...labels } };
  } else {
    if (typeof rule.value !== 'function') throw new InvalidArgumentError(`${path}.value`, 'expected a function (snapshot) => number');
    selector = { kind: 'snapshot', value: rule.value };
  }

  if (op === undefined || !OPS.has(op)) throw new InvalidArgumentError(`${path}.op`, "expected '>', '>=', '<' or '<='");
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw new InvalidArgumentError(`${path}.threshold`, 'expected a finite number');
  const resolvedForMs = duration(forMs, `${path}.forMs`);
  const clearForMs = duration(rule.clearForMs, `${path}.clearForMs`);
  const clearThreshold = rule.clearThreshold ?? threshold;
  if (typeof clearThreshold !== 'number' || !Number.isFinite(clearThreshold)) {
    throw new InvalidArgumentError(`${path}.clearThreshold`, 'expected a finite number');
  }
  const above = op === '>' || op === '>=';
  if (above ? clearThreshold > threshold : clearThreshold < threshold) {
    throw new InvalidArgumentError(`${path}.clearThreshold`, `must be ${above ? 'at most' : 'at least'} the threshold (${threshold}) for a '${op}' rule`);
  }
  const severity = rule.severity ?? 'warning';
  if (!SEVERITIES.has(severity)) throw new InvalidArgumentError(`${path}.severity`, "expected 'info', 'warning' or 'critical'");
  if (rule.summary !== undefined && typeof rule.summary !== 'string') throw new InvalidArgumentError(`${path}.summary`, 'expected a string');

  const subject = selector.kind === 'snapshot' ? rule.name : describeMetric(selector.metric, selector.stat, selector.labels);
  return {
    name: rule.name,
    severity,
    summary: rule.summary,
    selector,
    op,
    threshold,
    forMs: resolvedForMs,
    clearThreshold,
    clearForMs,
    condition: `${subject} ${op} ${threshold}`,
  };
}

function duration(value: unknown, argument: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new InvalidArgumentError(argument, 'expected a duration in ms, 0 or more');
  return value;
}

function describeMetric(metric: string, stat: AlertStat | undefined, labels: Readonly<Record<string, string>>): string {
  const selected = `${metric}${formatLabels(labels)}`;
  return stat === undefined ? selected : `${stat}(${selected})`;
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}
