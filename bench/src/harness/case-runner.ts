import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isThenable, runClosedLoop } from './closed-loop.js';
import { LatencyRecorder } from './latency-recorder.js';
import { median } from './median.js';
import type { RunSettings } from './run-settings.js';
import type { BenchCase, CaseResult, Measurement, RunContext } from './types.js';

/** What one repetition of a case measured. */
export type RepetitionFigures = { opsPerSec: number; ops: number; elapsedMs: number };

const BYTES_PER_MB = 2 ** 20;

/**
 * Runs one {@link BenchCase} through its life: a fresh temporary directory and `setup`, then any
 * number of repetitions (each a warm-up and a measured window for `fn` cases, one `measure` call
 * otherwise), then `teardown` and removal of the directory. Latencies of all repetitions go into
 * one histogram; ops/s is the median of the repetitions.
 */
export class CaseRunner {
  readonly #case: BenchCase;
  readonly #settings: RunSettings;
  readonly #quick: boolean;
  readonly #recorder = new LatencyRecorder();
  readonly #warmupRecorder = new LatencyRecorder();
  readonly #runs: number[] = [];
  readonly #extras = new Map<string, number[]>();
  #peakRssMB = 0;
  #context: RunContext | undefined;
  #async: boolean | undefined;
  /** What the slices of the current repetition measured so far (sliced suites only). */
  #slices: { ops: number; elapsedMs: number } | undefined;

  constructor(benchCase: BenchCase, settings: RunSettings, quick: boolean) {
    this.#case = benchCase;
    this.#settings = settings;
    this.#quick = quick;
  }

  /** The case's name. */
  get name(): string {
    return this.#case.name;
  }

  /** Whether the case may be measured in slices (see the suite's `sliceMs`). */
  get sliceable(): boolean {
    return this.#case.sliceable !== false;
  }

  /** Creates the case's temporary directory inside `parentDir` and runs `setup`. */
  async prepare(parentDir: string, suiteId: string): Promise<void> {
    const dir = await mkdtemp(join(parentDir, `strata-bench-${suiteId}-`));
    this.#context = { quick: this.#quick, tmpDir: dir, durationMs: this.#settings.durationMs, warmupMs: this.#settings.warmupMs };
    await this.#case.setup?.(this.#context);
  }

  /** Runs one repetition and records its figures. */
  async runRepetition(): Promise<RepetitionFigures> {
    const context = this.#context;
    if (!context) throw new Error(`case "${this.name}" was not prepared`);
    collectGarbage();
    const { durationMs, warmupMs } = this.#settings;
    const figures = this.#case.fn ? await this.#runFn(this.#case.fn, durationMs, warmupMs) : await this.#runMeasure(context);
    return this.#record(figures);
  }

  /** Time the slices of the current repetition have measured so far, in ms (0 before its first slice). */
  get slicedMs(): number {
    return this.#slices?.elapsedMs ?? 0;
  }

  /**
   * Measures one slice of the current repetition (see the suite's `sliceMs`): `sliceMs` of
   * measuring, after the warm-up when it is the repetition's first slice. {@link slicedMs} adds it
   * up; {@link endSlicedRepetition} turns the slices into the repetition's figures.
   */
  async runSlice(sliceMs: number): Promise<void> {
    const context = this.#context;
    if (!context) throw new Error(`case "${this.name}" was not prepared`);
    const first = this.#slices === undefined;
    // The whole heap before a repetition, as for a window; between slices only the young
    // generation, so the garbage a slice leaves is not collected in the next case's slice.
    collectGarbage(!first);
    const slices = (this.#slices ??= { ops: 0, elapsedMs: 0 });
    const warmupMs = first ? this.#settings.warmupMs : 0;
    const figures = this.#case.fn
      ? await this.#runFn(this.#case.fn, sliceMs, warmupMs)
      : await this.#runMeasure({ ...context, durationMs: sliceMs, warmupMs });
    slices.ops += figures.ops;
    slices.elapsedMs += figures.elapsedMs;
  }

  /** Records the repetition measured in slices: its ops over the time its slices measured. */
  endSlicedRepetition(): RepetitionFigures {
    const slices = this.#slices;
    if (slices === undefined) throw new Error(`case "${this.name}" measured no slice`);
    this.#slices = undefined;
    return this.#record({ ops: slices.ops, elapsedMs: slices.elapsedMs, opsPerSec: rate(slices.ops, slices.elapsedMs, this.name) });
  }

  /** Keeps a repetition's ops/s and samples the process's RSS after it. */
  #record(figures: RepetitionFigures): RepetitionFigures {
    this.#runs.push(figures.opsPerSec);
    this.#peakRssMB = Math.max(this.#peakRssMB, process.memoryUsage.rss() / BYTES_PER_MB);
    return figures;
  }

