import { readJsonFile } from './json-file.js';
import type { MachineInfo } from '../harness/machine-info.js';
import type { SuiteRunInfo } from '../harness/run-suite.js';
import type { SuiteResult } from '../harness/types.js';
import type { BaselineComparison } from './compare-with-baseline.js';
import type { Verdict } from './run-verdict.js';

/** A suite that could not be loaded or crashed while running. */
export type { SuiteFailure } from './suite-failure.js';
import type { SuiteFailure } from './suite-failure.js';

/**
 * One invocation of the CLI, as written to `bench/results/latest.json` and read by the report
 * generator. Numbers that could not be measured (`NaN`) are stored as `null`.
 */
export type RunRecord = {
  version: 1;
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  machine: MachineInfo;
  /** Results of the suites that ran to completion, in run order: each suite's last run. */
  suites: SuiteResult[];
  /** Earlier runs of the same suites (`--runs`, confirmation runs of a quick run), in run order. */
  earlierRuns?: SuiteResult[];
  /** Per suite id: durations, repetitions and notes of the run. */
  runInfo: Record<string, SuiteRunInfo>;
  failures: SuiteFailure[];
  /** Comparison with `bench/results/baseline.json`; absent when there is none. */
  comparison?: BaselineComparison;
  verdict: Verdict;
};

/** File name of one suite's result: `<suite>-<ISO timestamp>.json`, with `:` and `.` as `-` for portability. */
export function suiteResultFileName(result: Pick<SuiteResult, 'suite' | 'startedAt'>): string {
  return `${result.suite}-${result.startedAt.replace(/[:.]/g, '-')}.json`;
}

/** Reads a run record (such as `latest.json`); `undefined` when the file does not exist. */
export async function readRunRecord(path: string): Promise<RunRecord | undefined> {
  const record = await readJsonFile<RunRecord>(path);
  if (record !== undefined && record.version !== 1) throw new Error(`${path}: unsupported run record version ${String(record.version)}`);
  return record;
}
