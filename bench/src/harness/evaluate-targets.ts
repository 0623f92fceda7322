import type { CaseResult, Target, TargetResult } from './types.js';

/**
 * Judges a suite's targets against its case results. A target whose figure is missing (no
 * latency samples, an absent extra) fails with `actual` = `NaN`, which JSON stores as `null`.
 */
export function evaluateTargets(targets: readonly Target[], cases: readonly CaseResult[]): TargetResult[] {
  const byName = new Map(cases.map((result) => [result.name, result]));
  return targets.map((target) => {
    const actual = actualValue(target, byName);
    return { ...target, actual, passed: Number.isFinite(actual) && meets(target, actual) };
  });
}

/** The figure a target judges, `NaN` when it is not available. */
function actualValue(target: Target, byName: ReadonlyMap<string, CaseResult>): number {
  const subject = byName.get(target.subject);
  if (!subject) return Number.NaN;
  switch (target.kind) {
    case 'ratio': {
      const baseline = byName.get(target.baseline);
      return baseline && baseline.opsPerSec > 0 ? subject.opsPerSec / baseline.opsPerSec : Number.NaN;
    }
    case 'opsPerSec':
      return subject.opsPerSec;
    case 'latency': {
      const latency = subject.latencyMs;
      if (!latency) return Number.NaN;
      return target.percentile === 50 ? latency.p50 : target.percentile === 99 ? latency.p99 : latency.p999;
    }
    case 'extra':
      return subject.extra[target.key] ?? Number.NaN;
  }
}

function meets(target: Target, actual: number): boolean {
  switch (target.kind) {
    case 'ratio':
    case 'opsPerSec':
      return actual >= target.min;
    case 'latency':
      return actual <= target.maxMs;
    case 'extra':
      return (target.min === undefined || actual >= target.min) && (target.max === undefined || actual <= target.max);
  }
}

/**
 * A stable key for a target, used to match it with the same target in a saved baseline
 * (e.g. `ratio:store append/raw put`, `latency:query:p99`).
 */
export function targetKey(target: Target): string {
  switch (target.kind) {
    case 'ratio':
      return `ratio:${target.subject}/${target.baseline}`;
    case 'opsPerSec':
      return `opsPerSec:${target.subject}`;
    case 'latency':
      return `latency:${target.subject}:p${target.percentile}`;
    case 'extra':
      return `extra:${target.subject}:${target.key}`;
  }
}
