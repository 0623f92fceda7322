import { DEFAULT_APPEND_LIMITS, InvalidArgumentError, type AppendLimits } from '@strata/core';
import type { PgPool, PgPoolOptions } from '@strata/pool';
import type { Serializer } from '@strata/serialization';
import type { PayloadFormat } from '../codec/event-codec.js';
import { POSITIONS_PER_TRANSACTION, type Ordering } from '../schema/store-context.js';

/** Options of `createPostgresEventStore`. Give exactly one of `connectionString` and `pool`. */
export type PostgresEventStoreOptions = {
  /** Connection URL; the store creates (and on close drains) a pool of its own. */
  connectionString?: string;
  /** A pool from `createPgPool`, shared with other users; the store never drains it. */
  pool?: PgPool;
  /** Settings of the store's own pool (with `connectionString` only). */
  poolOptions?: Omit<PgPoolOptions, 'connectionString'>;
  /** The PostgreSQL schema holding the store's tables (default `strata`); created and migrated on open. */
  schema?: string;
  /**
   * How positions are assigned, fixed when the schema is created (default `concurrent`). Opening an
   * existing schema with another value is `INVALID_ARGUMENT`; leave it out to take the schema's.
   */
  ordering?: Ordering;
  /**
   * How payloads are stored, fixed when the schema is created: `msgpack` (default) or `json` bytes
   * from the serializer in a `bytea` column, or `jsonb` columns for querying events in SQL.
   * Opening an existing schema with another value is `INVALID_ARGUMENT`; leave it out to take the schema's.
   */
  format?: PayloadFormat;
  /**
   * The serializer (with its registry and upcasters) for `msgpack`/`json` payloads, and for
   * snapshot state in every format. Default: `createSerializer({ format })` (msgpack for `jsonb`).
   */
  serializer?: Serializer;
  /** Append limits; `maxBatchSize` is at most 16,384 (default {@link DEFAULT_APPEND_LIMITS}). */
  limits?: Partial<AppendLimits>;
  /**
   * Group commit (default true): appends made in the same event-loop turn share one call of the
   * append function, one transaction and one commit flush; each keeps its own outcome. With
   * `false` every append is a transaction of its own.
   */
  groupCommit?: boolean;
  /** NOTIFY other nodes after appends so their subscriptions wake at once (default true). */
  notify?: boolean;
  /** Least time between two NOTIFYs of this store, in ms (default 10). */
  notifyIntervalMs?: number;
  /** How often idle subscriptions look at the log anyway, in ms (default 1,000). */
  pollIntervalMs?: number;
};

/** Options after validation. */
export type ResolvedStoreOptions = {
  connectionString: string | undefined;
  pool: PgPool | undefined;
  poolOptions: Omit<PgPoolOptions, 'connectionString'>;
  schema: string;
  ordering: Ordering | undefined;
  format: PayloadFormat | undefined;
  serializer: Serializer | undefined;
  limits: AppendLimits;
  groupCommit: boolean;
  notify: boolean;
  notifyIntervalMs: number;
  pollIntervalMs: number;
};

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;
const MAX_EVENT_BYTES = 256 * 1024 * 1024;

/** Validates every option; throws `INVALID_ARGUMENT` naming the first bad one. */
export function resolveStoreOptions(options: PostgresEventStoreOptions): ResolvedStoreOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  const { connectionString, pool, serializer } = options;
  if ((connectionString === undefined) === (pool === undefined)) {
    throw new InvalidArgumentError('connectionString', 'give exactly one of connectionString and pool');
  }
  if (connectionString !== undefined && (typeof connectionString !== 'string' || connectionString.length === 0)) {
    throw new InvalidArgumentError('connectionString', 'expected a non-empty string');
  }
  if (pool !== undefined && (typeof pool !== 'object' || pool === null || typeof pool.query !== 'function')) {
    throw new InvalidArgumentError('pool', 'expected a pool from createPgPool()');
  }
  const poolOptions = options.poolOptions ?? {};
  if (typeof poolOptions !== 'object' || poolOptions === null) throw new InvalidArgumentError('poolOptions', 'expected an object');
  if (options.poolOptions !== undefined && pool !== undefined) {
    throw new InvalidArgumentError('poolOptions', 'applies only to the pool the store creates (with connectionString)');
  }
  const schema = options.schema ?? 'strata';
  if (typeof schema !== 'string' || !SCHEMA.test(schema)) {
    throw new InvalidArgumentError('schema', 'expected a lowercase identifier: letters, digits and _, starting with a letter or _, at most 63');
  }
  const { ordering, format } = options;
  if (ordering !== undefined && ordering !== 'concurrent' && ordering !== 'strict') {
    throw new InvalidArgumentError('ordering', "expected 'concurrent' or 'strict'");
  }
  if (format !== undefined && format !== 'msgpack' && format !== 'json' && format !== 'jsonb') {
    throw new InvalidArgumentError('format', "expected 'msgpack', 'json' or 'jsonb'");
  }
  if (serializer !== undefined) {
    if (typeof serializer !== 'object' || serializer === null || typeof serializer.encodeEvent !== 'function') {
      throw new InvalidArgumentError('serializer', 'expected a serializer from createSerializer()');
    }
    if (serializer.format === 'protobuf') throw new InvalidArgumentError('serializer', "expected the 'msgpack' or 'json' format");
    if (format !== undefined && format !== 'jsonb' && serializer.format !== format) {
      throw new InvalidArgumentError('serializer', `its format '${serializer.format}' differs from format '${format}'`);
    }
  }
  return {
    connectionString,
    pool,
    poolOptions,
    schema,
    ordering,
    format,
    serializer,
    limits: resolveLimits(options.limits),
    groupCommit: boolean('groupCommit', options.groupCommit, true),
    notify: boolean('notify', options.notify, true),
    notifyIntervalMs: integer('notifyIntervalMs', options.notifyIntervalMs, 10, 0),
    pollIntervalMs: integer('pollIntervalMs', options.pollIntervalMs, 1_000, 1),
  };
}

function resolveLimits(limits: Partial<AppendLimits> | undefined): AppendLimits {
  if (limits === undefined) return { ...DEFAULT_APPEND_LIMITS };
  if (typeof limits !== 'object' || limits === null) throw new InvalidArgumentError('limits', 'expected an object');
  const maxBatchSize = limits.maxBatchSize ?? DEFAULT_APPEND_LIMITS.maxBatchSize;
  if (!Number.isSafeInteger(maxBatchSize) || maxBatchSize < 1 || maxBatchSize > POSITIONS_PER_TRANSACTION) {
    throw new InvalidArgumentError('limits.maxBatchSize', `expected an integer from 1 to ${POSITIONS_PER_TRANSACTION}`);
  }
  const maxEventBytes = limits.maxEventBytes ?? DEFAULT_APPEND_LIMITS.maxEventBytes;
  if (!Number.isSafeInteger(maxEventBytes) || maxEventBytes < 1 || maxEventBytes > MAX_EVENT_BYTES) {
    throw new InvalidArgumentError('limits.maxEventBytes', `expected an integer from 1 to ${MAX_EVENT_BYTES}`);
  }
  return { maxBatchSize, maxEventBytes };
}

function boolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(name, 'expected a boolean');
  return value;
}

function integer(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min) throw new InvalidArgumentError(name, `expected an integer >= ${min}`);
  return value as number;
}
