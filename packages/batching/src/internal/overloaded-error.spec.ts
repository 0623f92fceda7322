import { describe, expect, it } from 'vitest';
import { isStrataError } from '@strata/core';
import { createOverloadedError } from './overloaded-error.js';

describe('createOverloadedError', () => {
  it('creates an OVERLOADED error naming what and the limit, and restores the stack trace limit', () => {
    const before = Error.stackTraceLimit;
    const error = createOverloadedError("batcher 'writes'", 512);
    expect(isStrataError(error, 'OVERLOADED')).toBe(true);
    expect(error.details).toMatchObject({ what: "batcher 'writes'", limit: 512 });
    expect(Error.stackTraceLimit).toBe(before);
  });
});
