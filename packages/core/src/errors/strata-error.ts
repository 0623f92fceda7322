import type { ErrorCode } from './error-codes.js';

/**
 * A Strata error code: one of core's {@link ErrorCodes}, or a code a package adds for its own
 * failures (listed in that package's README). Editors still complete core's codes.
 */
export type StrataErrorCode = ErrorCode | (string & {});

const STRATA_ERROR_BRAND = Symbol.for('@strata/core/StrataError');

/** Options accepted by every Strata error. */
export type StrataErrorOptions = {
  /** The lower-level error this one wraps (ES2022 `cause`). */
  cause?: unknown;
  /** Structured, JSON-safe facts about the failure (the offending option, the expected version …). */
  details?: Record<string, unknown>;
};

/**
 * The one base class of every error Strata raises. Branch on {@link StrataError.code}, never on the
 * message: codes are stable, messages are for people.
 */
export class StrataError extends Error {
  /** A stable, machine-readable code: from {@link ErrorCodes}, or a package's own. */
  readonly code: StrataErrorCode;
  /** Structured facts about the failure; safe to serialise as JSON. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: StrataErrorCode, message: string, options: StrataErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StrataError';
    this.code = code;
    this.details = Object.freeze({ ...options.details });
    Object.defineProperty(this, STRATA_ERROR_BRAND, { value: true });
  }

  /** A JSON form suitable for HTTP error bodies and logs (no stack). */
  toJSON(): { name: string; code: StrataErrorCode; message: string; details: Readonly<Record<string, unknown>> } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/**
 * True when `err` is a Strata error, optionally with the given code. Duck-typed on a global
 * symbol, so it also recognises errors thrown by a second copy of `@strata/core` (duplicate
 * installs, worker bundles) where `instanceof` would fail.
 */
export function isStrataError(err: unknown, code?: StrataErrorCode): err is StrataError {
  if (typeof err !== 'object' || err === null) return false;
  const branded = (err as Record<PropertyKey, unknown>)[STRATA_ERROR_BRAND] === true;
  if (!branded) return false;
  return code === undefined || (err as StrataError).code === code;
}
