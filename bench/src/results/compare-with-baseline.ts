import { targetKey } from '../harness/evaluate-targets.js';
import { sameMachine } from '../harness/machine-info.js';
import type { SuiteResult } from '../harness/types.js';
import { baselineSuites, type BaselineFile } from './baseline.js';

/**
 * Largest tolerated drop against the saved baseline before a figure counts as a regression:
 * quick runs are short and often on shared CI machines, so they get a wider band.
 */
export const REGRESSION_TOLERANCE: Readonly<{ quick: number; full: number }> = Object.freeze({ quick: 0.3, full: 0.15 });

/** One figure compared with its saved value. */
export type BaselineCheck = {
  suite: string;
  /** `ratio`: a ratio target's subject/baseline ratio; `opsPerSec`: a case's throughput. */
  kind: 'ratio' | 'opsPerSec';
  /** The target key for ratios, the case name for ops/s. */
  name: string;
  /** For people: `subject / baseline` for ratios, the case name for ops/s. */
  label: string;
  saved: number;
  current: number;
  /** `current / saved − 1`: −0.4 is 40% worse. */
  change: number;
  /** Whether the drop is larger than the tolerance. */
  regression: boolean;
};

/** Outcome of comparing a run with `bench/results/baseline.json`. */
export type BaselineComparison = {
  tolerance: number;
  checks: BaselineCheck[];
  /** Why some figures were not compared (no saved suite, another machine …). */
  notes: string[];
};

/**
 * Compares a run's ratio targets and per-case ops/s with the saved baseline of the run's mode
 * (quick runs with quick figures, full runs with full ones). Ratios are compared
 * whatever machine saved them, since both sides of a ratio ran on the same machine; absolute
 * ops/s only when the baseline was saved on the same kind of machine (CPU model, count, platform).
 * When `results` holds several runs of a suite (`--runs`, or the confirmation runs of a quick
 * run), each figure is judged by its best run: a regression is a drop that every run shows.
 */
export function compareWithBaseline(results: readonly SuiteResult[], baseline: BaselineFile, tolerance: number): BaselineComparison {
  const checks: BaselineCheck[] = [];
  const notes: string[] = [];
  const check = (
    suite: string,
    kind: BaselineCheck['kind'],
    name: string,
    label: string,
    saved: number | null | undefined,
    current: number,
  ): void => {
    if (typeof saved !== 'number' || !(saved > 0) || !Number.isFinite(current)) return;
    const change = current / saved - 1;
    checks.push({ suite, kind, name, label, saved, current, change, regression: change < -tolerance });
  };

  for (const result of results) {
    const saved = baselineSuites(baseline, result.quick)[result.suite];
    if (!saved) {
      const mode = result.quick ? 'quick' : 'full';
      notes.push(`${result.suite}: no saved ${mode} baseline; run ${mode === 'quick' ? '--quick ' : ''}with --save-baseline to create one`);
      continue;
    }
    for (const target of result.targets) {
      if (target.kind !== 'ratio') continue;
      const key = targetKey(target);
      check(result.suite, 'ratio', key, `${target.subject} / ${target.baseline}`, saved.targets[key]?.actual, target.actual);
    }
    if (!sameMachine(saved.machine, result.machine)) {
      notes.push(`${result.suite}: ops/s not compared, the baseline was saved on another machine (${saved.machine.cpus} × ${saved.machine.cpuModel})`);
      continue;
    }
    for (const { name, opsPerSec } of result.cases) check(result.suite, 'opsPerSec', name, name, saved.cases[name]?.opsPerSec, opsPerSec);
  }
  return { tolerance, checks: bestOfRuns(checks), notes: [...new Set(notes)] };
}

/** One check per figure: of several runs' checks of the same figure, the one with the best value. */
function bestOfRuns(checks: readonly BaselineCheck[]): BaselineCheck[] {
  const best = new Map<string, BaselineCheck>();
  for (const check of checks) {
    const key = `${check.suite}\u0000${check.kind}\u0000${check.name}`;
    const seen = best.get(key);
    if (seen === undefined || check.current > seen.current) best.set(key, check);
  }
  return [...best.values()];
}
