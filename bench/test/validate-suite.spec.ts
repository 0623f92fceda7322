import { describe, expect, it } from 'vitest';
import { resolveRunSettings } from '../src/harness/run-settings.js';
import type { Suite } from '../src/harness/types.js';
import { isSuiteLike, validateSuite } from '../src/harness/validate-suite.js';

const valid = (): Suite => ({
  id: 'store-append',
  title: 'Append',
  description: 'Appends',
  cases: [
    { name: 'raw', role: 'baseline', fn: () => undefined },
    { name: 'store', role: 'subject', concurrency: 4, opsPerCall: 100, measure: async () => ({ ops: 1, elapsedMs: 1 }) },
  ],
  targets: [{ kind: 'ratio', subject: 'store', baseline: 'raw', min: 0.8 }],
});

describe('validateSuite', () => {
  it('accepts a well-formed suite', () => {
    expect(() => validateSuite(valid())).not.toThrow();
    expect(isSuiteLike(valid())).toBe(true);
    expect(isSuiteLike({ helper: true })).toBe(false);
  });

  it.each([
    ['an id unfit for file names', (suite: Suite) => void (suite.id = 'Store Append'), /suite id/],
    ['no cases', (suite: Suite) => void (suite.cases = []), /cases must be a non-empty array/],
    ['duplicate case names', (suite: Suite) => void (suite.cases[1]!.name = 'raw'), /duplicate case name "raw"/],
    ['both fn and measure', (suite: Suite) => void (suite.cases[0]!.measure = async () => ({ ops: 1, elapsedMs: 1 })), /exactly one of fn and measure/],
    ['neither fn nor measure', (suite: Suite) => void delete suite.cases[0]!.fn, /exactly one of fn and measure/],
    ['a fractional concurrency', (suite: Suite) => void (suite.cases[1]!.concurrency = 1.5), /concurrency must be a positive integer/],
    ['a zero opsPerCall', (suite: Suite) => void (suite.cases[1]!.opsPerCall = 0), /opsPerCall/],
    ['a target on an unknown case', (suite: Suite) => void (suite.targets = [{ kind: 'opsPerSec', subject: 'nope', min: 1 }]), /subject "nope"/],
    [
      'a ratio against an unknown baseline',
      (suite: Suite) => void (suite.targets = [{ kind: 'ratio', subject: 'store', baseline: 'nope', min: 1 }]),
      /baseline "nope"/,
    ],
    [
      'an unsupported percentile',
      (suite: Suite) => void (suite.targets = [{ kind: 'latency', subject: 'store', percentile: 95 as 99, maxMs: 1 }]),
      /percentile/,
    ],
    ['an extra target without bounds', (suite: Suite) => void (suite.targets = [{ kind: 'extra', subject: 'store', key: 'k' }]), /min, max or both/],
    ['a negative duration', (suite: Suite) => void (suite.durationMs = -1), /durationMs/],
  ])('rejects %s, naming the problem', (_name, breakIt, message) => {
    const suite = valid();
    breakIt(suite);
    expect(() => validateSuite(suite)).toThrow(message);
  });
});

describe('resolveRunSettings', () => {
  const suite = valid();

  it('uses the full-mode defaults and the suite overrides', () => {
    expect(resolveRunSettings(suite, false)).toEqual({ durationMs: 2000, warmupMs: 500, repetitions: 5 });
    expect(resolveRunSettings({ ...suite, durationMs: 4000, repetitions: 3 }, false)).toEqual({ durationMs: 4000, warmupMs: 1000, repetitions: 3 });
  });

  it('shortens quick runs to a share of the duration and at most three repetitions', () => {
    expect(resolveRunSettings(suite, true)).toEqual({ durationMs: 300, warmupMs: 100, repetitions: 3 });
    expect(resolveRunSettings({ ...suite, repetitions: 1 }, true).repetitions).toBe(1);
  });

  it('lets explicit overrides win', () => {
    expect(resolveRunSettings(suite, true, { durationMs: 10, warmupMs: 0, repetitions: 3 })).toEqual({ durationMs: 10, warmupMs: 0, repetitions: 3 });
  });
});
