import { InvalidArgumentError, StoreClosedError } from '@strata/core';
import { durationMs, objectOption, positiveInteger, rejectUnknown } from '../internal/validate.js';
import { migratePostgresTier } from './postgres-migration.js';
import { postgresNames, type PostgresNames } from './postgres-names.js';
import type { QueryExecutor } from './query-executor.js';
import type { RemoteEntry, RemoteRead, RemoteTier } from './remote-tier.js';

/** Options of {@link createPostgresRemoteTier}. */
export type PostgresRemoteTierOptions = {
  /** Runs the tier's statements: a `pg.Pool`, `@strata/pool`'s pool, or anything with `query(text, params)`. */
  executor: QueryExecutor;
  /** Schema of the tier's objects (default `public`; created if missing). */
  schema?: string;
  /** Name of the entries table (default `strata_cache`); other objects take it as a prefix. */
  table?: string;
  /**
   * How long invalidations are remembered, in ms (default 600,000). A load that takes longer than
   * this is not stored (it cannot be checked against invalidations that old).
   */
  invalidationRetentionMs?: number;
  /** Prune expired entries and old invalidations after this many writes and invalidations (default 1,000). */
  pruneEvery?: number;
  /** Wall clock in ms, for expiry pruning (default `Date.now`). */
  clock?: () => number;
};

/** The PostgreSQL remote tier: a {@link RemoteTier} plus maintenance. */
export interface PostgresRemoteTier extends RemoteTier {
  /** Deletes entries past their stale deadline and invalidations past retention; returns the counts. */
  prune(): Promise<{ entries: number; invalidations: number }>;
}

type Token = { readonly version: string | null; readonly snapshot: string; readonly readAt: number };
type ReadRow = {
  snapshot: string;
  read_at: number;
  value: Buffer | null;
  fresh_until: number | null;
  stale_until: number | null;
  tags: string[] | null;
  version: string | null;
};

const KNOWN = new Set(['executor', 'schema', 'table', 'invalidationRetentionMs', 'pruneEvery', 'clock']);
/** Invalidations are kept this much longer than the reads they are checked against may be old. */
const PRUNE_MARGIN_MS = 60_000;

/**
 * Creates (or opens) a remote tier in PostgreSQL: UNLOGGED tables that several machines share, so
 * a value loaded on one is a hit on the others. Creates its schema objects if missing.
 *
 * @throws InvalidArgumentError (`INVALID_ARGUMENT`) naming a bad option; the executor's error if
 * the migration fails.
 *
 * @example
 * const remote = await createPostgresRemoteTier({ executor: new pg.Pool({ connectionString }) });
 * const cache = createTieredCache({ l1: { maxEntries: 10_000 }, remote, load });
 */
export async function createPostgresRemoteTier(options: PostgresRemoteTierOptions): Promise<PostgresRemoteTier> {
  const record = objectOption(options, 'options');
  rejectUnknown(record, KNOWN, '');
  const executor = record['executor'] as QueryExecutor | undefined;
  if (typeof executor !== 'object' || executor === null || typeof executor.query !== 'function') {
    throw new InvalidArgumentError('executor', 'expected an object with query(text, params)');
  }
  const names = postgresNames(record['schema'] ?? 'public', record['table'] ?? 'strata_cache');
  const retentionMs = durationMs(record['invalidationRetentionMs'], 'invalidationRetentionMs', 600_000);
  const pruneEvery = positiveInteger(record['pruneEvery'], 'pruneEvery', 1_000);
  const clock = record['clock'] ?? Date.now;
  if (typeof clock !== 'function') throw new InvalidArgumentError('clock', 'expected a function returning ms');
  await migratePostgresTier(executor, names, retentionMs);
  return new PostgresTier(executor, names, retentionMs, pruneEvery, clock as () => number);
}

class PostgresTier implements PostgresRemoteTier {
  readonly #executor: QueryExecutor;
  readonly #names: PostgresNames;
  readonly #retentionMs: number;
  readonly #pruneEvery: number;
  readonly #clock: () => number;
  readonly #sql: { get: string; setMany: string; setIfUnchanged: string; invalidate: string };
  #operations = 0;
  #pruning: Promise<unknown> | undefined;
  #closed = false;

