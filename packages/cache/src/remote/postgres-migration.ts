import type { PostgresNames } from './postgres-names.js';
import type { QueryExecutor } from './query-executor.js';

/**
 * Creates the tier's objects if missing, in one `DO` block (one statement, one transaction) under
 * an advisory lock, so several nodes starting at once do not race on `CREATE OR REPLACE FUNCTION`.
 *
 * - The entries table and the invalidation log are UNLOGGED: no WAL, so writes are cheap, and a
 *   server crash empties them — acceptable for a cache, whose source still holds every value.
 * - Keys use the "C" collation, so a prefix is a range of the primary key.
 * - `set_if_unchanged` takes a shared lock and `invalidate` an exclusive one, and each checks or
 *   writes in a statement that starts after its lock is held, so an invalidation either commits
 *   before the check can see it or waits until the guarded write has committed and then removes it.
 */
export async function migratePostgresTier(executor: QueryExecutor, names: PostgresNames, retentionMs: number): Promise<void> {
  const { table, invalidations, sequence, setIfUnchanged, invalidate, lockClass, lockId, base } = names;
  const lock = `${lockClass}, ${lockId}`;
  await executor.query(`DO $do$
BEGIN
  PERFORM pg_advisory_xact_lock(${lock});
  CREATE SCHEMA IF NOT EXISTS ${names.schema};
  CREATE UNLOGGED TABLE IF NOT EXISTS ${table} (
    key text COLLATE "C" PRIMARY KEY,
    value bytea NOT NULL,
    fresh_until float8 NOT NULL,
    stale_until float8 NOT NULL,
    tags text[] NOT NULL DEFAULT '{}',
    version bigint NOT NULL
  );
  CREATE INDEX IF NOT EXISTS "${base}_tags" ON ${table} USING gin (tags);
  CREATE INDEX IF NOT EXISTS "${base}_stale_until" ON ${table} (stale_until);
  CREATE SEQUENCE IF NOT EXISTS ${sequence};
  CREATE UNLOGGED TABLE IF NOT EXISTS ${invalidations} (
    id bigserial PRIMARY KEY,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    kind "char" NOT NULL,
    pattern text NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
  );
  CREATE INDEX IF NOT EXISTS "${base}_invalidations_xid" ON ${invalidations} (xid);
  CREATE INDEX IF NOT EXISTS "${base}_invalidations_at" ON ${invalidations} (at);

  CREATE OR REPLACE FUNCTION ${setIfUnchanged}(
    p_key text, p_value bytea, p_fresh float8, p_stale float8, p_tags text[],
    p_version bigint, p_snapshot pg_snapshot, p_read_at float8
  ) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $fn$
  BEGIN
    PERFORM pg_advisory_xact_lock_shared(${lock});
    -- Invalidations older than the retention are pruned, so an older read cannot be checked.
    IF p_read_at < extract(epoch FROM clock_timestamp()) * 1000 - ${retentionMs} THEN
      RETURN false;
    END IF;
    IF EXISTS (
      SELECT 1 FROM ${invalidations} i
      WHERE i.xid >= pg_snapshot_xmin(p_snapshot)
        AND NOT pg_visible_in_snapshot(i.xid, p_snapshot)
        AND ((i.kind = 'k' AND i.pattern = p_key)
          OR (i.kind = 'p' AND starts_with(p_key, i.pattern))
          OR (i.kind = 't' AND i.pattern = ANY (p_tags)))
    ) THEN
      RETURN false;
    END IF;
    IF p_version IS NULL THEN
      INSERT INTO ${table} (key, value, fresh_until, stale_until, tags, version)
      VALUES (p_key, p_value, p_fresh, p_stale, p_tags, nextval('${sequence}'))
      ON CONFLICT (key) DO NOTHING;
    ELSE
      UPDATE ${table}
      SET value = p_value, fresh_until = p_fresh, stale_until = p_stale, tags = p_tags,
          version = nextval('${sequence}')
      WHERE key = p_key AND version = p_version;
    END IF;
    RETURN FOUND;
  END
  $fn$;

  CREATE OR REPLACE FUNCTION ${invalidate}(p_kind "char", p_patterns text[], p_upper text)
  RETURNS void LANGUAGE plpgsql VOLATILE AS $fn$
  BEGIN
    PERFORM pg_advisory_xact_lock(${lock});
    INSERT INTO ${invalidations} (kind, pattern) SELECT p_kind, unnest(p_patterns);
    IF p_kind = 'k' THEN
      DELETE FROM ${table} WHERE key = ANY (p_patterns);
    ELSIF p_kind = 'p' THEN
      DELETE FROM ${table}
      WHERE key >= p_patterns[1] AND (p_upper IS NULL OR key < p_upper) AND starts_with(key, p_patterns[1]);
    ELSE
      DELETE FROM ${table} WHERE tags @> p_patterns;
    END IF;
  END
  $fn$;
END
$do$`);
}
