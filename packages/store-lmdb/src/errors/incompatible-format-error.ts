import { ErrorCodes, StrataError, type StrataErrorOptions } from '@strata/core';

/**
 * The files at the store's path were written by another format version of this store, by another
 * serializer format, or are not a Strata store at all. The store refuses to open them rather than
 * misread them. `details` carries `path`, `found` and `expected`.
 */
export class IncompatibleFormatError extends StrataError {
  constructor(path: string, found: string, expected: string, options: StrataErrorOptions = {}) {
    super(
      ErrorCodes.INCOMPATIBLE_FORMAT,
      `The LMDB store at '${path}' holds ${found}; this version of @strata/store-lmdb reads ${expected}`,
      { ...options, details: { path, found, expected, ...options.details } },
    );
    this.name = 'IncompatibleFormatError';
  }
}
