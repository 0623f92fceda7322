import { InvalidArgumentError } from '@strata/core';

/** One labelled series of a family, as listed by {@link MetricFamily.series}. */
export type SeriesEntry<S> = {
  /** Label values, in the order of the family's label names. */
  readonly labelValues: readonly string[];
  readonly series: S;
};

/** The Prometheus type a family is exposed as. */
export type MetricType = 'counter' | 'gauge' | 'summary';

/** Options shared by every metric family. */
export type MetricFamilyOptions = {
  /** Prometheus metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`, e.g. `strata_store_appends_total`. */
  name: string;
  /** One line saying what is measured, shown as `# HELP`. */
  help: string;
  /** Label names, in the order `labels(...)` takes their values. Default none. */
  labelNames?: readonly string[];
};

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The label value every new series gets once a family holds `maxSeries` series: a label fed from
 * unbounded data (a stream id) then costs one extra series, not unbounded memory.
 */
export const OVERFLOW_LABEL_VALUE = '__overflow__';

/**
 * A named metric with labelled series. Series are found through nested maps keyed by each label
 * value, so a lookup on the hot path allocates nothing (no joined key string), and the last
 * series found is remembered for the common case of one label value seen over and over.
 */
export abstract class MetricFamily<S> {
  /** The Prometheus metric name. */
  readonly name: string;
  /** The `# HELP` text. */
  readonly help: string;
  /** The label names, in order. */
  readonly labelNames: readonly string[];
  readonly #maxSeries: number;
  readonly #root = new Map<string, unknown>();
  readonly #entries: SeriesEntry<S>[] = [];
  #single: S | undefined;
  #lastValue: string | undefined;
  #lastSeries: S | undefined;

  /** The Prometheus type of this family. */
  abstract readonly type: MetricType;

  protected constructor(options: MetricFamilyOptions, maxSeries: number, reservedLabels: readonly string[] = []) {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('metric', 'expected an options object');
    if (typeof options.name !== 'string' || !METRIC_NAME.test(options.name)) {
      throw new InvalidArgumentError('name', `expected a Prometheus metric name, got ${JSON.stringify(options.name)}`);
    }
    if (typeof options.help !== 'string' || options.help.length === 0) {
      throw new InvalidArgumentError('help', `expected a description of metric '${options.name}'`);
    }
    const labelNames = options.labelNames ?? [];
    if (!Array.isArray(labelNames)) throw new InvalidArgumentError('labelNames', 'expected an array of label names');
    const seen = new Set<string>();
    for (const label of labelNames) {
      if (typeof label !== 'string' || !LABEL_NAME.test(label) || label.startsWith('__') || reservedLabels.includes(label)) {
        throw new InvalidArgumentError('labelNames', `'${String(label)}' is not a valid label name for '${options.name}'`);
      }
      if (seen.has(label)) throw new InvalidArgumentError('labelNames', `'${label}' is listed twice for '${options.name}'`);
      seen.add(label);
    }
    this.name = options.name;
    this.help = options.help;
    this.labelNames = Object.freeze([...labelNames]);
    this.#maxSeries = maxSeries;
  }

  /** Creates the state of one series. */
  protected abstract createSeries(): S;

  /**
   * The series for these label values (one per label name, in order), created on first use.
   * @throws InvalidArgumentError (`INVALID_ARGUMENT`, argument `labels`) on a wrong number of values.
   */
  labels(...values: string[]): S {
    const names = this.labelNames.length;
    if (values.length !== names) {
      throw new InvalidArgumentError('labels', `'${this.name}' takes ${names} label value(s), got ${values.length}`);
    }
    if (names === 0) return (this.#single ??= this.#add([]));
    if (names === 1) {
      const value = values[0] as string;
      if (value === this.#lastValue) return this.#lastSeries as S;
      const series = (this.#root.get(value) as S | undefined) ?? this.#add(values);
      this.#lastValue = value;
      this.#lastSeries = series;
      return series;
    }
    let level: Map<string, unknown> | undefined = this.#root;
    for (let i = 0; i < names - 1 && level !== undefined; i++) level = level.get(values[i] as string) as Map<string, unknown> | undefined;
    return (level?.get(values[names - 1] as string) as S | undefined) ?? this.#add(values);
  }

  /** Every series created so far, in creation order. */
  series(): readonly SeriesEntry<S>[] {
    return this.#entries;
  }

  /** Label values as an object keyed by label name. */
  labelObject(labelValues: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    this.labelNames.forEach((name, i) => {
      out[name] = labelValues[i] ?? '';
    });
    return out;
  }

  #add(requested: readonly string[]): S {
    // Past the limit new label values fold into one overflow series instead of growing memory.
    const values = this.#entries.length >= this.#maxSeries ? requested.map(() => OVERFLOW_LABEL_VALUE) : [...requested];
    if (values.length === 0) {
      const series = this.createSeries();
      this.#entries.push({ labelValues: Object.freeze(values), series });
      return series;
    }
    let level = this.#root;
    for (let i = 0; i < values.length - 1; i++) {
      const key = values[i] as string;
      let next = level.get(key) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    const leaf = values[values.length - 1] as string;
    const existing = level.get(leaf) as S | undefined;
    if (existing !== undefined) return existing;
    const series = this.createSeries();
    level.set(leaf, series);
    this.#entries.push({ labelValues: Object.freeze(values), series });
    return series;
  }
}
