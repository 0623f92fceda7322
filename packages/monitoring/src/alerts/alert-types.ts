/** How urgent an alert is; decides the log level (`critical` logs as an error). */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** The comparison of a rule: the alert condition is `value <op> threshold`. */
export type AlertComparison = '>' | '>=' | '<' | '<=';

/**
 * The figure a rule reads from a metric family over the last sampling interval. Histograms:
 * `p50` … `p999`, `max`, `min`, `mean` (ms for durations), `count`, `rate` (observations/s).
 * Counters: `rate` (per second, the default) or `value` (total). Gauges: `value`.
 */
export type AlertStat = 'p50' | 'p95' | 'p99' | 'p999' | 'max' | 'min' | 'mean' | 'count' | 'rate' | 'value';

/**
 * A threshold rule. Give the condition either as an expression (`when`), as a metric selector
 * (`metric`, `stat`, `labels`, `op`, `threshold`) or as a function of the snapshot (`value`, `op`,
 * `threshold`). A metric rule is evaluated per matching series: each series is its own alert.
 */
export type AlertRuleOf<TSnapshot> = {
  /** Unique rule name, shown on the dashboard. */
  name: string;
  /**
   * `stat(metric{label="value"}) op threshold[unit] [for duration]`, e.g.
   * `'p99(strata_command_duration_seconds) > 20ms for 30s'`. Units: `ms` `s` `us` (durations, in
   * ms), `%` (ratios), `k` `KB` `MB` `GB` `KiB` `MiB` `GiB`. Durations: `ms` `s` `m` `h`.
   */
  when?: string;
  /** Metric family name, e.g. `strata_store_append_duration_seconds`. */
  metric?: string;
  /** Figure read from the metric; defaults to `p99` (histograms), `rate` (counters), `value` (gauges). */
  stat?: AlertStat;
  /** Only series whose labels include these. */
  labels?: Readonly<Record<string, string>>;
  /** Computes the watched figure from a snapshot; `null`/`undefined` means "no data". */
  value?: (snapshot: TSnapshot) => number | null | undefined;
  op?: AlertComparison;
  threshold?: number;
  /** How long the condition must hold before the alert fires, in ms (default 0). */
  forMs?: number;
  /**
   * Hysteresis: a firing alert clears only once the value is back past this level (≤ it for `>`
   * rules, ≥ it for `<` rules). Defaults to the threshold.
   */
  clearThreshold?: number;
  /** How long the value must stay cleared before the alert resolves, in ms (default 0). */
  clearForMs?: number;
  /** Default `'warning'`. */
  severity?: AlertSeverity;
  /** Text shown with the alert; defaults to the condition. */
  summary?: string;
};

/** An active alert, as shown on the dashboard and in JSON. */
export type Alert = {
  /** Rule name plus label values: unique among active alerts. */
  id: string;
  /** The rule's (or the manually raised alert's) name. */
  name: string;
  severity: AlertSeverity;
  /** `pending`: the condition holds but not yet for `forMs`. `firing`: notified. */
  state: 'pending' | 'firing';
  /** Labels of the series the alert is about (empty for snapshot and manual alerts). */
  labels: Readonly<Record<string, string>>;
  summary: string;
  /** The condition, e.g. `p99(strata_command_duration_seconds) > 20 ms`; empty for manual alerts. */
  condition: string;
  /** The latest value read, `null` without data or for manual alerts. */
  value: number | null;
  threshold: number | null;
  /** Unit of `value` and `threshold` (`ms`, `/s` or empty). */
  unit: string;
  /** When the condition started to hold (epoch ms). */
  since: number;
  /** When the alert fired (epoch ms), `null` while pending. */
  firedAt: number | null;
  /** When a resolved alert resolved (epoch ms); `null` while active. */
  resolvedAt: number | null;
  source: 'rule' | 'manual';
};

/** A notification: an alert fired or resolved. */
export type AlertEvent = { type: 'firing' | 'resolved'; alert: Alert; at: number };

/** Receives alert notifications; errors it throws are logged and otherwise ignored. */
export type AlertListener = (event: AlertEvent) => void;

/** One reading of a rule's figure: a series' labels and its value (`null` for no data). */
export type AlertReading = { labels: Readonly<Record<string, string>>; value: number | null; unit?: string };

/**
 * Where alert notifications are logged. Pino-compatible: fields first, then the message, so a
 * pino logger can be passed as it is.
 */
export interface MonitorLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}
