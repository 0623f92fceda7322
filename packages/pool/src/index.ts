export { createPgPool } from './pool/create-pg-pool.js';
export type { PgPoolOptions, HealthCheckOptions } from './pool/pool-options.js';
export type {
  PgPool,
  PgClient,
  PgQuery,
  PgQueryResult,
  PgRow,
  PgTypeParsers,
  QueryOptions,
  PoolStats,
  HealthReport,
} from './pool/pg-pool.js';
export type { BreakerOptions, BreakerTransitions } from './breaker/breaker-options.js';
export type { RetryOptions } from './retry/retry-policy.js';
export type { ListenOptions, PgListener } from './listen/listener-types.js';
export { classifyPgError, type PgErrorClass, type PgErrorKind } from './errors/classify-pg-error.js';
export { poolChannel, type PoolMessage, type BreakerState } from './diagnostics/pool-message.js';
export { int8AsNumber } from './types/int8-as-number.js';
