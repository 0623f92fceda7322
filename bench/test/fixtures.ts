import type { MachineInfo } from '../src/harness/machine-info.js';
import type { CaseResult, SuiteResult, Target, TargetResult } from '../src/harness/types.js';

/** A fixed machine, so outputs do not depend on where the tests run. */
export const MACHINE: MachineInfo = { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 8, node: 'v20.0.0', platform: 'linux-x64' };

/** A case result with the given throughput and simple latencies. */
export function caseResult(name: string, role: CaseResult['role'], opsPerSec: number, extra: Record<string, number> = {}): CaseResult {
  return {
    name,
    role,
    opsPerSec,
    runs: [opsPerSec * 0.98, opsPerSec, opsPerSec * 1.02],
    latencyMs: { p50: 0.01, p99: 0.05, p999: 0.1, max: 0.2, mean: 0.012 },
    extra,
  };
}

/** A target result as the harness would produce it. */
export function targetResult(target: Target, actual: number, passed: boolean): TargetResult {
  return { ...target, actual, passed };
}

/** A suite result around the given cases and targets. */
export function suiteResult(suite: string, cases: CaseResult[], targets: TargetResult[] = [], quick = false): SuiteResult {
  return { suite, title: `Suite ${suite}`, quick, startedAt: '2025-01-02T03:04:05.678Z', machine: MACHINE, cases, targets };
}
