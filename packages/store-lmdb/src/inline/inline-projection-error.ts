import { StrataError, type ErrorCode, type StrataErrorOptions } from '@strata/core';

/** The code of {@link InlineProjectionError}. */
export const INLINE_PROJECTION_FAILED = 'INLINE_PROJECTION_FAILED' as ErrorCode;

/**
 * An inline projection's handler threw (or returned a promise) inside an append's write
 * transaction: that append stored nothing, and neither did the handler. Other appends of the same
 * group commit are not affected. `cause` is the handler's error.
 */
export class InlineProjectionError extends StrataError {
  constructor(message: string, options: StrataErrorOptions = {}) {
    super(INLINE_PROJECTION_FAILED, message, options);
    this.name = 'InlineProjectionError';
  }
}
