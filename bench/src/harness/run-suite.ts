import { tmpdir } from 'node:os';
import { CaseRunner, type RepetitionFigures } from './case-runner.js';
import { evaluateTargets } from './evaluate-targets.js';
import { measureHarnessOverheadNs, OVERHEAD_NOTE_FACTOR } from './harness-overhead.js';
import { machineInfo } from './machine-info.js';
import { resolveRunSettings, type RunSettings, type RunSettingsOverrides } from './run-settings.js';
import type { Suite, SuiteResult } from './types.js';
import { validateSuite } from './validate-suite.js';

/** Options of {@link runSuite}. */
export type RunSuiteOptions = {
  quick: boolean;
  /** Explicit durations or repetitions, winning over the mode and the suite. */
  overrides?: RunSettingsOverrides;
  /**
   * Folder for the cases' temporary directories (default `os.tmpdir()`). The CLI gives each suite
   * process a folder of its own and removes it afterwards, even if the process crashed.
   */
  tmpRoot?: string;
  /** Receives one line per measured repetition (the CLI prints them to stderr). */
  onProgress?(line: string): void;
};

/** What a suite is and how it was run, stored beside its result in `latest.json`. */
export type SuiteRunInfo = RunSettings & {
  /** The suite's description, for the report. */
  description: string;
  /** Cost of the harness's own loop per `fn` call on this machine, in ns. */
  harnessOverheadNs: number;
  /** Remarks for the reader, such as cases too fast for per-call timing. */
  notes: string[];
};

/** A suite's result and how it was obtained. */
export type SuiteRun = { result: SuiteResult; info: SuiteRunInfo };

/**
 * Runs a suite: validates it, prepares every case (fresh temporary directory, `setup`), then runs
 * the repetitions interleaved — repetition 1 of every case in declaration order, then repetition
 * 2, and so on — so that drift of the machine (thermal throttling, a noisy neighbour) hits
 * baselines and subjects alike. A suite with `sliceMs` interleaves finer still: each repetition is
 * measured in slices, case after case, round after round (cases marked `sliceable: false` first,
 * in one window each). Every prepared case is torn down even when one fails.
 */
export async function runSuite(suite: Suite, options: RunSuiteOptions): Promise<SuiteRun> {
  validateSuite(suite);
  const settings = resolveRunSettings(suite, options.quick, options.overrides);
  const startedAt = new Date().toISOString();
  const harnessOverheadNs = await measureHarnessOverheadNs();
  const runners = suite.cases.map((benchCase) => new CaseRunner(benchCase, settings, options.quick));
  const prepared: CaseRunner[] = [];
  let failure: unknown;
  try {
    for (const runner of runners) {
      prepared.push(runner);
      await runner.prepare(options.tmpRoot ?? tmpdir(), suite.id);
    }
    for (let repetition = 1; repetition <= settings.repetitions; repetition++) {
      const progress = (runner: CaseRunner, figures: RepetitionFigures): void =>
        options.onProgress?.(
          `[${suite.id}] ${repetition}/${settings.repetitions} ${runner.name}: ${Math.round(figures.opsPerSec).toLocaleString('en-US')} ops/s`,
        );
      if (settings.sliceMs === undefined) {
        for (const runner of runners) progress(runner, await runner.runRepetition());
      } else {
        const sliced = runners.filter((runner) => runner.sliceable);
        for (const runner of runners) if (!runner.sliceable) progress(runner, await runner.runRepetition());
        await runSlicedRepetition(sliced, settings.sliceMs, settings.durationMs);
        for (const runner of sliced) progress(runner, runner.endSlicedRepetition());
      }
    }
  } catch (error) {
    failure = error;
  }
  const cleanupErrors = await cleanupAll(prepared);
  if (failure !== undefined && cleanupErrors.length > 0) {
    throw new AggregateError([failure, ...cleanupErrors], `suite "${suite.id}" failed, and so did its teardown`);
  }
  if (failure !== undefined) throw failure;
  if (cleanupErrors.length > 0) throw new AggregateError(cleanupErrors, `suite "${suite.id}": teardown failed`);

  const cases = runners.map((runner) => runner.result());
  return {
    result: {
      suite: suite.id,
      title: suite.title,
      quick: options.quick,
      startedAt,
      machine: machineInfo(),
      cases,
      targets: evaluateTargets(suite.targets, cases),
    },
    info: { ...settings, description: suite.description, harnessOverheadNs, notes: overheadNotes(runners, harnessOverheadNs) },
  };
}

/**
 * One repetition in slices: round after round, every case that has not yet measured `durationMs`
 * measures one slice (the last one no longer than what it still lacks).
 */
async function runSlicedRepetition(runners: readonly CaseRunner[], sliceMs: number, durationMs: number): Promise<void> {
  const lacking = (runner: CaseRunner): number => durationMs - runner.slicedMs;
  for (let pending = runners; pending.length > 0; pending = runners.filter((runner) => lacking(runner) > 0)) {
    for (const runner of pending) await runner.runSlice(Math.min(sliceMs, lacking(runner)));
  }
}

/** Tears down in reverse order of preparation; returns the errors instead of stopping at the first. */
async function cleanupAll(prepared: readonly CaseRunner[]): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (const runner of [...prepared].reverse()) {
    try {
      await runner.cleanup();
    } catch (error) {
      errors.push(error);
    }
  }
  return errors;
}

function overheadNotes(runners: readonly CaseRunner[], overheadNs: number): string[] {
  const notes: string[] = [];
  for (const runner of runners) {
    const nsPerCall = runner.nsPerCall();
    if (nsPerCall !== undefined && nsPerCall < OVERHEAD_NOTE_FACTOR * overheadNs) {
      notes.push(
        `"${runner.name}" takes ${Math.round(nsPerCall)} ns per call, within ${OVERHEAD_NOTE_FACTOR}× of the harness's ` +
          `${overheadNs} ns per-call cost; its ratios are compressed towards 1. Do more work per call and set opsPerCall.`,
      );
    }
  }
  return notes;
}
