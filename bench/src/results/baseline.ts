import { targetKey } from '../harness/evaluate-targets.js';
import { readJsonFile } from './json-file.js';
import type { MachineInfo } from '../harness/machine-info.js';
import type { SuiteResult, Target } from '../harness/types.js';

/** One case's figure in a saved baseline. */
export type BaselineCase = { role: 'baseline' | 'subject'; opsPerSec: number };

/** One target's figure in a saved baseline; `null` when it could not be measured. */
export type BaselineTarget = { kind: Target['kind']; actual: number | null; description?: string };

/** A suite's figures in a saved baseline, keyed by case name and by target key. */
export type BaselineSuite = {
  savedAt: string;
  quick: boolean;
  machine: MachineInfo;
  cases: Record<string, BaselineCase>;
  targets: Record<string, BaselineTarget>;
  /**
   * How many runs the figures come from (absent: one). Of several runs each figure keeps the
   * worst value (the lowest ops/s or ratio, the highest latency; the lower of extra figures):
   * the floor that healthy code reached on this machine, which a later run must fall well below
   * to count as a regression.
   */
  runs?: number;
};

/**
 * `bench/results/baseline.json`: per suite, each case's ops/s and each target's actual value,
 * kept apart for full runs (`suites`) and quick runs (`quickSuites`): a 300 ms window on a cold JIT
 * gives other ratios than a 2 s one, so each mode is compared only with figures of its own mode.
 * Written by `--save-baseline`, committed, and compared with every run.
 */
export type BaselineFile = {
  version: 2;
  suites: Record<string, BaselineSuite>;
  quickSuites: Record<string, BaselineSuite>;
};

/** The saved suites of one mode. */
export function baselineSuites(baseline: BaselineFile, quick: boolean): Record<string, BaselineSuite> {
  return quick ? baseline.quickSuites : baseline.suites;
}

/** The baseline entry for one suite result. */
export function baselineSuiteFrom(result: SuiteResult): BaselineSuite {
  const cases: Record<string, BaselineCase> = {};
  for (const caseResult of result.cases) cases[caseResult.name] = { role: caseResult.role, opsPerSec: caseResult.opsPerSec };
  const targets: Record<string, BaselineTarget> = {};
  for (const target of result.targets) {
    targets[targetKey(target)] = {
      kind: target.kind,
      actual: Number.isFinite(target.actual) ? target.actual : null,
      ...(target.description === undefined ? {} : { description: target.description }),
    };
  }
  return { savedAt: result.startedAt, quick: result.quick, machine: result.machine, cases, targets };
}

/**
 * A new baseline: `previous` with the suites of `results` replaced in the section of their mode,
 * so saving after a run of one suite keeps the others' figures, and saving a quick run keeps the
 * full figures. Several results of one suite and mode (`--runs`) are saved as one entry holding
 * each figure's worst value (see {@link BaselineSuite.runs}). Suites are sorted by id for stable diffs.
 */
export function updateBaseline(previous: BaselineFile | undefined, results: readonly SuiteResult[]): BaselineFile {
  const full: Record<string, BaselineSuite> = { ...previous?.suites };
  const quick: Record<string, BaselineSuite> = { ...previous?.quickSuites };
  const saved = new Set<string>();
  for (const result of results) {
    const section = result.quick ? quick : full;
    const key = `${result.quick ? 'quick' : 'full'}:${result.suite}`;
    const entry = baselineSuiteFrom(result);
    section[result.suite] = saved.has(key) ? worstOf(section[result.suite] as BaselineSuite, entry) : entry;
    saved.add(key);
  }
  return { version: 2, suites: sortedById(full), quickSuites: sortedById(quick) };
}

/** `a` and `b` (two runs of one suite) as one entry with each figure's worse value. */
function worstOf(a: BaselineSuite, b: BaselineSuite): BaselineSuite {
  const cases: Record<string, BaselineCase> = { ...a.cases };
  for (const [name, figure] of Object.entries(b.cases)) {
    const kept = cases[name];
    cases[name] = kept === undefined || figure.opsPerSec < kept.opsPerSec ? figure : kept;
  }
  const targets: Record<string, BaselineTarget> = { ...a.targets };
  for (const [key, figure] of Object.entries(b.targets)) {
    const kept = targets[key];
    if (kept === undefined || kept.actual === null) targets[key] = figure;
    else if (figure.actual !== null && worse(figure.kind, figure.actual, kept.actual)) targets[key] = figure;
  }
  return { ...a, cases, targets, runs: (a.runs ?? 1) + (b.runs ?? 1) };
}

/** Whether `value` is worse than `than` for a target of this kind: latencies grow worse, the rest shrink. */
function worse(kind: Target['kind'], value: number, than: number): boolean {
  return kind === 'latency' ? value > than : value < than;
}

function sortedById(suites: Record<string, BaselineSuite>): Record<string, BaselineSuite> {
  const sorted: Record<string, BaselineSuite> = {};
  for (const id of Object.keys(suites).sort()) sorted[id] = suites[id] as BaselineSuite;
  return sorted;
}

type StoredBaseline = { version?: unknown; suites?: unknown; quickSuites?: unknown };

/**
 * Reads a saved baseline; `undefined` when the file does not exist. A version 1 file (one section
 * for both modes) is split by each suite's own `quick` flag.
 */
export async function readBaseline(path: string): Promise<BaselineFile | undefined> {
  const stored = await readJsonFile<StoredBaseline>(path);
  if (stored === undefined) return undefined;
  const isSection = (value: unknown): value is Record<string, BaselineSuite> => typeof value === 'object' && value !== null;
  if (stored.version === 2 && isSection(stored.suites) && isSection(stored.quickSuites)) return stored as BaselineFile;
  if (stored.version === 1 && isSection(stored.suites)) {
    const full: Record<string, BaselineSuite> = {};
    const quick: Record<string, BaselineSuite> = {};
    for (const [id, suite] of Object.entries(stored.suites)) (suite.quick ? quick : full)[id] = suite;
    return { version: 2, suites: full, quickSuites: quick };
  }
  throw new Error(`${path}: not a version 1 or 2 baseline file`);
}
