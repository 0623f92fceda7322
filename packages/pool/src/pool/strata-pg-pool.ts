import pg from 'pg';
import { InvalidArgumentError, StoreClosedError, isStrataError } from '@strata/core';
import { CircuitBreaker } from '../breaker/circuit-breaker.js';
import { classifyPgError } from '../errors/classify-pg-error.js';
import { toPoolError } from '../errors/to-pool-error.js';
import { HealthChecker, checkIn, checkOut } from '../health/health-checker.js';
import type { ListenOptions, PgListener } from '../listen/listener-types.js';
import { ReconnectingListener } from '../listen/pg-listener.js';
import { poolChannel, type BreakerState, type PoolMessage } from '../diagnostics/pool-message.js';
import { backoffDelay, mayRetry, sleep, type FailurePhase, type RetrySafety } from '../retry/retry-policy.js';
import { PoolCounters } from './pool-counters.js';
import type { ResolvedPoolOptions } from './pool-options.js';
import type { HealthReport, PgClient, PgPool, PgQuery, PgQueryResult, PgRow, PoolStats, QueryOptions } from './pg-pool.js';

const LISTEN_BACKOFF = Object.freeze({ maxAttempts: Number.MAX_SAFE_INTEGER, baseDelayMs: 50, maxDelayMs: 2_000 });
const CHANNEL = /^[\w.:-]{1,63}$/;

/** The engine behind `createPgPool`. */
export class StrataPgPool implements PgPool {
  readonly name: string;
  readonly ready: Promise<void>;
  readonly #options: ResolvedPoolOptions;
  readonly #pool: pg.Pool;
  readonly #breaker: CircuitBreaker | undefined;
  readonly #health: HealthChecker;
  readonly #listeners = new Set<PgListener>();
  readonly #counters = new PoolCounters();
  #inFlight = 0;
  #idle: (() => void) | undefined;
  #draining: Promise<void> | undefined;

