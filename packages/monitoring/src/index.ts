export { createMonitor } from './monitor/create-monitor.js';
export type { Monitor } from './monitor/monitor.js';
export type { MonitorOptions, AlertRule, ProfilingOptions, ListenOptions, MonitorAddress } from './monitor/monitor-options.js';
export type { MonitorRequestHandler } from './http/monitor-handler.js';
export type { MonitorSnapshot } from './snapshot/monitor-snapshot.js';

export type { MetricRegistry, Metric, MetricsJson, SeriesJson } from './metrics/metric-registry.js';
export type { CounterMetric, CounterSeries } from './metrics/counter-metric.js';
export type { GaugeMetric, GaugeSeries, GaugeOptions } from './metrics/gauge-metric.js';
export type { HistogramMetric, HistogramSeries, HistogramOptions, HistogramStats, HistogramUnit } from './metrics/histogram-metric.js';
export { OVERFLOW_LABEL_VALUE, type MetricFamilyOptions, type MetricType, type SeriesEntry } from './metrics/metric-family.js';
export { LogLinearHistogram, HISTOGRAM_RELATIVE_PRECISION } from './metrics/log-linear-histogram.js';
export { PROMETHEUS_CONTENT_TYPE } from './metrics/prometheus-text.js';

export type { ChannelKey } from './collectors/channel-subscriptions.js';
export type { RuntimeStats, RuntimeCollectorOptions } from './collectors/runtime-collector.js';
export type { StoreStats } from './collectors/store-collector.js';
export type { CommandStats } from './collectors/command-collector.js';
export type { ProcessorStats } from './collectors/processor-collector.js';
export type { CacheStats } from './collectors/cache-collector.js';
export type { PoolStats, BreakerState } from './collectors/pool-collector.js';
export type { BatchStats } from './collectors/batch-collector.js';
export type { ProjectionStats } from './collectors/projection-collector.js';
export type { QueryStats } from './collectors/query-collector.js';
export type { SerializationStats } from './collectors/serialization-collector.js';

export type {
  Alert,
  AlertEvent,
  AlertListener,
  AlertSeverity,
  AlertComparison,
  AlertStat,
  MonitorLogger,
} from './alerts/alert-types.js';
export { parseAlertExpression, type ParsedAlertExpression } from './alerts/parse-alert-expression.js';

export type { ProfileKind, ProfileResult } from './profiling/profiler.js';

export { renderTop, type RenderTopOptions } from './top/render-top.js';
export { runStrataTop, type StrataTopOptions, type TopOutput } from './top/run-strata-top.js';
export { parseTopArgs, TOP_USAGE, type TopArgs } from './top/parse-top-args.js';
