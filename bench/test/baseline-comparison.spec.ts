import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SuiteResult, Target } from '../src/harness/types.js';
import { baselineSuiteFrom, readBaseline, updateBaseline, type BaselineFile } from '../src/results/baseline.js';
import { compareWithBaseline } from '../src/results/compare-with-baseline.js';
import { runVerdict } from '../src/results/run-verdict.js';
import { caseResult, MACHINE, suiteResult, targetResult } from './fixtures.js';

const ratio: Target = { kind: 'ratio', subject: 'store', baseline: 'raw', min: 0.8 };

/** A run in which the store reaches `storeOps` against a raw baseline of 100k ops/s. */
function run(storeOps: number, machine = MACHINE): SuiteResult {
  const result = suiteResult('append', [caseResult('raw', 'baseline', 100_000), caseResult('store', 'subject', storeOps)], [
    targetResult(ratio, storeOps / 100_000, storeOps / 100_000 >= 0.8),
    targetResult({ kind: 'latency', subject: 'store', percentile: 99, maxMs: 1 }, Number.NaN, false),
  ]);
  return { ...result, machine };
}

const saved: BaselineFile = updateBaseline(undefined, [run(90_000)]);

describe('baseline file', () => {
  it('stores ops/s per case and the actual value per target key, NaN as null', () => {
    const suite = baselineSuiteFrom(run(90_000));
    expect(suite.cases).toEqual({ raw: { role: 'baseline', opsPerSec: 100_000 }, store: { role: 'subject', opsPerSec: 90_000 } });
    expect(suite.targets['ratio:store/raw']).toEqual({ kind: 'ratio', actual: 0.9 });
    expect(suite.targets['latency:store:p99']).toEqual({ kind: 'latency', actual: null });
    expect(JSON.parse(JSON.stringify(suite))).toEqual(suite);
  });

  it('replaces the suites of a run and keeps the others, sorted by id', () => {
    const other = { ...run(50_000), suite: 'cache' };
    const merged = updateBaseline(updateBaseline(saved, [other]), [run(70_000)]);
    expect(Object.keys(merged.suites)).toEqual(['append', 'cache']);
    expect(merged.suites.append?.cases.store?.opsPerSec).toBe(70_000);
    expect(merged.suites.cache?.cases.store?.opsPerSec).toBe(50_000);
  });

  it('keeps quick figures apart from full ones, and compares each mode only with its own', () => {
    const quickRun = { ...run(40_000), quick: true };
    const both = updateBaseline(saved, [quickRun]);
    expect(both.suites.append?.cases.store?.opsPerSec).toBe(90_000);
    expect(both.quickSuites.append?.cases.store?.opsPerSec).toBe(40_000);
    // 0.45 against the quick 0.40 is no regression, though it is half the full run's 0.90.
    expect(compareWithBaseline([{ ...run(45_000), quick: true }], both, 0.3).checks.some((check) => check.regression)).toBe(false);
    expect(compareWithBaseline([run(45_000)], both, 0.3).checks.find((check) => check.kind === 'ratio')?.regression).toBe(true);
    const onlyFull = compareWithBaseline([{ ...run(45_000), quick: true }], saved, 0.3);
    expect(onlyFull.checks).toEqual([]);
    expect(onlyFull.notes.join()).toMatch(/append: no saved quick baseline; run --quick with --save-baseline/);
  });

  it('saves several runs of a suite as one entry holding each figure\'s worst value', () => {
    const withLatency = (storeOps: number, p99: number): SuiteResult => {
      const result = run(storeOps);
      return { ...result, targets: [result.targets[0]!, targetResult({ kind: 'latency', subject: 'store', percentile: 99, maxMs: 1 }, p99, p99 <= 1)] };
    };
    const floor = updateBaseline(saved, [withLatency(80_000, 0.5), withLatency(60_000, 0.4), withLatency(95_000, 0.9)]).suites.append!;
    expect(floor.runs).toBe(3);
    expect(floor.cases.store?.opsPerSec).toBe(60_000);
    expect(floor.targets['ratio:store/raw']?.actual).toBe(0.6);
    expect(floor.targets['latency:store:p99']?.actual).toBe(0.9);
    // A single run replaces the floor and has no run count.
    expect(updateBaseline(saved, [run(70_000)]).suites.append?.runs).toBeUndefined();
  });

  it('reads a version 1 file, splitting its suites by mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-baseline-'));
    try {
      const file = join(dir, 'baseline.json');
      const quick = { ...baselineSuiteFrom({ ...run(40_000), quick: true }) };
      writeFileSync(file, JSON.stringify({ version: 1, suites: { append: baselineSuiteFrom(run(90_000)), cache: quick } }));
      const read = await readBaseline(file);
      expect(Object.keys(read!.suites)).toEqual(['append']);
      expect(Object.keys(read!.quickSuites)).toEqual(['cache']);
      writeFileSync(file, JSON.stringify({ version: 3 }));
      await expect(readBaseline(file)).rejects.toThrow(/not a version 1 or 2 baseline file/);
      expect(await readBaseline(join(dir, 'missing.json'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compareWithBaseline', () => {
  it('flags a ratio that dropped by more than the tolerance', () => {
    const comparison = compareWithBaseline([run(60_000)], saved, 0.3);
    const check = comparison.checks.find((entry) => entry.kind === 'ratio');
    expect(check).toMatchObject({ suite: 'append', name: 'ratio:store/raw', label: 'store / raw', saved: 0.9, current: 0.6, regression: true });
    expect(check!.change).toBeCloseTo(-1 / 3, 10);
  });

  it('does not flag drops within the tolerance, nor improvements', () => {
    for (const storeOps of [70_000, 90_000, 200_000]) {
      const comparison = compareWithBaseline([run(storeOps)], saved, 0.3);
      expect(comparison.checks.filter((check) => check.regression)).toEqual([]);
    }
  });

  it('compares absolute ops/s per case on the same machine', () => {
    const comparison = compareWithBaseline([run(40_000)], saved, 0.3);
    const store = comparison.checks.find((check) => check.kind === 'opsPerSec' && check.name === 'store');
    expect(store).toMatchObject({ saved: 90_000, current: 40_000, regression: true });
    expect(comparison.checks.find((check) => check.kind === 'opsPerSec' && check.name === 'raw')?.regression).toBe(false);
  });

  it('compares only ratios against a baseline saved on another machine, and says so', () => {
    const comparison = compareWithBaseline([run(40_000, { ...MACHINE, cpuModel: 'Other CPU' })], saved, 0.3);
    expect(comparison.checks.map((check) => check.kind)).toEqual(['ratio']);
    expect(comparison.notes.join()).toMatch(/another machine/);
  });

  it('judges a figure measured in several runs by its best run, once', () => {
    const comparison = compareWithBaseline([run(40_000), run(80_000), run(50_000)], saved, 0.3);
    const ratios = comparison.checks.filter((check) => check.kind === 'ratio');
    expect(ratios).toHaveLength(1);
    expect(ratios[0]).toMatchObject({ current: 0.8, regression: false });
    expect(comparison.checks.filter((check) => check.kind === 'opsPerSec')).toHaveLength(2);
    // Every run regressed: still a regression, reported with the best of them.
    expect(compareWithBaseline([run(40_000), run(50_000)], saved, 0.3).checks.find((check) => check.kind === 'ratio')).toMatchObject({
      current: 0.5,
      regression: true,
    });
  });

  it('notes suites without a saved baseline and skips unmeasurable figures', () => {
    const comparison = compareWithBaseline([{ ...run(90_000), suite: 'new-suite' }], saved, 0.3);
    expect(comparison.checks).toEqual([]);
    expect(comparison.notes.join()).toMatch(/new-suite: no saved full baseline/);
  });
});

describe('runVerdict', () => {
  const failingTarget = run(50_000);
  const regressed = compareWithBaseline([run(50_000)], saved, 0.3);

  it('fails a full run on a failed target', () => {
    const verdict = runVerdict({ quick: false, suites: [failingTarget], failures: [], comparison: undefined });
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons.join('\n')).toMatch(/store \/ raw ≥ 0\.80× not met: 0\.50×/);
  });

  it('passes a quick run with failed targets when no ratio regressed', () => {
    const comparison = compareWithBaseline([run(75_000)], saved, 0.3);
    expect(runVerdict({ quick: true, suites: [run(75_000)], failures: [], comparison })).toEqual({ passed: true, reasons: [] });
    expect(runVerdict({ quick: true, suites: [failingTarget], failures: [], comparison: undefined }).passed).toBe(true);
  });

  it('fails a quick run on a ratio regression beyond tolerance', () => {
    const verdict = runVerdict({ quick: true, suites: [failingTarget], failures: [], comparison: regressed });
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toEqual(['append: ratio store / raw fell 44.4% below the saved baseline']);
  });

  it('does not fail a quick run on absolute ops/s regressions alone', () => {
    const comparison = compareWithBaseline([run(90_000)], updateBaseline(undefined, [run(90_000)]), 0.3);
    comparison.checks.push({ suite: 'append', kind: 'opsPerSec', name: 'raw', label: 'raw', saved: 1e6, current: 1e5, change: -0.9, regression: true });
    expect(runVerdict({ quick: true, suites: [run(90_000)], failures: [], comparison }).passed).toBe(true);
  });

  it('fails any run in which a suite failed', () => {
    for (const quick of [true, false]) {
      const verdict = runVerdict({ quick, suites: [], failures: [{ suite: 'broken', error: 'boom' }], comparison: undefined });
      expect(verdict).toEqual({ passed: false, reasons: ['suite broken failed: boom'] });
    }
  });
});
