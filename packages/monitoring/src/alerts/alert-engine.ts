import { InvalidArgumentError } from '@strata/core';
import type { Alert, AlertEvent, AlertListener, AlertReading, AlertSeverity, MonitorLogger } from './alert-types.js';
import type { CompiledAlertRule } from './compile-alert-rule.js';

/** One alert instance: a rule and one series' labels, through pending → firing → resolving. */
type Instance = {
  alert: Alert;
  rule: CompiledAlertRule<unknown> | undefined;
  /** When the value started to read as cleared while firing (hysteresis hold), if it has. */
  clearingSince: number | undefined;
};

/** Settings of an {@link AlertEngine}. */
export type AlertEngineOptions = {
  clock: () => number;
  logger: MonitorLogger | undefined;
  /** Resolved alerts kept for display. */
  keepResolved?: number;
};

const SEVERITY_ORDER: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

function compare(op: CompiledAlertRule<unknown>['op'], value: number, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

function labelKey(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/**
 * Evaluates threshold rules once per sample and keeps the active alerts. A condition must hold on
 * every evaluation for `forMs` before its alert fires; a firing alert clears only when the value
 * is back past `clearThreshold` (hysteresis) and stays there for `clearForMs`. Time comes from
 * the injected clock, so tests step it instead of sleeping.
 */
export class AlertEngine<TSnapshot> {
  readonly #rules = new Map<string, CompiledAlertRule<TSnapshot>>();
  readonly #instances = new Map<string, Instance>();
  readonly #listeners = new Set<AlertListener>();
  readonly #resolved: Alert[] = [];
  readonly #clock: () => number;
  readonly #logger: MonitorLogger | undefined;
  readonly #keepResolved: number;

  constructor(options: AlertEngineOptions) {
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#keepResolved = options.keepResolved ?? 20;
  }

  /** Adds a compiled rule. @throws InvalidArgumentError when a rule of that name exists. */
  addRule(rule: CompiledAlertRule<TSnapshot>): void {
    if (this.#rules.has(rule.name)) throw new InvalidArgumentError('rule.name', `an alert rule named '${rule.name}' already exists`);
    this.#rules.set(rule.name, rule);
  }

  /** Removes a rule and its alerts (without notifications). Returns whether it existed. */
  removeRule(name: string): boolean {
    for (const [key, instance] of this.#instances) if (instance.rule?.name === name) this.#instances.delete(key);
    return this.#rules.delete(name);
  }

  /** The rules, in the order they were added. */
  rules(): CompiledAlertRule<TSnapshot>[] {
    return [...this.#rules.values()];
  }

  /** Registers a listener; returns a function that removes it. */
  onAlert(listener: AlertListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Evaluates every rule on the readings `read` returns for it, at the clock's time. */
  evaluate(read: (rule: CompiledAlertRule<TSnapshot>) => readonly AlertReading[]): void {
    const now = this.#clock();
    for (const rule of this.#rules.values()) {
      const seen = new Set<string>();
      for (const reading of read(rule)) {
        const key = `${rule.name}|${labelKey(reading.labels)}`;
        seen.add(key);
        this.#step(rule, key, reading, now);
      }
      // A series that stopped reporting reads as "no data", which never breaches and clears.
      for (const [key, instance] of this.#instances) {
        if (instance.rule === (rule as CompiledAlertRule<unknown>) && !seen.has(key)) {
          this.#step(rule, key, { labels: instance.alert.labels, value: null }, now);
        }
      }
    }
  }

  /** Raises (or updates) a manual alert; it stays until {@link AlertEngine.resolve}. */
  raise(name: string, options: { severity?: AlertSeverity; summary?: string; labels?: Record<string, string> } = {}): Alert {
    const labels = { ...options.labels };
    const key = `manual:${name}|${labelKey(labels)}`;
    const existing = this.#instances.get(key);
    const now = this.#clock();
    if (existing !== undefined) {
      existing.alert = { ...existing.alert, summary: options.summary ?? existing.alert.summary, severity: options.severity ?? existing.alert.severity };
      return existing.alert;
    }
    const alert: Alert = {
      id: key,
      name,
      severity: options.severity ?? 'warning',
      state: 'firing',
      labels,
      summary: options.summary ?? name,
      condition: '',
      value: null,
      threshold: null,
      unit: '',
      since: now,
      firedAt: now,
      resolvedAt: null,
      source: 'manual',
    };
    this.#instances.set(key, { alert, rule: undefined, clearingSince: undefined });
    this.#notify('firing', alert, now);
    return alert;
  }

  /** Resolves a manual alert. Returns whether one was active. */
  resolve(name: string, labels: Record<string, string> = {}): boolean {
    const key = `manual:${name}|${labelKey(labels)}`;
    const instance = this.#instances.get(key);
    if (instance === undefined) return false;
    this.#finish(key, instance, this.#clock());
    return true;
  }

  /** Active alerts: firing first, then by severity and age. */
  active(): Alert[] {
    return [...this.#instances.values()]
      .map((i) => i.alert)
      .sort((a, b) => (a.state === b.state ? 0 : a.state === 'firing' ? -1 : 1) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.since - b.since);
  }

  /** Recently resolved alerts, newest first. */
  resolved(): Alert[] {
    return [...this.#resolved];
  }

  #step(rule: CompiledAlertRule<TSnapshot>, key: string, reading: AlertReading, now: number): void {
    const { value } = reading;
    const breach = value !== null && compare(rule.op, value, rule.threshold);
    const cleared = value === null || !compare(rule.op, value, rule.clearThreshold);
    let instance = this.#instances.get(key);
    if (instance === undefined) {
      if (!breach) return;
      instance = { alert: this.#newAlert(rule, key, reading, now), rule: rule as CompiledAlertRule<unknown>, clearingSince: undefined };
      this.#instances.set(key, instance);
    }
    instance.alert = { ...instance.alert, value, unit: reading.unit ?? instance.alert.unit };
    const alert = instance.alert;
    if (alert.state === 'pending') {
      if (!breach) {
        this.#instances.delete(key);
      } else if (now - alert.since >= rule.forMs) {
        instance.alert = { ...alert, state: 'firing', firedAt: now };
        this.#notify('firing', instance.alert, now);
      }
      return;
    }
    if (!cleared) {
      instance.clearingSince = undefined;
      return;
    }
    instance.clearingSince ??= now;
    if (now - instance.clearingSince >= rule.clearForMs) this.#finish(key, instance, now);
  }

  #newAlert(rule: CompiledAlertRule<TSnapshot>, key: string, reading: AlertReading, now: number): Alert {
    const unit = reading.unit ?? '';
    const condition = unit === '' ? rule.condition : `${rule.condition} ${unit}`;
    return {
      id: key,
      name: rule.name,
      severity: rule.severity,
      state: 'pending',
      labels: reading.labels,
      summary: rule.summary ?? condition,
      condition,
      value: reading.value,
      threshold: rule.threshold,
      unit,
      since: now,
      firedAt: null,
      resolvedAt: null,
      source: 'rule',
    };
  }

  #finish(key: string, instance: Instance, now: number): void {
    this.#instances.delete(key);
    if (instance.alert.state !== 'firing') return;
    const resolved: Alert = { ...instance.alert, resolvedAt: now };
    this.#resolved.unshift(resolved);
    if (this.#resolved.length > this.#keepResolved) this.#resolved.length = this.#keepResolved;
    this.#notify('resolved', resolved, now);
  }

  #notify(type: AlertEvent['type'], alert: Alert, at: number): void {
    const fields = { alert: alert.name, severity: alert.severity, labels: alert.labels, value: alert.value, threshold: alert.threshold };
    const message = `alert ${type}: ${alert.name}${alert.summary === alert.name ? '' : ` (${alert.summary})`}`;
    if (type === 'resolved') this.#logger?.info(fields, message);
    else if (alert.severity === 'critical') this.#logger?.error(fields, message);
    else this.#logger?.warn(fields, message);
    for (const listener of this.#listeners) {
      try {
        listener({ type, alert, at });
      } catch (error) {
        this.#logger?.error({ alert: alert.name, error: String(error) }, 'alert listener threw');
      }
    }
  }
}
