import { describe, expect, it } from 'vitest';
import { classifyPgError } from '../errors/classify-pg-error.js';
import { backoffDelay, mayRetry } from './retry-policy.js';

const policy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 100 };
const lost = classifyPgError(new Error('Connection terminated unexpectedly'));
const conflict = classifyPgError(Object.assign(new Error('serialization'), { code: '40001' }));
const constraint = classifyPgError(Object.assign(new Error('duplicate key'), { code: '23505' }));

describe('mayRetry', () => {
  it('retries a failure before anything was sent, whatever the work', () => {
    expect(mayRetry(lost, 'acquire', { idempotent: false, conflictRollsBack: false })).toBe(true);
  });

  it('retries a lost connection after sending only for idempotent work', () => {
    expect(mayRetry(lost, 'execute', { idempotent: false, conflictRollsBack: true })).toBe(false);
    expect(mayRetry(lost, 'execute', { idempotent: true, conflictRollsBack: true })).toBe(true);
  });

  it('retries a conflict when the server rolled all of the work back', () => {
    expect(mayRetry(conflict, 'execute', { idempotent: false, conflictRollsBack: true })).toBe(true);
    expect(mayRetry(conflict, 'execute', { idempotent: false, conflictRollsBack: false })).toBe(false);
  });

  it('never retries a permanent failure', () => {
    expect(mayRetry(constraint, 'execute', { idempotent: true, conflictRollsBack: true })).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('draws from a window that doubles per retry up to the cap (full jitter)', () => {
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelay(policy, retry, () => 0.999999))).toEqual([9, 19, 39, 79, 99]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 2, () => 0.5)).toBe(10);
  });
});
