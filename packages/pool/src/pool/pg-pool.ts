import type { BreakerTransitions } from '../breaker/breaker-options.js';
import type { BreakerState } from '../diagnostics/pool-message.js';
import type { ListenOptions, PgListener } from '../listen/listener-types.js';

/** Type parsers for a query (the shape of pg's `types` option), e.g. `int8AsNumber`. */
export type PgTypeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown;
};

/** A statement and its parameters. Values are always sent as parameters, never spliced into the text. */
export type PgQuery = {
  /** SQL with `$1`, `$2` … placeholders. */
  text: string;
  /** Parameter values. */
  values?: readonly unknown[];
  /**
   * Prepared-statement name: the statement is parsed and planned once per connection and reused.
   * One name must always go with the same text.
   */
  name?: string;
  /** Return rows as arrays of column values instead of objects. */
  rowMode?: 'array';
  /** Type parsers for this query's columns. */
  types?: PgTypeParsers;
};

/** A row as an object keyed by column name. */
export type PgRow = Record<string, unknown>;

/** The result of a statement. */
export type PgQueryResult<R> = {
  rows: R[];
  /** Rows affected or returned, when the server says. */
  rowCount: number | null;
};

/** A checked-out connection, as handed to `withClient` and `transaction` callbacks. */
export interface PgClient {
  /** Runs one statement on this connection. Driver errors reach the callback unmapped. */
  query<R = PgRow>(query: string | PgQuery, values?: readonly unknown[]): Promise<PgQueryResult<R>>;
}

/** Per-call options. */
export type QueryOptions = {
  /**
   * The work may run twice without harm (a read, an upsert, an append with fixed event ids).
   * Then a connection lost mid-statement is retried too; otherwise only failures before anything
   * was sent, and conflicts the server rolled back, are retried. Default false.
   */
  idempotent?: boolean;
};

/** What the pool has done, for monitoring. */
export type PoolStats = {
  name: string;
  /** Connections open, idle and in use. */
  total: number;
  /** Connections open and idle. */
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
  /** Calls running (including their retries and waits). */
  inFlight: number;
  breaker: BreakerState;
  breakerTransitions: BreakerTransitions;
  /** Connection checkouts so far. */
  acquisitions: number;
  /** Checkout latency in ms: mean, largest and latest. */
  acquireMs: { mean: number; max: number; last: number };
  /** Calls that failed with `POOL_TIMEOUT`. */
  acquireTimeouts: number;
  /** Failed attempts (each retry's failure counts). */
  failures: number;
  /** Retries made. */
  retries: number;
  /** Calls refused at once because the breaker was open. */
  rejected: number;
  /** Health checks run, and connections they found broken and closed. */
  healthChecks: number;
  evicted: number;
  /** True once `drain()` was called. */
  draining: boolean;
};

/** The outcome of one health check. */
export type HealthReport = {
  /** Idle connections checked. */
  checked: number;
  /** Connections found broken and closed. */
  evicted: number;
  /** Connections opened to get back to `min`. */
  opened: number;
  /** True when the check was skipped because callers were waiting for connections. */
  skipped: boolean;
};

/**
 * A PostgreSQL connection pool: pg's own `Pool` plus warm-up, health checks, a circuit breaker,
 * error classification with retries, a draining shutdown and statistics. Every rejection is a
 * Strata error: `CIRCUIT_OPEN`, `POOL_TIMEOUT`, `STORE_CLOSED`, or `STORE_FAILURE` wrapping the
 * driver's error (`cause`) with `details.kind`, `details.sqlState` and, for constraint
 * violations, `details.constraint`.
 */
export interface PgPool {
  /** The pool's name (stats, errors, diagnostics). */
  readonly name: string;
  /** The breaker's state (`closed` when the breaker is turned off). */
  readonly breakerState: BreakerState;
  /**
   * Settles when the warm-up to `min` connections is done; rejects with the first connection
   * error (the pool keeps working and connects on demand).
   */
  readonly ready: Promise<void>;
  /** Runs one statement on a pooled connection, through the breaker, retrying transient failures. */
  query<R = PgRow>(query: string | PgQuery, values?: readonly unknown[], options?: QueryOptions): Promise<PgQueryResult<R>>;
  /**
   * Runs `work` with one connection checked out for its whole duration (several statements,
   * session state, advisory locks). Conflicts are retried only when `idempotent` is set, because
   * earlier statements of `work` may have committed.
   */
  withClient<T>(work: (client: PgClient) => Promise<T>, options?: QueryOptions): Promise<T>;
  /** Runs `work` inside BEGIN … COMMIT (ROLLBACK on a throw); conflicts re-run the whole transaction. */
  transaction<T>(work: (client: PgClient) => Promise<T>, options?: QueryOptions): Promise<T>;
  /**
   * Listens on a channel over a dedicated connection that reconnects by itself. Rejects when the
   * first connection fails. Notifications are wake-ups only: they are lost while disconnected.
   */
  listen(channel: string, onNotify: (payload: string) => void, options?: ListenOptions): Promise<PgListener>;
  /** Current statistics. */
  stats(): PoolStats;
  /** Runs a health check now: idle connections are tested and broken ones closed, then the pool is topped up to `min`. */
  checkHealth(): Promise<HealthReport>;
  /**
   * Stops taking new calls (they reject with `STORE_CLOSED`), lets calls in flight finish
   * (including their retries), closes listeners and every connection. Idempotent.
   */
  drain(): Promise<void>;
}
