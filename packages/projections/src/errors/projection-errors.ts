import { StrataError, type ErrorCode, type StrataErrorOptions } from '@strata/core';

/** Codes raised by `@strata/projections` besides the core ones (see the README). */
export const ProjectionErrorCodes = {
  /** A projection stopped on a handler error (`onError: 'stop'`), or was stopped. */
  PROJECTION_FAILED: 'PROJECTION_FAILED',
  /** `waitFor` did not see the position applied within its timeout. */
  PROJECTION_TIMEOUT: 'PROJECTION_TIMEOUT',
  /** This node no longer holds the lease it was committing under (fencing). */
  LEASE_LOST: 'LEASE_LOST',
} as const;

/** A projection stopped because a handler kept failing (`details.projection`, `details.position`). */
export class ProjectionFailedError extends StrataError {
  constructor(projection: string, message: string, options: StrataErrorOptions = {}) {
    super(ProjectionErrorCodes.PROJECTION_FAILED as ErrorCode, message, {
      ...options,
      details: { projection, ...options.details },
    });
    this.name = 'ProjectionFailedError';
  }
}

/** `waitFor` timed out (`details.position`, `details.timeoutMs`, `details.projection`). */
export class ProjectionTimeoutError extends StrataError {
  constructor(projection: string, position: number, timeoutMs: number) {
    super(
      ProjectionErrorCodes.PROJECTION_TIMEOUT as ErrorCode,
      `Projection '${projection}' did not apply position ${position} within ${timeoutMs} ms`,
      { details: { projection, position, timeoutMs } },
    );
    this.name = 'ProjectionTimeoutError';
  }
}

/** A commit was refused because this node's lease expired or was taken over (`details.lease`). */
export class LeaseLostError extends StrataError {
  constructor(lease: string, owner: string, options: StrataErrorOptions = {}) {
    super(ProjectionErrorCodes.LEASE_LOST as ErrorCode, `Lease '${lease}' is no longer held by '${owner}'`, {
      ...options,
      details: { lease, owner, ...options.details },
    });
    this.name = 'LeaseLostError';
  }
}
