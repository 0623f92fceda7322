/**
 * The benchmark harness contract. A suite is a file under `bench/src/suites/` whose default
 * export is a {@link Suite}; `bench/src/run.ts` discovers, runs and reports them.
 */

/** Settings the runner passes to every case. */
export type RunContext = {
  /** True in quick mode (CI): shorter runs, fewer repetitions, smaller data sets. */
  quick: boolean;
  /** A fresh temporary directory for this case (removed afterwards). */
  tmpDir: string;
  /** Measured duration per repetition, in ms (after warm-up). */
  durationMs: number;
  /** Warm-up duration, in ms. */
  warmupMs: number;
};

/** What a custom `measure` returns for one repetition. */
export type Measurement = {
  /** Operations completed (events appended, items decoded …). */
  ops: number;
  /** Wall time of the measured part, in ms. */
  elapsedMs: number;
  /** Latency samples, in nanoseconds, one per observed operation or request (may be empty). */
  latenciesNs?: ArrayLike<number>;
  /** Extra figures to report (bytes per event, batch size chosen …). */
  extra?: Record<string, number>;
};

/**
 * One measured thing. Give either `fn` (the harness calls it in a loop for `durationMs`, with
 * `concurrency` callers in flight, timing each call) or `measure` (the case runs its own load and
 * returns a {@link Measurement}; used for open-loop or multi-process loads).
 */
export type BenchCase = {
  name: string;
  /** `baseline` for the raw dependency or peer, `subject` for Strata's code. */
  role: 'baseline' | 'subject';
  /** Operations one call of `fn` performs (a 100-event append is 100). Default 1. */
  opsPerCall?: number;
  /** Calls of `fn` kept in flight at once (default 1). */
  concurrency?: number;
  /** Prepared once before warm-up; not measured. */
  setup?(ctx: RunContext): Promise<void> | void;
  fn?(): unknown;
  measure?(ctx: RunContext): Promise<Measurement>;
  /** Cleaned up after all repetitions. */
  teardown?(): Promise<void> | void;
  /**
   * `false`: measured in one window per repetition even when the suite has `sliceMs` (a
   * `measure` that runs a fixed amount of work, such as one whole catch-up). Such cases run
   * before the sliced rounds of each repetition.
   */
  sliceable?: boolean;
};

/** A pass/fail target: subject ops/s over baseline ops/s (or an absolute floor). */
export type Target =
  | { kind: 'ratio'; subject: string; baseline: string; min: number; description?: string }
  | { kind: 'opsPerSec'; subject: string; min: number; description?: string }
  | { kind: 'latency'; subject: string; percentile: 50 | 99 | 99.9; maxMs: number; description?: string }
  | { kind: 'extra'; subject: string; key: string; min?: number; max?: number; description?: string };

/** A group of cases measured in the same run, with the targets that judge them. */
export type Suite = {
  /** Stable id, used for result files and the baseline comparison (e.g. `serialization`). */
  id: string;
  title: string;
  description: string;
  cases: BenchCase[];
  targets: Target[];
  /** Per-suite overrides of duration and repetitions. */
  durationMs?: number;
  repetitions?: number;
  /**
   * Measures each repetition in interleaved slices of this many ms instead of one window per case:
   * every case in turn measures one slice, round after round, until each has measured its
   * duration. A slow phase of the machine (a noisy neighbour, frequency scaling) then hits every
   * case alike, so same-run ratios stop swinging with it. Only for cases whose measurement can be
   * split: `fn` cases, and `measure` cases that measure for `ctx.durationMs` after `ctx.warmupMs`
   * (warm-up is given to each case's first slice of a repetition only); mark others `sliceable: false`.
   */
  sliceMs?: number;
};

/** Result of one case over all repetitions. */
export type CaseResult = {
  name: string;
  role: 'baseline' | 'subject';
  /** Median ops/s over repetitions. */
  opsPerSec: number;
  /** ops/s of each repetition. */
  runs: number[];
  latencyMs: { p50: number; p99: number; p999: number; max: number; mean: number } | undefined;
  extra: Record<string, number>;
};

/** Result of a target check. */
export type TargetResult = Target & { actual: number; passed: boolean };

/** Result of one suite, as written to `bench/results/<suite>-<timestamp>.json`. */
export type SuiteResult = {
  suite: string;
  title: string;
  quick: boolean;
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  cases: CaseResult[];
  targets: TargetResult[];
};
