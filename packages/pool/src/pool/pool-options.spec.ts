import { describe, expect, it } from 'vitest';
import { isStrataError } from '@strata/core';
import { resolvePoolOptions, type PgPoolOptions } from './pool-options.js';

const url = 'postgresql://localhost/db';

function argumentOf(options: unknown): unknown {
  try {
    resolvePoolOptions(options as PgPoolOptions);
  } catch (error) {
    if (isStrataError(error, 'INVALID_ARGUMENT')) return error.details['argument'];
    throw error;
  }
  return undefined;
}

describe('resolvePoolOptions', () => {
  it('applies defaults', () => {
    expect(resolvePoolOptions({ connectionString: url })).toMatchObject({
      min: 1,
      max: 10,
      name: 'pg',
      acquireTimeoutMs: 5_000,
      breaker: { errorThresholdPercentage: 50, volumeThreshold: 10, windowMs: 10_000, resetTimeoutMs: 2_000 },
      healthCheck: { intervalMs: 10_000, timeoutMs: 2_000 },
      retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 1_000 },
    });
    expect(resolvePoolOptions({ connectionString: url, breaker: false, healthCheck: false })).toMatchObject({ breaker: false, healthCheck: false });
  });

  it.each([
    [null, 'options'],
    [{}, 'connectionString'],
    [{ connectionString: '' }, 'connectionString'],
    [{ connectionString: url, max: 0 }, 'max'],
    [{ connectionString: url, min: -1 }, 'min'],
    [{ connectionString: url, min: 5, max: 2 }, 'min'],
    [{ connectionString: url, name: 'no spaces' }, 'name'],
    [{ connectionString: url, acquireTimeoutMs: 0 }, 'acquireTimeoutMs'],
    [{ connectionString: url, idleTimeoutMs: 1.5 }, 'idleTimeoutMs'],
    [{ connectionString: url, statementTimeoutMs: -1 }, 'statementTimeoutMs'],
    [{ connectionString: url, queryTimeoutMs: '5' }, 'queryTimeoutMs'],
    [{ connectionString: url, applicationName: 7 }, 'applicationName'],
    [{ connectionString: url, breaker: 'on' }, 'breaker'],
    [{ connectionString: url, breaker: { errorThresholdPercentage: 0 } }, 'breaker.errorThresholdPercentage'],
    [{ connectionString: url, breaker: { volumeThreshold: -1 } }, 'breaker.volumeThreshold'],
    [{ connectionString: url, breaker: { windowMs: 1 } }, 'breaker.windowMs'],
    [{ connectionString: url, breaker: { resetTimeoutMs: 0 } }, 'breaker.resetTimeoutMs'],
    [{ connectionString: url, healthCheck: { intervalMs: 0 } }, 'healthCheck.intervalMs'],
    [{ connectionString: url, healthCheck: { timeoutMs: 0 } }, 'healthCheck.timeoutMs'],
    [{ connectionString: url, retry: false }, 'retry'],
    [{ connectionString: url, retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
    [{ connectionString: url, retry: { baseDelayMs: 50, maxDelayMs: 10 } }, 'retry.maxDelayMs'],
  ])('refuses %j naming %s', (options, argument) => {
    expect(argumentOf(options)).toBe(argument);
  });
});
