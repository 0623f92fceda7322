/**
 * What went wrong, as far as a pool can tell:
 * - `connection`: the socket failed or closed, or a connection could not be opened (the server is
 *   down, restarting or unreachable);
 * - `unavailable`: the server refused the work for its own health (shutdown, recovery, too many
 *   connections, out of resources);
 * - `conflict`: the statement lost a concurrency race and was rolled back (serialization failure,
 *   deadlock, lock not available);
 * - `timeout`: a statement or the client gave up waiting for the server;
 * - `saturated`: no pooled connection became free in time (the pool is busy, the server may be fine);
 * - `statement`: the statement itself is wrong for the data (constraint violation, syntax error,
 *   bad value, an exception raised by a function);
 * - `unknown`: anything else (usually a bug in the caller, such as a bad parameter value).
 */
export type PgErrorKind = 'connection' | 'unavailable' | 'conflict' | 'timeout' | 'saturated' | 'statement' | 'unknown';

/** The classification of a driver error: what it is and what the pool does about it. */
export type PgErrorClass = {
  readonly kind: PgErrorKind;
  /** Worth retrying after a pause: the same request may succeed once the cause has passed. */
  readonly transient: boolean;
  /** Counts as a failure of the server for the circuit breaker. */
  readonly tripsBreaker: boolean;
  /** The SQLSTATE the server sent, when it sent one. */
  readonly sqlState: string | undefined;
};

/** The message pg-pool uses when a caller waited for a free connection longer than the timeout. */
export const QUEUE_TIMEOUT_MESSAGE = 'timeout exceeded when trying to connect';

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

// Messages of pg's Client and pg-pool for a connection that is gone or never came up.
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Connection closed',
  'server closed the connection unexpectedly',
  'The server does not support SSL connections',
];

const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '57P05', '53000', '53100', '53200', '53300', '53400']);
const CONFLICT_STATES = new Set(['40001', '40P01', '55P03']);
const SQLSTATE = /^[0-9A-Z]{5}$/;

const CONNECTION: PgErrorClass = Object.freeze({ kind: 'connection', transient: true, tripsBreaker: true, sqlState: undefined });
const SATURATED: PgErrorClass = Object.freeze({ kind: 'saturated', transient: false, tripsBreaker: false, sqlState: undefined });
const CLIENT_TIMEOUT: PgErrorClass = Object.freeze({ kind: 'timeout', transient: false, tripsBreaker: true, sqlState: undefined });
const UNKNOWN: PgErrorClass = Object.freeze({ kind: 'unknown', transient: false, tripsBreaker: false, sqlState: undefined });

/**
 * Classifies an error thrown by `pg` or `pg-pool`. Connection loss, shutdowns, recovery and
 * resource exhaustion are transient and trip the breaker; serialization failures and deadlocks are
 * transient but say nothing about the server's health, so they never trip it; constraint
 * violations, syntax errors and every other statement error are permanent and never trip it.
 */
export function classifyPgError(error: unknown): PgErrorClass {
  if (typeof error !== 'object' || error === null) return UNKNOWN;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code)) return CONNECTION;
    if (SQLSTATE.test(code)) return classifySqlState(code);
  }
  if (text === QUEUE_TIMEOUT_MESSAGE) return SATURATED;
  if (text === 'Query read timeout') return CLIENT_TIMEOUT;
  if (CONNECTION_MESSAGES.some((known) => text.startsWith(known))) return CONNECTION;
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && cause !== error) {
    const inner = classifyPgError(cause);
    if (inner.kind !== 'unknown') return inner;
  }
  return UNKNOWN;
}

function classifySqlState(sqlState: string): PgErrorClass {
  if (sqlState.startsWith('08')) return { kind: 'connection', transient: true, tripsBreaker: true, sqlState };
  if (UNAVAILABLE_STATES.has(sqlState)) return { kind: 'unavailable', transient: true, tripsBreaker: true, sqlState };
  if (CONFLICT_STATES.has(sqlState)) return { kind: 'conflict', transient: true, tripsBreaker: false, sqlState };
  // Statement timeouts and cancellations: the server is too slow for the work; retrying at once repeats it.
  if (sqlState === '57014') return { kind: 'timeout', transient: false, tripsBreaker: true, sqlState };
  // I/O errors of the server itself (disk, files).
  if (sqlState.startsWith('58')) return { kind: 'unavailable', transient: false, tripsBreaker: true, sqlState };
  return { kind: 'statement', transient: false, tripsBreaker: false, sqlState };
}
