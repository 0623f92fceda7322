import { ErrorCodes, isStrataError } from '@strata/core';
import { rejectionReason, type RejectionReason } from '../domain/bank-rejection.js';
import { ApiError } from '../errors/api-error.js';

/** An HTTP error answer: status and the `{ error: { code, message } }` body. */
export type ErrorAnswer = { status: number; code: string; message: string };

const NOT_FOUND: ReadonlySet<RejectionReason> = new Set(['ACCOUNT_NOT_FOUND', 'TRANSFER_NOT_FOUND']);

/**
 * Maps any error to the answer the API gives: its own `ApiError`s as they are, domain refusals
 * as 404/409 with the rule as the code, core's codes to their HTTP meaning, and everything else
 * to a 500 that says nothing about internals.
 */
export function errorAnswer(error: unknown, options: { ifMatch?: boolean } = {}): ErrorAnswer {
  if (error instanceof ApiError) return { status: error.status, code: error.code, message: error.message };
  const reason = rejectionReason(error);
  if (reason !== undefined) {
    return { status: NOT_FOUND.has(reason) ? 404 : 409, code: reason, message: (error as Error).message };
  }
  if (isStrataError(error)) {
    switch (error.code) {
      case ErrorCodes.INVALID_ARGUMENT:
        return { status: 400, code: 'VALIDATION_FAILED', message: error.message };
      case ErrorCodes.WRONG_EXPECTED_VERSION:
        return options.ifMatch === true
          ? { status: 412, code: 'PRECONDITION_FAILED', message: 'the account has changed since the version in If-Match' }
          : { status: 409, code: 'CONCURRENCY_CONFLICT', message: 'too many concurrent changes to the same stream; retry' };
      case ErrorCodes.OVERLOADED:
      case ErrorCodes.CIRCUIT_OPEN:
      case ErrorCodes.POOL_TIMEOUT:
        return { status: 503, code: error.code, message: 'the service is overloaded; retry later' };
      case ErrorCodes.STORE_CLOSED:
        return { status: 503, code: error.code, message: 'the service is shutting down' };
      default:
        break;
    }
  }
  return { status: 500, code: 'INTERNAL', message: 'internal error' };
}
