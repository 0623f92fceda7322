import { StrataError, type ErrorCode } from '@strata/core';

/**
 * An error the HTTP API answers with its own status and code (`{ error: { code, message } }`).
 * The codes are the app's own, listed in its README; they extend core's codes.
 */
export class ApiError extends StrataError {
  /** The HTTP status to answer with (4xx). */
  readonly status: number;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    // The app's codes are strings beside core's; core types its own list only.
    super(code as ErrorCode, message, { details });
    this.name = 'ApiError';
    this.status = status;
  }
}