  /** Runs `teardown` (if `setup` ran) and removes the temporary directory. */
  async cleanup(): Promise<void> {
    const context = this.#context;
    if (!context) return;
    this.#context = undefined;
    try {
      await this.#case.teardown?.();
    } finally {
      await rm(context.tmpDir, { recursive: true, force: true });
    }
  }

  /** Mean wall time of one `fn` call in ns over all repetitions, `undefined` for `measure` cases. */
  nsPerCall(): number | undefined {
    if (!this.#case.fn || this.#runs.length === 0) return undefined;
    return (1e9 * (this.#case.opsPerCall ?? 1)) / median(this.#runs);
  }

  /** The case's result over all repetitions run so far. */
  result(): CaseResult {
    const extra: Record<string, number> = {};
    for (const [key, values] of this.#extras) extra[key] = median(values);
    if (!('rssMB' in extra)) extra.rssMB = Math.round(this.#peakRssMB * 10) / 10;
    return {
      name: this.#case.name,
      role: this.#case.role,
      opsPerSec: this.#runs.length > 0 ? median(this.#runs) : 0,
      runs: [...this.#runs],
      latencyMs: this.#recorder.summary(),
      extra,
    };
  }

  async #runFn(fn: () => unknown, durationMs: number, warmupMs: number): Promise<RepetitionFigures> {
    const concurrency = this.#case.concurrency ?? 1;
    if (this.#async === undefined) {
      // One probe call tells whether `fn` is asynchronous, which decides the loop that drives it.
      const probe = fn();
      this.#async = isThenable(probe);
      if (this.#async) await probe;
    }
    if (warmupMs > 0) {
      await runClosedLoop(fn, { concurrency, durationMs: warmupMs, recorder: this.#warmupRecorder, async: this.#async });
      this.#warmupRecorder.reset();
    }
    const loop = await runClosedLoop(fn, { concurrency, durationMs, recorder: this.#recorder, async: this.#async });
    const ops = loop.calls * (this.#case.opsPerCall ?? 1);
    return { ops, elapsedMs: loop.elapsedMs, opsPerSec: rate(ops, loop.elapsedMs, this.name) };
  }

  async #runMeasure(context: RunContext): Promise<RepetitionFigures> {
    const measurement: Measurement = await this.#case.measure!(context);
    if (!Number.isFinite(measurement.ops) || measurement.ops < 0) {
      throw new RangeError(`case "${this.name}": measure returned ops = ${String(measurement.ops)}`);
    }
    if (measurement.latenciesNs) this.#recorder.recordAll(measurement.latenciesNs);
    for (const [key, value] of Object.entries(measurement.extra ?? {})) {
      const values = this.#extras.get(key) ?? [];
      values.push(value);
      this.#extras.set(key, values);
    }
    return { ops: measurement.ops, elapsedMs: measurement.elapsedMs, opsPerSec: rate(measurement.ops, measurement.elapsedMs, this.name) };
  }
}

function rate(ops: number, elapsedMs: number, name: string): number {
  if (!(elapsedMs > 0)) throw new RangeError(`case "${name}": measured window of ${String(elapsedMs)} ms`);
  return ops / (elapsedMs / 1000);
}

/**
 * Collects garbage between windows when Node runs with `--expose-gc` (the CLI's suite processes
 * do): the whole heap, or only the young generation (`minor`).
 */
function collectGarbage(minor = false): void {
  const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
  if (typeof gc === 'function') gc(minor ? { type: 'minor' } : undefined);
}
