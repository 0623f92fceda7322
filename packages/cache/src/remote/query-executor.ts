/**
 * The one thing the PostgreSQL remote tier needs from a connection: run a parameterised statement.
 * A `pg.Pool`, a `pg.Client` and `@strata/pool`'s pool all fit. Every statement the tier sends is
 * self-contained (one statement, its own transaction), so a pool may run each on any connection.
 */
export interface QueryExecutor {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}
