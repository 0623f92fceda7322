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
};

/**
 * `bench/results/baseline.json`: per suite, each case's ops/s and each target's actual value.
 * Written by `--save-baseline`, committed, and compared with every run.
 */
export type BaselineFile = { version: 1; suites: Record<string, BaselineSuite> };

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
 * A new baseline: `previous` with the suites of `results` replaced, so saving after a run of
 * one suite keeps the others' figures. Suites are sorted by id for stable diffs.
 */
export function updateBaseline(previous: BaselineFile | undefined, results: readonly SuiteResult[]): BaselineFile {
  const suites: Record<string, BaselineSuite> = { ...previous?.suites };
  for (const result of results) suites[result.suite] = baselineSuiteFrom(result);
  const sorted: Record<string, BaselineSuite> = {};
  for (const id of Object.keys(suites).sort()) sorted[id] = suites[id] as BaselineSuite;
  return { version: 1, suites: sorted };
}

/** Reads a saved baseline; `undefined` when the file does not exist. */
export async function readBaseline(path: string): Promise<BaselineFile | undefined> {
  const baseline = await readJsonFile<BaselineFile>(path);
  if (baseline !== undefined && (baseline.version !== 1 || typeof baseline.suites !== 'object' || baseline.suites === null)) {
    throw new Error(`${path}: not a version 1 baseline file`);
  }
  return baseline;
}