  constructor(options: ResolvedPoolOptions) {
    this.#options = options;
    this.name = options.name;
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      min: options.min,
      max: options.max,
      idleTimeoutMillis: options.idleTimeoutMs,
      connectionTimeoutMillis: options.acquireTimeoutMs,
      application_name: options.applicationName,
      keepAlive: true,
      ...(options.statementTimeoutMs === undefined ? {} : { statement_timeout: options.statementTimeoutMs }),
      ...(options.queryTimeoutMs === undefined ? {} : { query_timeout: options.queryTimeoutMs }),
    });
    // An idle connection that dies is removed by pg-pool, which then emits 'error': without a
    // listener that would crash the process. The next health check tops the pool up again.
    this.#pool.on('error', () => undefined);
    this.#breaker =
      options.breaker === false
        ? undefined
        : new CircuitBreaker(
            options.name,
            options.breaker,
            (error) => classifyPgError(error).tripsBreaker,
            (state) => this.#publish('breaker', state),
          );
    this.#health = new HealthChecker(this.#pool, options.min, options.healthCheck === false ? 2_000 : options.healthCheck.timeoutMs, (report) =>
      this.#onHealthReport(report),
    );
    this.ready = this.#warmUp();
    this.ready.catch(() => undefined);
    if (options.healthCheck !== false) this.#health.start(options.healthCheck.intervalMs);
  }

  get breakerState(): BreakerState {
    return this.#breaker?.state ?? 'closed';
  }

  query<R = PgRow>(query: string | PgQuery, values?: readonly unknown[], options: QueryOptions = {}): Promise<PgQueryResult<R>> {
    const config = toQueryConfig(query, values);
    return this.#run((client) => client.query(config) as unknown as Promise<PgQueryResult<R>>, {
      idempotent: options.idempotent === true,
      conflictRollsBack: true,
    });
  }

  withClient<T>(work: (client: PgClient) => Promise<T>, options: QueryOptions = {}): Promise<T> {
    return this.#run((client) => work(wrapClient(client)), { idempotent: options.idempotent === true, conflictRollsBack: false });
  }

  transaction<T>(work: (client: PgClient) => Promise<T>, options: QueryOptions = {}): Promise<T> {
    return this.#run(
      async (client) => {
        await client.query('BEGIN');
        try {
          const result = await work(wrapClient(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          // A failed ROLLBACK means the connection is gone; the original error says why.
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      },
      { idempotent: options.idempotent === true, conflictRollsBack: true },
    );
  }

  async listen(channel: string, onNotify: (payload: string) => void, options: ListenOptions = {}): Promise<PgListener> {
    this.#assertOpen();
    if (typeof channel !== 'string' || !CHANNEL.test(channel)) {
      throw new InvalidArgumentError('channel', 'expected 1 to 63 letters, digits, _, ., : or -');
    }
    if (typeof onNotify !== 'function') throw new InvalidArgumentError('onNotify', 'expected a function');
    const listener = new ReconnectingListener({
      clientConfig: {
        connectionString: this.#options.connectionString,
        application_name: `${this.#options.applicationName}:listen`.slice(0, 63),
        keepAlive: true,
        connectionTimeoutMillis: this.#options.acquireTimeoutMs,
      },
      channel,
      onNotify,
      options,
      backoff: LISTEN_BACKOFF,
    });
    await listener.start();
    const tracked: PgListener = {
      channel,
      get listening() {
        return listener.listening;
      },
      close: async () => {
        this.#listeners.delete(tracked);
        await listener.close();
      },
    };
    this.#listeners.add(tracked);
    if (this.#draining !== undefined) await tracked.close();
    return tracked;
  }

  stats(): PoolStats {
    const c = this.#counters;
    return {
      name: this.name,
      total: this.#pool.totalCount,
      idle: this.#pool.idleCount,
      waiting: this.#pool.waitingCount,
      inFlight: this.#inFlight,
      breaker: this.breakerState,
      breakerTransitions: this.#breaker?.transitions ?? { open: 0, halfOpen: 0, closed: 0 },
      acquisitions: c.acquisitions,
      acquireMs: c.acquireMs(),
      acquireTimeouts: c.acquireTimeouts,
      failures: c.failures,
      retries: c.retries,
      rejected: c.rejected,
      healthChecks: c.healthChecks,
      evicted: c.evicted,
      draining: this.#draining !== undefined,
    };
  }

  checkHealth(): Promise<HealthReport> {
    this.#assertOpen();
    return this.#health.check();
  }

  drain(): Promise<void> {
    this.#draining ??= this.#drain();
    return this.#draining;
  }

  async #drain(): Promise<void> {
    await this.#health.stop();
    await this.ready.catch(() => undefined);
    if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
    await Promise.all([...this.#listeners].map((listener) => listener.close()));
    await this.#pool.end();
    this.#breaker?.shutdown();
    this.#publish('stats');
  }

  /** Opens `min` connections at once (holding them all, so that each one is a new connection). */
  async #warmUp(): Promise<void> {
    const held = await Promise.allSettled(Array.from({ length: this.#options.min }, () => checkOut(this.#pool)));
    let failure: unknown;
    for (const outcome of held) {
      if (outcome.status === 'fulfilled') checkIn(outcome.value);
      else failure ??= outcome.reason;
    }
    if (failure !== undefined) throw toPoolError(failure, classifyPgError(failure), this.name, this.#options.acquireTimeoutMs);
  }

  #assertOpen(): void {
    if (this.#draining !== undefined) throw new StoreClosedError(`pool '${this.name}'`);
  }

  async #run<T>(work: (client: pg.PoolClient) => Promise<T>, safety: RetrySafety): Promise<T> {
    this.#assertOpen();
    this.#inFlight++;
    try {
      for (let attempt = 1; ; attempt++) {
        const phase: { at: FailurePhase } = { at: 'acquire' };
        try {
          return this.#breaker === undefined ? await this.#attempt(work, phase) : await this.#breaker.run(() => this.#attempt(work, phase));
        } catch (error) {
          if (isStrataError(error)) {
            if (error.code === 'CIRCUIT_OPEN') this.#counters.rejected++;
            throw error;
          }
          const classified = classifyPgError(error);
          // Not a driver error: the caller's own callback threw; hand it back untouched.
          if (classified.kind === 'unknown' && phase.at === 'execute') throw error;
          this.#counters.failures++;
          if (attempt >= this.#options.retry.maxAttempts || !mayRetry(classified, phase.at, safety)) {
            const mapped = toPoolError(error, classified, this.name, this.#options.acquireTimeoutMs);
            if (mapped.code === 'POOL_TIMEOUT') this.#counters.acquireTimeouts++;
            throw mapped;
          }
          this.#counters.retries++;
          await sleep(backoffDelay(this.#options.retry, attempt));
        }
      }
    } finally {
      this.#inFlight--;
      if (this.#inFlight === 0 && this.#idle !== undefined) this.#idle();
    }
  }

  async #attempt<T>(work: (client: pg.PoolClient) => Promise<T>, phase: { at: FailurePhase }): Promise<T> {
    const started = performance.now();
    const client = await this.#pool.connect();
    this.#recordAcquire(performance.now() - started);
    phase.at = 'execute';
    let broken: Error | undefined;
    // A connection that fails between statements emits 'error' on the client; unhandled, that
    // would crash the process. Remember it and close the connection on release.
    const onError = (error: Error): void => {
      broken ??= error;
    };
    client.on('error', onError);
    try {
      return await work(client);
    } catch (error) {
      const kind = classifyPgError(error).kind;
      if (kind === 'connection' || kind === 'unavailable' || kind === 'timeout') {
        broken ??= error instanceof Error ? error : new Error(String(error));
      }
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  #recordAcquire(ms: number): void {
    this.#counters.acquired(ms);
    if (poolChannel.hasSubscribers) this.#publish('acquire', undefined, ms);
  }

  #onHealthReport(report: HealthReport): void {
    this.#counters.healthChecks++;
    this.#counters.evicted += report.evicted;
    this.#publish('stats');
  }

  #publish(event: PoolMessage['event'], breaker?: BreakerState, acquireMs?: number): void {
    if (!poolChannel.hasSubscribers) return;
    const message: PoolMessage = {
      pool: this.name,
      event,
      total: this.#pool.totalCount,
      idle: this.#pool.idleCount,
      waiting: this.#pool.waitingCount,
      breaker: breaker ?? this.breakerState,
    };
    if (acquireMs !== undefined) message.acquireMs = acquireMs;
    poolChannel.publish(message);
  }
}

function toQueryConfig(query: string | PgQuery, values: readonly unknown[] | undefined): pg.QueryConfig {
  if (typeof query === 'string') return { text: query, values: values as unknown[] | undefined };
  if (typeof query !== 'object' || query === null || typeof query.text !== 'string') {
    throw new InvalidArgumentError('query', 'expected SQL text or { text, values?, name? }');
  }
  return { ...query, values: (values ?? query.values) as unknown[] | undefined } as pg.QueryConfig;
}

function wrapClient(client: pg.PoolClient): PgClient {
  return {
    query: <R>(query: string | PgQuery, values?: readonly unknown[]) =>
      client.query(toQueryConfig(query, values)) as unknown as Promise<PgQueryResult<R>>,
  };
}
