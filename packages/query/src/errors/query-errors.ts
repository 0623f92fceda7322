import { StrataError, type ErrorCode, type StrataErrorOptions } from '@strata/core';

/** Error codes specific to `@strata/query`, beside core's `INVALID_ARGUMENT` and `STORE_CLOSED`. */
export const QueryErrorCodes = {
  /** A write would store two documents with the same value of a unique index. */
  UNIQUE_VIOLATION: 'UNIQUE_VIOLATION',
  /** `insert` of an id that is already stored. */
  DOCUMENT_EXISTS: 'DOCUMENT_EXISTS',
  /** A query needs an in-memory sort of more rows than the collection's `maxSortRows`. */
  SORT_LIMIT_EXCEEDED: 'SORT_LIMIT_EXCEEDED',
  /** A projection wrote to a collection another projection owns, or to a generation it does not have. */
  OWNERSHIP_CONFLICT: 'OWNERSHIP_CONFLICT',
} as const;

/** One of {@link QueryErrorCodes}. */
export type QueryErrorCode = (typeof QueryErrorCodes)[keyof typeof QueryErrorCodes];

// Core types `code` as its own union; package codes are documented strings beside it.
const code = (value: QueryErrorCode): ErrorCode => value as unknown as ErrorCode;

/** A write would give two documents the same key in a unique index. Nothing of the write was stored. */
export class UniqueViolationError extends StrataError {
  constructor(collection: string, index: string, id: string, conflictingId: string, options: StrataErrorOptions = {}) {
    super(
      code(QueryErrorCodes.UNIQUE_VIOLATION),
      `Document '${id}' of collection '${collection}' violates unique index '${index}': '${conflictingId}' has the same key`,
      { ...options, details: { collection, index, id, conflictingId, ...options.details } },
    );
    this.name = 'UniqueViolationError';
  }
}

/** `insert` of a document whose id is already stored. Nothing of the write was stored. */
export class DocumentExistsError extends StrataError {
  constructor(collection: string, id: string, options: StrataErrorOptions = {}) {
    super(code(QueryErrorCodes.DOCUMENT_EXISTS), `Collection '${collection}' already holds a document '${id}'`, {
      ...options,
      details: { collection, id, ...options.details },
    });
    this.name = 'DocumentExistsError';
  }
}

/** The query sorts in memory more rows than allowed; add an index on the `orderBy` fields or raise the limit. */
export class SortLimitExceededError extends StrataError {
  constructor(collection: string, orderBy: string, rows: number, limit: number, options: StrataErrorOptions = {}) {
    super(
      code(QueryErrorCodes.SORT_LIMIT_EXCEEDED),
      `Query on '${collection}' sorts ${rows} rows by '${orderBy}' without an index; the limit is ${limit} (maxSortRows)`,
      { ...options, details: { argument: 'orderBy', collection, orderBy, rows, limit, ...options.details } },
    );
    this.name = 'SortLimitExceededError';
  }
}

/** A projection wrote where it may not: a collection owned by another projection, or an unknown generation. */
export class OwnershipConflictError extends StrataError {
  constructor(message: string, details: Record<string, unknown>, options: StrataErrorOptions = {}) {
    super(code(QueryErrorCodes.OWNERSHIP_CONFLICT), message, { ...options, details: { ...details, ...options.details } });
    this.name = 'OwnershipConflictError';
  }
}
