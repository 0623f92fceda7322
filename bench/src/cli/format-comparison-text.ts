import type { BaselineComparison } from '../results/compare-with-baseline.js';
import { formatChange, formatOps, formatRatio } from '../format/format-number.js';

/**
 * The comparison with the saved baseline for the terminal: every drop beyond the tolerance on
 * its own line (`REGRESSION` for ratio targets, `slower` for a case's ops/s), a summary that says
 * whether they fail this run, and the notes on what was not compared.
 */
export function formatComparisonText(comparison: BaselineComparison, quick: boolean): string {
  const regressions = comparison.checks.filter((check) => check.regression);
  const tolerance = `${Math.round(comparison.tolerance * 100)}%`;
  const lines = [`Compared with bench/results/baseline.json (regression: a drop of more than ${tolerance})`];
  for (const check of regressions) {
    const format = check.kind === 'ratio' ? formatRatio : (value: number) => `${formatOps(value)} ops/s`;
    const what = check.kind === 'ratio' ? `ratio ${check.label}` : `${check.label} ops/s`;
    lines.push(
      `  ${check.kind === 'ratio' ? 'REGRESSION' : 'slower    '}  ${check.suite}: ${what}: ${format(check.saved)} → ${format(check.current)} (${formatChange(check.change)})`,
    );
  }
  const ratioChecks = comparison.checks.filter((check) => check.kind === 'ratio').length;
  const opsChecks = comparison.checks.length - ratioChecks;
  const consequence = quick ? 'ratio regressions fail quick runs' : 'reported only; full runs fail on targets';
  lines.push(
    `  compared ${plural(ratioChecks, 'ratio target')} and ${plural(opsChecks, 'case throughput')}, ${regressions.length} beyond tolerance (${consequence})`,
  );
  for (const note of comparison.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
