import { describe, expect, it } from 'vitest';
import { StrataError, isStrataError } from './strata-error.js';
import { WrongExpectedVersionError, OverloadedError } from './errors.js';

describe('StrataError', () => {
  it('carries a code, details and cause, and serialises without the stack', () => {
    const cause = new Error('low level');
    const error = new StrataError('STORE_FAILURE', 'disk on fire', { cause, details: { path: 'x' } });
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'StrataError',
      code: 'STORE_FAILURE',
      message: 'disk on fire',
      details: { path: 'x' },
    });
  });

  it('is recognised by code, and across copies of the class', () => {
    const error = new WrongExpectedVersionError('account-1', 3, 5);
    expect(isStrataError(error)).toBe(true);
    expect(isStrataError(error, 'WRONG_EXPECTED_VERSION')).toBe(true);
    expect(isStrataError(error, 'OVERLOADED')).toBe(false);
    expect(error.details).toMatchObject({ expected: 3, actual: 5, streamId: 'account-1' });
    // A structurally identical error from another copy of core carries the same global brand.
    const foreign = Object.assign(new Error('x'), { code: 'OVERLOADED' });
    Object.defineProperty(foreign, Symbol.for('@strata/core/StrataError'), { value: true });
    expect(isStrataError(foreign, 'OVERLOADED')).toBe(true);
    expect(isStrataError(new Error('plain'))).toBe(false);
    expect(isStrataError(null)).toBe(false);
    expect(new OverloadedError('queue', 10)).toBeInstanceOf(StrataError);
  });
});
