import type { CounterMetric } from './counter-metric.js';
import type { GaugeMetric } from './gauge-metric.js';
import { HistogramMetric } from './histogram-metric.js';

/** The `Content-Type` of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const QUANTILES = [
  ['0.5', 'p50'],
  ['0.95', 'p95'],
  ['0.99', 'p99'],
  ['0.999', 'p999'],
] as const;

const HELP_ESCAPES = /[\\\n]/g;
const LABEL_ESCAPES = /[\\\n"]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '"': '\\"' };

/** A sample value as the exposition format spells it. */
function formatValue(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

/** `{a="1",b="2"}`, or an empty string without labels; `extra` is appended last (the quantile). */
function formatLabels(names: readonly string[], values: readonly string[], extra?: string): string {
  if (names.length === 0 && extra === undefined) return '';
  const parts: string[] = [];
  for (let i = 0; i < names.length; i++) {
    parts.push(`${names[i]}="${(values[i] ?? '').replace(LABEL_ESCAPES, (c) => ESCAPED[c] ?? c)}"`);
  }
  if (extra !== undefined) parts.push(extra);
  return `{${parts.join(',')}}`;
}

/**
 * Renders families in the Prometheus text exposition format 0.0.4. Histograms become summaries:
 * quantiles over the sliding window (`NaN` when it is empty, as Prometheus clients do), `_sum` and
 * `_count` since start. Durations are converted from the milliseconds they were observed in to
 * seconds. Labelled families without any series yet are left out.
 */
export function renderPrometheusText(families: ReadonlyArray<CounterMetric | GaugeMetric | HistogramMetric>): string {
  const lines: string[] = [];
  for (const family of families) {
    // An unlabelled family always has its one series, so a counter reads 0 before its first event.
    if (family.labelNames.length === 0) family.labels();
    if (family.series().length === 0) continue;
    lines.push(`# HELP ${family.name} ${family.help.replace(HELP_ESCAPES, (c) => ESCAPED[c] ?? c)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    if (family instanceof HistogramMetric) {
      const toExposed = family.unit === 'seconds' ? 1 / 1000 : 1;
      for (const { labelValues, series } of family.series()) {
        const stats = family.windowStats(series);
        for (const [quantile, key] of QUANTILES) {
          const value = stats === null ? Number.NaN : stats[key] * toExposed;
          lines.push(`${family.name}${formatLabels(family.labelNames, labelValues, `quantile="${quantile}"`)} ${formatValue(value)}`);
        }
        const labels = formatLabels(family.labelNames, labelValues);
        lines.push(`${family.name}_sum${labels} ${formatValue(series.sum * toExposed)}`);
        lines.push(`${family.name}_count${labels} ${formatValue(series.count)}`);
      }
    } else {
      for (const { labelValues, series } of family.series()) {
        lines.push(`${family.name}${formatLabels(family.labelNames, labelValues)} ${formatValue(series.value)}`);
      }
    }
  }
  lines.push('');
  return lines.join('\n');
}
