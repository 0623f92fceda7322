import type { SuiteResult } from '../harness/types.js';

/** A subject's throughput relative to one baseline case of the same run. */
export type BaselineRatio = { baseline: string; ratio: number };

/**
 * The ratios worth showing beside each subject: against the baselines its ratio targets name,
 * or, in a suite with a single baseline case, against that one. Ratios between unrelated cases
 * (an encoder against a decoder) would only mislead, so nothing else is paired.
 */
export function baselineRatios(result: Pick<SuiteResult, 'cases' | 'targets'>): Map<string, BaselineRatio[]> {
  const opsByName = new Map(result.cases.map((caseResult) => [caseResult.name, caseResult.opsPerSec]));
  const baselines = result.cases.filter((caseResult) => caseResult.role === 'baseline');
  const pairs = new Map<string, string[]>();
  const pair = (subject: string, baseline: string): void => {
    const list = pairs.get(subject) ?? [];
    if (!list.includes(baseline)) list.push(baseline);
    pairs.set(subject, list);
  };
  for (const target of result.targets) if (target.kind === 'ratio') pair(target.subject, target.baseline);
  const onlyBaseline = baselines.length === 1 ? baselines[0] : undefined;
  if (onlyBaseline) {
    for (const caseResult of result.cases) if (caseResult.role === 'subject') pair(caseResult.name, onlyBaseline.name);
  }

  const ratios = new Map<string, BaselineRatio[]>();
  for (const [subject, names] of pairs) {
    const subjectOps = opsByName.get(subject) ?? Number.NaN;
    ratios.set(
      subject,
      names.map((baseline) => {
        const baselineOps = opsByName.get(baseline) ?? Number.NaN;
        return { baseline, ratio: baselineOps > 0 ? subjectOps / baselineOps : Number.NaN };
      }),
    );
  }
  return ratios;
}
