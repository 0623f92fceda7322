import { isStrataError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { compileAlertRule } from './compile-alert-rule.js';
import { parseAlertExpression } from './parse-alert-expression.js';

function argumentOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    if (isStrataError(error, 'INVALID_ARGUMENT')) return error.details['argument'];
    throw error;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('parseAlertExpression', () => {
  it('reads statistic, metric, labels, comparison, threshold with unit and duration', () => {
    expect(parseAlertExpression('p99(strata_command_duration_seconds{aggregate="account",x="a,b"}) > 20ms for 30s')).toEqual({
      metric: 'strata_command_duration_seconds',
      stat: 'p99',
      labels: { aggregate: 'account', x: 'a,b' },
      op: '>',
      threshold: 20,
      forMs: 30_000,
    });
    expect(parseAlertExpression('p999(x_seconds) >= 0.5s for 2m')).toMatchObject({ threshold: 500, forMs: 120_000, op: '>=' });
    expect(parseAlertExpression('strata_cache_hit_ratio{tier="l1"} < 80%')).toMatchObject({ stat: undefined, threshold: 0.8, forMs: 0, labels: { tier: 'l1' } });
    expect(parseAlertExpression('value(process_resident_memory_bytes) > 1.5GiB')).toMatchObject({ threshold: 1.5 * 1024 ** 3 });
    expect(parseAlertExpression('rate(strata_store_appends_total) <= 1k for 500ms')).toMatchObject({ stat: 'rate', threshold: 1000, forMs: 500 });
  });

  it('rejects malformed expressions with the argument named', () => {
    expect(argumentOf(() => parseAlertExpression('p99(x > 3'))).toBe('when');
    expect(argumentOf(() => parseAlertExpression('p42(x) > 3'))).toBe('when');
    expect(argumentOf(() => parseAlertExpression('p99(x) > 3 parsecs'))).toBe('when');
    expect(argumentOf(() => parseAlertExpression('p99(x) > 3 for 2 days'))).toBe('when');
    expect(argumentOf(() => parseAlertExpression('p99(x{a=b}) > 3', 'alerts[0].when'))).toBe('alerts[0].when');
  });
});

describe('compileAlertRule', () => {
  it('applies defaults and describes the condition', () => {
    const rule = compileAlertRule({ name: 'slow', when: 'p99(a_seconds) > 20ms for 30s' }, 'alerts[0]');
    expect(rule).toMatchObject({ severity: 'warning', forMs: 30_000, clearThreshold: 20, clearForMs: 0, condition: 'p99(a_seconds) > 20' });
  });

  it('names the offending field', () => {
    expect(argumentOf(() => compileAlertRule({ name: 'x', when: 'a > 1', metric: 'b' }, 'alerts[3]'))).toBe('alerts[3]');
    expect(argumentOf(() => compileAlertRule({ name: 'x', when: 'a > 1', threshold: 2 }, 'alerts[0]'))).toBe('alerts[0].threshold');
    expect(argumentOf(() => compileAlertRule({ name: 'x', metric: 'a', op: '>', threshold: 10, clearThreshold: 12 }, 'rule'))).toBe('rule.clearThreshold');
    expect(argumentOf(() => compileAlertRule({ name: 'x', metric: 'a', op: '<', threshold: 10, clearThreshold: 8 }, 'rule'))).toBe('rule.clearThreshold');
    expect(argumentOf(() => compileAlertRule({ name: 'x', metric: 'a', op: '>', threshold: 1, forMs: -1 }, 'rule'))).toBe('rule.forMs');
    expect(argumentOf(() => compileAlertRule({ name: 'x', metric: 'a', threshold: 1 }, 'rule'))).toBe('rule.op');
    expect(argumentOf(() => compileAlertRule({ name: 'x', metric: 'a', op: '>', threshold: 1, severity: 'panic' as 'info' }, 'rule'))).toBe('rule.severity');
    expect(argumentOf(() => compileAlertRule({ name: '', metric: 'a', op: '>', threshold: 1 }, 'rule'))).toBe('rule.name');
    expect(argumentOf(() => compileAlertRule({ name: 'x', metric: 'a', op: '>', threshold: 1, sevrity: 'info' } as never, 'rule'))).toBe('rule.sevrity');
  });
});
