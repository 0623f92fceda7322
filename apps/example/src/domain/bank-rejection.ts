import { ErrorCodes, StrataError } from '@strata/core';

/** Why the bank refused a command; the HTTP API answers with this as its error code. */
export type RejectionReason =
  | 'ACCOUNT_NOT_FOUND'
  | 'ACCOUNT_EXISTS'
  | 'ACCOUNT_NOT_OPEN'
  | 'ACCOUNT_FROZEN'
  | 'ACCOUNT_CLOSED'
  | 'INSUFFICIENT_FUNDS'
  | 'BALANCE_NOT_ZERO'
  | 'TRANSFER_CONFLICT'
  | 'TRANSFER_NOT_FOUND'
  | 'INVALID_TRANSITION';

/**
 * A domain rule refused a command. It is core's `COMMAND_REJECTED` error with the rule in
 * `details.reason`, so it keeps its code across worker threads and the monitor counts it as a
 * rejection, not a failure.
 */
export function rejection(reason: RejectionReason, message: string, details: Record<string, unknown> = {}): StrataError {
  return new StrataError(ErrorCodes.COMMAND_REJECTED, message, { details: { reason, ...details } });
}

/** The rejection reason of an error, or `undefined` when it is not a bank rejection. */
export function rejectionReason(error: unknown): RejectionReason | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, details } = error as { code?: unknown; details?: { reason?: unknown } };
  if (code !== ErrorCodes.COMMAND_REJECTED || typeof details?.reason !== 'string') return undefined;
  return details.reason as RejectionReason;
}