  constructor(executor: QueryExecutor, names: PostgresNames, retentionMs: number, pruneEvery: number, clock: () => number) {
    this.#executor = executor;
    this.#names = names;
    this.#retentionMs = retentionMs;
    this.#pruneEvery = pruneEvery;
    this.#clock = clock;
    // The read returns one row even for a missing key, so the snapshot always comes back.
    this.#sql = {
      get: `SELECT pg_current_snapshot()::text AS snapshot,
          (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS read_at,
          t.value, t.fresh_until, t.stale_until, t.tags, t.version::text AS version
        FROM (SELECT 1) AS one LEFT JOIN ${names.table} AS t ON t.key = $1`,
      setMany: `INSERT INTO ${names.table} AS t (key, value, fresh_until, stale_until, tags, version)
        SELECT u.key, u.value, u.fresh, u.stale,
          ARRAY(SELECT jsonb_array_elements_text(u.tags::jsonb)), nextval('${names.sequence}')
        FROM unnest($1::text[], $2::bytea[], $3::float8[], $4::float8[], $5::text[]) AS u(key, value, fresh, stale, tags)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, fresh_until = excluded.fresh_until,
          stale_until = excluded.stale_until, tags = excluded.tags, version = excluded.version`,
      setIfUnchanged: `SELECT ${names.setIfUnchanged}($1, $2, $3, $4, $5, $6, $7::pg_snapshot, $8) AS written`,
      invalidate: `SELECT ${names.invalidate}($1, $2, $3)`,
    };
  }

  async get(key: string): Promise<RemoteRead> {
    this.#assertOpen();
    const { rows } = await this.#executor.query(this.#sql.get, [key]);
    const row = rows[0] as ReadRow;
    const token: Token = { version: row.version, snapshot: row.snapshot, readAt: Number(row.read_at) };
    if (row.value === null) return { entry: undefined, token };
    return {
      entry: {
        key,
        value: row.value,
        freshUntil: Number(row.fresh_until),
        staleUntil: Number(row.stale_until),
        tags: row.tags ?? [],
      },
      token,
    };
  }

  async setMany(entries: readonly RemoteEntry[]): Promise<void> {
    this.#assertOpen();
    if (entries.length === 0) return;
    // One statement cannot update a row twice: the last entry of each key wins.
    const latest = new Map<string, RemoteEntry>();
    for (const entry of entries) latest.set(entry.key, entry);
    const rows = [...latest.values()];
    await this.#executor.query(this.#sql.setMany, [
      rows.map((e) => e.key),
      rows.map((e) => toBuffer(e.value)),
      rows.map((e) => e.freshUntil),
      rows.map((e) => e.staleUntil),
      rows.map((e) => JSON.stringify(e.tags)),
    ]);
    this.#countOperation(rows.length);
  }

  async setIfUnchanged(entry: RemoteEntry, token: unknown): Promise<boolean> {
    this.#assertOpen();
    if (!isToken(token)) throw new InvalidArgumentError('token', 'expected a token returned by get() of this tier');
    const { rows } = await this.#executor.query(this.#sql.setIfUnchanged, [
      entry.key,
      toBuffer(entry.value),
      entry.freshUntil,
      entry.staleUntil,
      entry.tags,
      token.version,
      token.snapshot,
      token.readAt,
    ]);
    this.#countOperation(1);
    return (rows[0] as { written: boolean }).written === true;
  }

  async invalidate(keys: readonly string[]): Promise<void> {
    this.#assertOpen();
    if (keys.length === 0) return;
    await this.#executor.query(this.#sql.invalidate, ['k', [...keys], null]);
    this.#countOperation(keys.length);
  }

  async invalidatePrefix(prefix: string): Promise<void> {
    this.#assertOpen();
    await this.#executor.query(this.#sql.invalidate, ['p', [prefix], prefixUpperBound(prefix)]);
    this.#countOperation(1);
  }

  async invalidateTag(tag: string): Promise<void> {
    this.#assertOpen();
    await this.#executor.query(this.#sql.invalidate, ['t', [tag], null]);
    this.#countOperation(1);
  }

  async prune(): Promise<{ entries: number; invalidations: number }> {
    this.#assertOpen();
    const names = this.#names;
    const entries = await this.#executor.query(`DELETE FROM ${names.table} WHERE stale_until < $1 RETURNING 1`, [this.#clock()]);
    const invalidations = await this.#executor.query(
      `DELETE FROM ${names.invalidations} WHERE at < clock_timestamp() - make_interval(secs => $1::float8 / 1000) RETURNING 1`,
      [this.#retentionMs + PRUNE_MARGIN_MS],
    );
    return { entries: entries.rows.length, invalidations: invalidations.rows.length };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#pruning;
  }

  #countOperation(count: number): void {
    this.#operations += count;
    if (this.#operations < this.#pruneEvery || this.#pruning !== undefined) return;
    this.#operations = 0;
    // Maintenance must not fail or delay the write that triggered it; the next trigger retries.
    this.#pruning = this.prune()
      .catch(() => undefined)
      .finally(() => {
        this.#pruning = undefined;
      });
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError('remote cache tier');
  }
}

function isToken(value: unknown): value is Token {
  if (typeof value !== 'object' || value === null) return false;
  const token = value as Record<string, unknown>;
  return typeof token['snapshot'] === 'string' && typeof token['readAt'] === 'number' && (token['version'] === null || typeof token['version'] === 'string');
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The smallest string above every string that starts with `prefix` (in code point order, which is
 * the "C" collation's byte order): the prefix with its last code point incremented (dropping trailing
 * U+10FFFF). Null when there is none (an empty prefix, or only U+10FFFF): the range is then open-ended.
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = [...prefix];
  while (points.length > 0) {
    const last = (points.pop() as string).codePointAt(0) as number;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return null;
}
