import { InvalidArgumentError } from '@strata/core';
import type { BreakerOptions, ResolvedBreakerOptions } from '../breaker/breaker-options.js';
import type { RetryOptions, RetryPolicy } from '../retry/retry-policy.js';

/** Periodic health checks of idle connections. */
export type HealthCheckOptions = {
  /** Time between checks in ms (default 10,000). */
  intervalMs?: number;
  /** How long a check query may take before its connection counts as broken, in ms (default 2,000). */
  timeoutMs?: number;
};

/** Options of `createPgPool`. */
export type PgPoolOptions = {
  /** A libpq-style URL: `postgresql://user:password@host:port/database?sslmode=...`. */
  connectionString: string;
  /** Connections opened at start and kept open when idle (default 1). */
  min?: number;
  /** Most connections open at once (default 10). */
  max?: number;
  /** Name in stats, errors and diagnostics messages (default `'pg'`). */
  name?: string;
  /** How long a caller waits for a connection before `POOL_TIMEOUT`, in ms (default 5,000). */
  acquireTimeoutMs?: number;
  /** How long a connection above `min` may stay idle before it is closed, in ms (default 30,000). */
  idleTimeoutMs?: number;
  /** Server-side `statement_timeout` of every connection, in ms (default: the server's). */
  statementTimeoutMs?: number;
  /** Client-side bound on one query, in ms; the query fails with a `timeout` error (default: none). */
  queryTimeoutMs?: number;
  /** `application_name` shown in `pg_stat_activity` (default the pool name). */
  applicationName?: string;
  /** The circuit breaker around query execution; `false` turns it off. */
  breaker?: BreakerOptions | false;
  /** Health checks of idle connections; `false` turns them off. */
  healthCheck?: HealthCheckOptions | false;
  /** Retries of transient failures. */
  retry?: RetryOptions;
};

/** Options with defaults applied. */
export type ResolvedPoolOptions = {
  connectionString: string;
  min: number;
  max: number;
  name: string;
  acquireTimeoutMs: number;
  idleTimeoutMs: number;
  statementTimeoutMs: number | undefined;
  queryTimeoutMs: number | undefined;
  applicationName: string;
  breaker: ResolvedBreakerOptions | false;
  healthCheck: Required<HealthCheckOptions> | false;
  retry: RetryPolicy;
};

const NAME = /^[\w.:-]{1,63}$/;

/** Validates every option and applies defaults; throws `INVALID_ARGUMENT` naming the first bad option. */
export function resolvePoolOptions(options: PgPoolOptions): ResolvedPoolOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  const { connectionString } = options;
  if (typeof connectionString !== 'string' || connectionString.length === 0) {
    throw new InvalidArgumentError('connectionString', 'expected a non-empty string');
  }
  const max = integer('max', options.max, 10, 1);
  const min = integer('min', options.min, Math.min(1, max), 0);
  if (min > max) throw new InvalidArgumentError('min', `expected at most max (${max})`);
  const name = options.name ?? 'pg';
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new InvalidArgumentError('name', 'expected 1 to 63 letters, digits, _, ., : or -');
  }
  const applicationName = options.applicationName ?? name;
  if (typeof applicationName !== 'string' || applicationName.length > 63) {
    throw new InvalidArgumentError('applicationName', 'expected a string of at most 63 characters');
  }
  return {
    connectionString,
    min,
    max,
    name,
    acquireTimeoutMs: integer('acquireTimeoutMs', options.acquireTimeoutMs, 5_000, 1),
    idleTimeoutMs: integer('idleTimeoutMs', options.idleTimeoutMs, 30_000, 1),
    statementTimeoutMs: optionalInteger('statementTimeoutMs', options.statementTimeoutMs),
    queryTimeoutMs: optionalInteger('queryTimeoutMs', options.queryTimeoutMs),
    applicationName,
    breaker: resolveBreaker(options.breaker),
    healthCheck: resolveHealthCheck(options.healthCheck),
    retry: resolveRetry(options.retry),
  };
}

function resolveBreaker(breaker: PgPoolOptions['breaker']): ResolvedBreakerOptions | false {
  if (breaker === false) return false;
  const given = section('breaker', breaker);
  const errorThresholdPercentage = given.errorThresholdPercentage ?? 50;
  if (typeof errorThresholdPercentage !== 'number' || !(errorThresholdPercentage > 0 && errorThresholdPercentage <= 100)) {
    throw new InvalidArgumentError('breaker.errorThresholdPercentage', 'expected a number above 0 and at most 100');
  }
  return Object.freeze({
    errorThresholdPercentage,
    volumeThreshold: integer('breaker.volumeThreshold', given.volumeThreshold, 10, 0),
    windowMs: integer('breaker.windowMs', given.windowMs, 10_000, 10),
    resetTimeoutMs: integer('breaker.resetTimeoutMs', given.resetTimeoutMs, 2_000, 1),
  });
}

function resolveHealthCheck(healthCheck: PgPoolOptions['healthCheck']): Required<HealthCheckOptions> | false {
  if (healthCheck === false) return false;
  const given = section('healthCheck', healthCheck);
  return {
    intervalMs: integer('healthCheck.intervalMs', given.intervalMs, 10_000, 1),
    timeoutMs: integer('healthCheck.timeoutMs', given.timeoutMs, 2_000, 1),
  };
}

function resolveRetry(retry: RetryOptions | undefined): RetryPolicy {
  const given = section('retry', retry);
  const baseDelayMs = integer('retry.baseDelayMs', given.baseDelayMs, 20, 0);
  const maxDelayMs = integer('retry.maxDelayMs', given.maxDelayMs, 1_000, 0);
  if (maxDelayMs < baseDelayMs) throw new InvalidArgumentError('retry.maxDelayMs', `expected at least retry.baseDelayMs (${baseDelayMs})`);
  return Object.freeze({ maxAttempts: integer('retry.maxAttempts', given.maxAttempts, 3, 1), baseDelayMs, maxDelayMs });
}

function section<T extends object>(name: string, value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(name, name === 'retry' ? 'expected an object' : 'expected an object or false');
  }
  return value;
}

function integer(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min) {
    throw new InvalidArgumentError(name, `expected an integer >= ${min}`);
  }
  return value as number;
}

function optionalInteger(name: string, value: unknown): number | undefined {
  return value === undefined ? undefined : integer(name, value, 0, 1);
}
