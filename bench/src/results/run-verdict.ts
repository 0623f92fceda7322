import type { SuiteResult } from '../harness/types.js';
import { describeTarget, formatTargetActual } from '../format/describe-target.js';
import type { BaselineComparison } from './compare-with-baseline.js';
import type { SuiteFailure } from './suite-failure.js';

/** Whether a run passes, and why not. */
export type Verdict = { passed: boolean; reasons: string[] };

/** What the verdict looks at. */
export type VerdictInput = {
  quick: boolean;
  suites: readonly SuiteResult[];
  failures: readonly SuiteFailure[];
  comparison: BaselineComparison | undefined;
};

/**
 * Decides the exit status of a run. A suite that crashed always fails the run. In full mode a
 * failed target fails it. In quick mode targets are only reported — short runs on shared CI
 * machines are too noisy for absolute floors — and the run fails only when a ratio target
 * dropped by more than the tolerance against the saved baseline; ratios are steadier than
 * absolute figures because both sides share the machine's noise.
 */
export function runVerdict({ quick, suites, failures, comparison }: VerdictInput): Verdict {
  const reasons = failures.map((failure) => `suite ${failure.suite} failed: ${failure.error.split('\n')[0] ?? ''}`);
  if (quick) {
    for (const check of comparison?.checks ?? []) {
      if (check.kind === 'ratio' && check.regression) {
        reasons.push(`${check.suite}: ratio ${check.label} fell ${(-check.change * 100).toFixed(1)}% below the saved baseline`);
      }
    }
  } else {
    for (const suite of suites) {
      for (const target of suite.targets) {
        if (!target.passed) reasons.push(`${suite.suite}: target ${describeTarget(target)} not met: ${formatTargetActual(target)}`);
      }
    }
  }
  return { passed: reasons.length === 0, reasons };
}
