import { describe, expect, it } from 'vitest';
import { formatComparisonText } from '../src/cli/format-comparison-text.js';
import { formatSuiteText } from '../src/cli/format-suite-text.js';
import { baselineRatios } from '../src/format/baseline-ratios.js';
import { describeTarget, formatTargetActual } from '../src/format/describe-target.js';
import { formatChange, formatMs, formatOps, formatRatio, formatSpread, significant } from '../src/format/format-number.js';
import { renderTextTable } from '../src/format/text-table.js';
import { caseResult, suiteResult, targetResult } from './fixtures.js';

describe('number formatting', () => {
  it('keeps three significant digits without exponents', () => {
    expect(significant(0.000123456)).toBe('0.000123');
    expect(significant(1.5)).toBe('1.5');
    expect(significant(12_345)).toBe('12345');
    expect(significant(0)).toBe('0');
    expect(significant(Number.NaN)).toBe('n/a');
  });

  it('suffixes ops/s and rounds up across a suffix boundary', () => {
    expect(formatOps(987)).toBe('987');
    expect(formatOps(12_340)).toBe('12.3k');
    expect(formatOps(999_700)).toBe('1M');
    expect(formatOps(2_600_000)).toBe('2.6M');
    expect(formatOps(1.2e9)).toBe('1.2G');
  });

  it('formats ratios, changes, milliseconds and spreads', () => {
    expect(formatRatio(0.8)).toBe('0.80×');
    expect(formatRatio(12.34)).toBe('12.3×');
    expect(formatChange(-0.3333)).toBe('-33.3%');
    expect(formatChange(0.05)).toBe('+5.0%');
    expect(formatMs(undefined)).toBe('n/a');
    expect(formatMs(0.0991)).toBe('0.0991');
    expect(formatSpread([90, 100, 110], 100)).toBe('±10.0%');
    expect(formatSpread([100], 100)).toBe('n/a');
  });
});

describe('target descriptions', () => {
  it('states each kind of condition and its actual value in its unit', () => {
    expect(describeTarget({ kind: 'ratio', subject: 's', baseline: 'b', min: 0.8 })).toBe('s / b ≥ 0.80×');
    expect(describeTarget({ kind: 'opsPerSec', subject: 's', min: 500_000 })).toBe('s ≥ 500k ops/s');
    expect(describeTarget({ kind: 'latency', subject: 's', percentile: 99, maxMs: 10 })).toBe('s p99 ≤ 10 ms');
    expect(describeTarget({ kind: 'extra', subject: 's', key: 'rssMB', max: 200 })).toBe('s rssMB ≤ 200');
    expect(describeTarget({ kind: 'extra', subject: 's', key: 'k', min: 1, max: 2 })).toBe('s k in [1, 2]');
    expect(formatTargetActual(targetResult({ kind: 'opsPerSec', subject: 's', min: 1 }, 612_000, true))).toBe('612k ops/s');
    expect(formatTargetActual(targetResult({ kind: 'latency', subject: 's', percentile: 50, maxMs: 1 }, Number.NaN, false))).toBe('n/a');
  });
});

describe('baselineRatios', () => {
  it('pairs subjects with the baselines their ratio targets name', () => {
    const ratios = baselineRatios({
      cases: [caseResult('enc raw', 'baseline', 100), caseResult('dec raw', 'baseline', 200), caseResult('enc', 'subject', 90), caseResult('dec', 'subject', 220)],
      targets: [
        targetResult({ kind: 'ratio', subject: 'enc', baseline: 'enc raw', min: 0.9 }, 0.9, true),
        targetResult({ kind: 'ratio', subject: 'dec', baseline: 'dec raw', min: 0.9 }, 1.1, true),
      ],
    });
    expect(ratios.get('enc')).toEqual([{ baseline: 'enc raw', ratio: 0.9 }]);
    expect(ratios.get('dec')).toEqual([{ baseline: 'dec raw', ratio: 1.1 }]);
  });

  it('pairs every subject with the only baseline of a suite', () => {
    const ratios = baselineRatios({ cases: [caseResult('raw', 'baseline', 100), caseResult('a', 'subject', 50), caseResult('b', 'subject', 150)], targets: [] });
    expect([...ratios.entries()]).toEqual([
      ['a', [{ baseline: 'raw', ratio: 0.5 }]],
      ['b', [{ baseline: 'raw', ratio: 1.5 }]],
    ]);
  });
});

describe('console output', () => {
  it('aligns text tables', () => {
    expect(renderTextTable(['name', 'n'], [['a', '1'], ['longer', '100']], ['left', 'right'])).toBe(
      ['name      n', '------  ---', 'a         1', 'longer  100'].join('\n'),
    );
  });

  it('prints a suite with its cases, ratios and PASS/FAIL targets', () => {
    const text = formatSuiteText(
      suiteResult('append', [caseResult('raw', 'baseline', 100_000, { rssMB: 80 }), caseResult('store', 'subject', 85_000, { rssMB: 81 })], [
        targetResult({ kind: 'ratio', subject: 'store', baseline: 'raw', min: 0.8 }, 0.85, true),
        targetResult({ kind: 'opsPerSec', subject: 'store', min: 100_000 }, 85_000, false),
      ]),
    );
    expect(text).toMatch(/^Suite append \(append\)/);
    expect(text).toMatch(/store\s+subject\s+85k\s+±2\.0%\s+0\.01\s+0\.05\s+0\.1\s+0\.85× raw\s+81/);
    expect(text).toContain('  PASS  store / raw ≥ 0.80×: 0.85×');
    expect(text).toContain('  FAIL  store ≥ 100k ops/s: 85k ops/s');
  });

  it('lists regressions against the baseline', () => {
    const text = formatComparisonText(
      {
        tolerance: 0.3,
        checks: [
          { suite: 'append', kind: 'ratio', name: 'ratio:store/raw', label: 'store / raw', saved: 0.9, current: 0.5, change: -0.444, regression: true },
          { suite: 'append', kind: 'opsPerSec', name: 'raw', label: 'raw', saved: 100_000, current: 98_000, change: -0.02, regression: false },
        ],
        notes: ['cache: no saved baseline'],
      },
      true,
    );
    expect(text).toContain('  REGRESSION  append: ratio store / raw: 0.90× → 0.50× (-44.4%)');
    expect(text).not.toContain('slower');
    expect(text).toContain('compared 1 ratio target and 1 case throughput, 1 beyond tolerance (ratio regressions fail quick runs)');
    expect(text).toContain('  note: cache: no saved baseline');
  });
});
