import { describe, expect, it } from 'vitest';
import { evaluateTargets, targetKey } from '../src/harness/evaluate-targets.js';
import type { CaseResult } from '../src/harness/types.js';
import { caseResult } from './fixtures.js';

const cases: CaseResult[] = [
  caseResult('raw put', 'baseline', 100_000),
  caseResult('store append', 'subject', 85_000, { bytesPerEvent: 120 }),
  { ...caseResult('no latency', 'subject', 10), latencyMs: undefined },
];

describe('evaluateTargets', () => {
  it('divides subject by baseline ops/s for ratio targets', () => {
    const [passing, failing] = evaluateTargets(
      [
        { kind: 'ratio', subject: 'store append', baseline: 'raw put', min: 0.8 },
        { kind: 'ratio', subject: 'store append', baseline: 'raw put', min: 0.9 },
      ],
      cases,
    );
    expect(passing).toMatchObject({ actual: 0.85, passed: true });
    expect(failing).toMatchObject({ actual: 0.85, passed: false });
  });

  it('treats the minimum of ratio and ops/s targets as inclusive', () => {
    const [ratio, floor] = evaluateTargets(
      [
        { kind: 'ratio', subject: 'raw put', baseline: 'raw put', min: 1 },
        { kind: 'opsPerSec', subject: 'store append', min: 85_000 },
      ],
      cases,
    );
    expect(ratio?.passed).toBe(true);
    expect(floor?.passed).toBe(true);
  });

  it('checks latency percentiles against their ceiling', () => {
    const results = evaluateTargets(
      [
        { kind: 'latency', subject: 'store append', percentile: 50, maxMs: 0.01 },
        { kind: 'latency', subject: 'store append', percentile: 99, maxMs: 0.04 },
        { kind: 'latency', subject: 'store append', percentile: 99.9, maxMs: 1 },
      ],
      cases,
    );
    expect(results.map((result) => [result.actual, result.passed])).toEqual([
      [0.01, true],
      [0.05, false],
      [0.1, true],
    ]);
  });

  it('checks extra figures against min and max', () => {
    const results = evaluateTargets(
      [
        { kind: 'extra', subject: 'store append', key: 'bytesPerEvent', max: 128 },
        { kind: 'extra', subject: 'store append', key: 'bytesPerEvent', min: 121 },
        { kind: 'extra', subject: 'store append', key: 'bytesPerEvent', min: 100, max: 120 },
      ],
      cases,
    );
    expect(results.map((result) => result.passed)).toEqual([true, false, true]);
  });

  it('fails a target whose figure is missing, with NaN as actual', () => {
    const results = evaluateTargets(
      [
        { kind: 'latency', subject: 'no latency', percentile: 99, maxMs: 100 },
        { kind: 'extra', subject: 'store append', key: 'absent', min: 0 },
        { kind: 'opsPerSec', subject: 'unknown case', min: 1 },
      ],
      cases,
    );
    for (const result of results) {
      expect(result.actual).toBeNaN();
      expect(result.passed).toBe(false);
    }
  });

  it('keeps the target fields in the result', () => {
    const [result] = evaluateTargets([{ kind: 'opsPerSec', subject: 'raw put', min: 1, description: 'floor' }], cases);
    expect(result).toEqual({ kind: 'opsPerSec', subject: 'raw put', min: 1, description: 'floor', actual: 100_000, passed: true });
  });
});

describe('targetKey', () => {
  it('names each kind of target distinctly and stably', () => {
    expect(targetKey({ kind: 'ratio', subject: 'a', baseline: 'b', min: 1 })).toBe('ratio:a/b');
    expect(targetKey({ kind: 'opsPerSec', subject: 'a', min: 1 })).toBe('opsPerSec:a');
    expect(targetKey({ kind: 'latency', subject: 'a', percentile: 99.9, maxMs: 1 })).toBe('latency:a:p99.9');
    expect(targetKey({ kind: 'extra', subject: 'a', key: 'rssMB', max: 1 })).toBe('extra:a:rssMB');
  });
});
