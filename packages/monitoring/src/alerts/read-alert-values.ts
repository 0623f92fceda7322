import { CounterMetric } from '../metrics/counter-metric.js';
import { GaugeMetric } from '../metrics/gauge-metric.js';
import type { HistogramSeries } from '../metrics/histogram-metric.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';
import type { AlertReading, AlertStat } from './alert-types.js';
import type { CompiledAlertRule } from './compile-alert-rule.js';

function matches(labels: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  for (const key in wanted) if (labels[key] !== wanted[key]) return false;
  return true;
}

function histogramValue(series: HistogramSeries, stat: AlertStat): number | null {
  const last = series.last;
  switch (stat) {
    case 'rate':
      return series.rate;
    case 'count':
      return last?.count ?? 0;
    case 'p50':
    case 'p95':
    case 'p99':
    case 'p999':
    case 'max':
    case 'min':
    case 'mean':
      return last === null ? null : last[stat];
    case 'value':
      return null;
  }
}

/**
 * The readings a rule watches: one per series of its metric that carries the rule's labels, or
 * one from the snapshot. A statistic that does not apply to the metric's type reads as no data;
 * an unknown metric yields no readings (its package may not have published yet).
 */
export function readAlertValues<TSnapshot>(rule: CompiledAlertRule<TSnapshot>, registry: MetricRegistry, snapshot: TSnapshot): AlertReading[] {
  const selector = rule.selector;
  if (selector.kind === 'snapshot') {
    const value = selector.value(snapshot);
    return [{ labels: {}, value: typeof value === 'number' && Number.isFinite(value) ? value : null }];
  }
  const family = registry.get(selector.metric);
  if (family === undefined) return [];
  const readings: AlertReading[] = [];
  if (family instanceof CounterMetric) {
    const stat = selector.stat ?? 'rate';
    for (const { labelValues, series } of family.series()) {
      const labels = family.labelObject(labelValues);
      if (!matches(labels, selector.labels)) continue;
      const value = stat === 'rate' ? series.rate : stat === 'value' ? series.value : null;
      readings.push({ labels, value, unit: stat === 'rate' ? '/s' : '' });
    }
  } else if (family instanceof GaugeMetric) {
    const stat = selector.stat ?? 'value';
    for (const { labelValues, series } of family.series()) {
      const labels = family.labelObject(labelValues);
      if (matches(labels, selector.labels)) readings.push({ labels, value: stat === 'value' ? series.value : null, unit: '' });
    }
  } else {
    const stat = selector.stat ?? 'p99';
    const unit = stat === 'rate' ? '/s' : stat === 'count' || family.unit !== 'seconds' ? '' : 'ms';
    for (const { labelValues, series } of family.series()) {
      const labels = family.labelObject(labelValues);
      if (matches(labels, selector.labels)) readings.push({ labels, value: histogramValue(series, stat), unit });
    }
  }
  return readings;
}
