import type { PgPool } from './pg-pool.js';
import { resolvePoolOptions, type PgPoolOptions } from './pool-options.js';
import { StrataPgPool } from './strata-pg-pool.js';

/**
 * Creates a PostgreSQL connection pool around pg's own `Pool`. Validates every option (throws
 * `INVALID_ARGUMENT` naming the first bad one), then starts warming up to `min` connections
 * (await {@link PgPool.ready} to wait for it) and, unless turned off, periodic health checks.
 *
 * @example
 * const pool = createPgPool({ connectionString: process.env.DATABASE_URL!, min: 2, max: 10 });
 * await pool.ready;
 * const { rows } = await pool.query('SELECT now() AS now');
 * await pool.drain();
 */
export function createPgPool(options: PgPoolOptions): PgPool {
  return new StrataPgPool(resolvePoolOptions(options));
}
