import type { Suite } from './types.js';

/** Durations and repetition count the runner uses for one suite. */
export type RunSettings = {
  /** Measured duration of one repetition of a `fn` case, in ms. */
  durationMs: number;
  /** Warm-up before each measured repetition of a `fn` case, in ms. */
  warmupMs: number;
  /** Repetitions of every case; cases are interleaved within each repetition. */
  repetitions: number;
  /** Length of the interleaved slices a repetition is measured in (the suite's `sliceMs`); absent: one window per case. */
  sliceMs?: number;
};

/** Full-mode defaults, used unless a suite overrides them. */
export const FULL_DEFAULTS: Readonly<RunSettings> = Object.freeze({ durationMs: 2000, warmupMs: 500, repetitions: 5 });

/**
 * Quick mode keeps this share of a suite's full duration: enough calls for a stable ratio of
 * sub-millisecond operations, short enough that a whole quick run of a small suite takes seconds.
 */
export const QUICK_DURATION_SHARE = 0.15;

/** Upper bound on repetitions in quick mode. */
export const QUICK_MAX_REPETITIONS = 3;

/** Shortest measured window quick mode allows, so very short suites still collect samples. */
const QUICK_MIN_DURATION_MS = 50;

/** Explicit overrides (tests, debugging); they win over both the mode and the suite. */
export type RunSettingsOverrides = Partial<RunSettings>;

/**
 * Resolves the settings for a suite: the suite's overrides of the full-mode defaults, shortened in
 * quick mode (a fixed share of the duration, warm-up a third of that, at most three repetitions). A
 * suite's `sliceMs` is kept in both modes, unless it is not shorter than the measured window.
 */
export function resolveRunSettings(suite: Suite, quick: boolean, overrides: RunSettingsOverrides = {}): RunSettings {
  const fullDuration = suite.durationMs ?? FULL_DEFAULTS.durationMs;
  const fullRepetitions = suite.repetitions ?? FULL_DEFAULTS.repetitions;
  const durationMs = quick ? Math.max(QUICK_MIN_DURATION_MS, Math.round(fullDuration * QUICK_DURATION_SHARE)) : fullDuration;
  const warmupMs = quick ? Math.round(durationMs / 3) : Math.round(fullDuration / 4);
  const repetitions = quick ? Math.min(QUICK_MAX_REPETITIONS, fullRepetitions) : fullRepetitions;
  const settings: RunSettings = {
    durationMs: overrides.durationMs ?? durationMs,
    warmupMs: overrides.warmupMs ?? warmupMs,
    repetitions: overrides.repetitions ?? repetitions,
  };
  const sliceMs = overrides.sliceMs ?? suite.sliceMs;
  // A slice as long as the window is one window: no slicing.
  if (sliceMs !== undefined && sliceMs < settings.durationMs) settings.sliceMs = sliceMs;
  return settings;
}
