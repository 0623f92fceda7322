import type { SuiteRunInfo } from '../harness/run-suite.js';
import type { SuiteResult } from '../harness/types.js';
import { baselineRatios } from '../format/baseline-ratios.js';
import { describeTarget, formatTargetActual } from '../format/describe-target.js';
import { formatMs, formatOps, formatRatio, formatSpread, NOT_AVAILABLE, significant } from '../format/format-number.js';
import { renderTextTable, type Align } from '../format/text-table.js';

const HEADERS = ['case', 'role', 'ops/s', 'spread', 'p50 ms', 'p99 ms', 'p99.9 ms', 'vs baseline', 'RSS MB'];
const ALIGN: readonly Align[] = ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left', 'right'];

/**
 * A suite's result for the terminal: a heading with the run settings, the table of cases
 * (median ops/s, spread of repetitions, latency percentiles, ratios against baseline cases,
 * peak RSS), the targets with PASS/FAIL, and the harness's notes.
 */
export function formatSuiteText(result: SuiteResult, info?: SuiteRunInfo): string {
  const ratios = baselineRatios(result);
  const rows = result.cases.map((caseResult) => [
    caseResult.name,
    caseResult.role,
    formatOps(caseResult.opsPerSec),
    formatSpread(caseResult.runs, caseResult.opsPerSec),
    formatMs(caseResult.latencyMs?.p50),
    formatMs(caseResult.latencyMs?.p99),
    formatMs(caseResult.latencyMs?.p999),
    (ratios.get(caseResult.name) ?? []).map(({ baseline, ratio }) => `${formatRatio(ratio)} ${baseline}`).join(', '),
    caseResult.extra.rssMB === undefined ? NOT_AVAILABLE : significant(caseResult.extra.rssMB),
  ]);
  const slices = info?.sliceMs === undefined ? '' : ` in ${info.sliceMs} ms slices`;
  const settings = info ? `, ${info.durationMs} ms${slices} × ${info.repetitions} after ${info.warmupMs} ms warm-up` : '';
  const lines = [`${result.title} (${result.suite}${result.quick ? ', quick' : ''}${settings})`, '', renderTextTable(HEADERS, rows, ALIGN)];

  const extras = formatExtras(result);
  if (extras.length > 0) lines.push('', 'Extra figures', ...extras);
  if (result.targets.length > 0) {
    lines.push('', result.quick ? 'Targets (reported only in quick mode)' : 'Targets');
    for (const target of result.targets) {
      const description = target.description ? `  (${target.description})` : '';
      lines.push(`  ${target.passed ? 'PASS' : 'FAIL'}  ${describeTarget(target)}: ${formatTargetActual(target)}${description}`);
    }
  }
  if (info && info.notes.length > 0) lines.push('', 'Notes', ...info.notes.map((note) => `  ${note}`));
  return lines.join('\n');
}

/** Extra figures other than RSS (which has its own column), one line per case that has any. */
function formatExtras(result: SuiteResult): string[] {
  const lines: string[] = [];
  for (const caseResult of result.cases) {
    const entries = Object.entries(caseResult.extra).filter(([key]) => key !== 'rssMB');
    if (entries.length > 0) lines.push(`  ${caseResult.name}: ${entries.map(([key, value]) => `${key} ${significant(value)}`).join(', ')}`);
  }
  return lines;
}
