import { PoolTimeoutError, StrataError, isStrataError } from '@strata/core';
import type { PgErrorClass } from './classify-pg-error.js';

/** pg-pool's message when opening a new connection took longer than the acquisition timeout. */
const CONNECT_TIMEOUT_MESSAGE = 'Connection terminated due to connection timeout';

/**
 * Maps a driver error to the Strata error the pool rejects with, at this one boundary:
 * `POOL_TIMEOUT` when no connection could be had in time, `STORE_FAILURE` for everything else
 * (`cause` holds the driver's error; `details` carry `kind`, `sqlState`, `transient` and, for
 * constraint violations, `constraint`, `table` and `column`). Strata errors pass through unchanged.
 */
export function toPoolError(error: unknown, classified: PgErrorClass, pool: string, acquireTimeoutMs: number): StrataError {
  if (isStrataError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (classified.kind === 'saturated' || message === CONNECT_TIMEOUT_MESSAGE) {
    return new PoolTimeoutError(acquireTimeoutMs, { cause: error, details: { pool, kind: classified.kind } });
  }
  const { constraint, table, column } = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const details: Record<string, unknown> = {
    pool,
    kind: classified.kind,
    sqlState: classified.sqlState,
    transient: classified.transient,
  };
  if (typeof constraint === 'string') details['constraint'] = constraint;
  if (typeof table === 'string') details['table'] = table;
  if (typeof column === 'string') details['column'] = column;
  return new StrataError('STORE_FAILURE', `PostgreSQL pool '${pool}': ${message}`, { cause: error, details });
}
