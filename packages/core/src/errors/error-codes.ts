/**
 * Every error code Strata raises. Codes are part of the public API: callers branch on them,
 * tests assert them, and they never change meaning.
 */
export const ErrorCodes = {
  WRONG_EXPECTED_VERSION: 'WRONG_EXPECTED_VERSION',
  STREAM_DELETED: 'STREAM_DELETED',
  DUPLICATE_EVENT: 'DUPLICATE_EVENT',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  SERIALIZATION_FAILED: 'SERIALIZATION_FAILED',
  UNKNOWN_EVENT_TYPE: 'UNKNOWN_EVENT_TYPE',
  CIRCUIT_OPEN: 'CIRCUIT_OPEN',
  POOL_TIMEOUT: 'POOL_TIMEOUT',
  OVERLOADED: 'OVERLOADED',
  STORE_CLOSED: 'STORE_CLOSED',
  INCOMPATIBLE_FORMAT: 'INCOMPATIBLE_FORMAT',
  STORE_FAILURE: 'STORE_FAILURE',
  COMMAND_REJECTED: 'COMMAND_REJECTED',
  PLUGIN_FAILED: 'PLUGIN_FAILED',
  SINK_WRITES_LOST: 'SINK_WRITES_LOST',
} as const;

/** One of the codes in {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
