import {
  StreamDeletedError,
  WrongExpectedVersionError,
  type EventMetadata,
  type ExpectedVersion,
  type StreamInfo,
} from '@strata/core';
import { int8AsNumber } from '@strata/pool';
import { expectedKind, expectedVersionFailsSql } from '../append/expected-version-sql.js';
import { FUNCTION_OPTIONS, qualified, statement, type StoreContext, type Statement } from '../schema/store-context.js';

const DONE = 0;
const WRONG_VERSION = 1;
const DELETED = 2;

/**
 * The delete function. Under the stream's advisory lock and row lock (so it serialises with
 * appends): a soft delete hides the stream's events (they keep their ids, so a retry of an old
 * append is still recognised) and remembers where the visible part starts; a hard delete removes
 * the events and tombstones the stream. Both drop the stream's snapshots.
 */
export function deleteFunctionSql(schema: string, seed: number): string {
  const q = (name: string) => qualified(schema, name);
  return `
CREATE OR REPLACE FUNCTION ${q('delete_stream')}(p_stream text, p_expected_kind smallint, p_expected bigint, p_hard boolean)
RETURNS TABLE (o_outcome smallint, o_version bigint) ${FUNCTION_OPTIONS} AS $fn$
DECLARE
  v_found boolean;
  v_version bigint;
  v_visible_from bigint;
  v_hard boolean;
  v_current bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, ${seed}));
  SELECT s.version, s.visible_from, s.hard_deleted INTO v_version, v_visible_from, v_hard
    FROM ${q('streams')} s WHERE s.stream_id = p_stream FOR UPDATE;
  v_found := FOUND;
  IF v_found AND v_hard THEN
    RETURN QUERY SELECT ${DELETED}::smallint, v_version;
    RETURN;
  END IF;
  v_current := CASE WHEN NOT v_found OR v_version < v_visible_from THEN -1 ELSE v_version END;
  IF ${expectedVersionFailsSql('p_expected_kind', 'p_expected', 'v_current')} THEN
    RETURN QUERY SELECT ${WRONG_VERSION}::smallint, v_current;
    RETURN;
  END IF;
  IF NOT v_found THEN
    IF p_hard THEN
      INSERT INTO ${q('streams')} (stream_id, version, visible_from, soft_deleted, hard_deleted) VALUES (p_stream, -1, 0, true, true);
    END IF;
  ELSIF p_hard THEN
    DELETE FROM ${q('events')} WHERE stream_id = p_stream;
    UPDATE ${q('streams')} SET hard_deleted = true, soft_deleted = true, visible_from = v_version + 1 WHERE stream_id = p_stream;
  ELSE
    UPDATE ${q('events')} SET hidden = true WHERE stream_id = p_stream AND version >= v_visible_from AND NOT hidden;
    UPDATE ${q('streams')} SET soft_deleted = true, visible_from = v_version + 1 WHERE stream_id = p_stream;
  END IF;
  DELETE FROM ${q('snapshots')} WHERE stream_id = p_stream;
  RETURN QUERY SELECT ${DONE}::smallint, v_current;
END
$fn$`;
}

/** The metadata function: replaces a stream's metadata (creating the stream row), unless tombstoned. */
export function setMetadataFunctionSql(schema: string, metadataType: string, seed: number): string {
  const q = (name: string) => qualified(schema, name);
  return `
CREATE OR REPLACE FUNCTION ${q('set_stream_metadata')}(p_stream text, p_metadata ${metadataType})
RETURNS boolean ${FUNCTION_OPTIONS} AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, ${seed}));
  INSERT INTO ${q('streams')} AS s (stream_id, metadata) VALUES (p_stream, p_metadata)
    ON CONFLICT (stream_id) DO UPDATE SET metadata = EXCLUDED.metadata WHERE NOT s.hard_deleted;
  RETURN FOUND;
END
$fn$`;
}

/** The statements of the stream lifecycle, built once per store. */
export type LifecycleStatements = { delete: Statement; setMetadata: Statement; info: Statement };

export function lifecycleStatements(schema: string): LifecycleStatements {
  return {
    delete: statement(`SELECT * FROM ${qualified(schema, 'delete_stream')}($1, $2, $3, $4)`),
    setMetadata: statement(`SELECT ${qualified(schema, 'set_stream_metadata')}($1, $2) AS updated`),
    info: statement(
      `SELECT version, visible_from, soft_deleted, hard_deleted, metadata FROM ${qualified(schema, 'streams')} WHERE stream_id = $1`,
    ),
  };
}

/** Soft- or hard-deletes a stream. Throws `WRONG_EXPECTED_VERSION` or `STREAM_DELETED`. */
export async function deleteStream(
  ctx: StoreContext,
  statements: LifecycleStatements,
  stream: string,
  expected: ExpectedVersion,
  hard: boolean,
): Promise<void> {
  const [kind, version] = expectedKind(expected);
  const { rows } = await ctx.pool.query<{ o_outcome: number; o_version: number }>(
    { ...statements.delete, types: int8AsNumber },
    [stream, kind, version, hard],
    { idempotent: true },
  );
  const row = rows[0];
  if (row?.o_outcome === DELETED) throw new StreamDeletedError(stream);
  if (row?.o_outcome === WRONG_VERSION) throw new WrongExpectedVersionError(stream, expected, row.o_version);
}

/** Replaces a stream's metadata. Throws `STREAM_DELETED` for a tombstoned stream. */
export async function setStreamMetadata(ctx: StoreContext, statements: LifecycleStatements, stream: string, metadata: EventMetadata): Promise<void> {
  const { rows } = await ctx.pool.query<{ updated: boolean }>(statements.setMetadata, [stream, ctx.codec.encodeMetadata(metadata)], {
    idempotent: true,
  });
  if (rows[0]?.updated !== true) throw new StreamDeletedError(stream);
}

type InfoRow = { version: number; visible_from: number; soft_deleted: boolean; hard_deleted: boolean; metadata: unknown };

/** Facts about a stream, or `undefined` when it was never written. */
export async function streamInfo(ctx: StoreContext, statements: LifecycleStatements, stream: string): Promise<StreamInfo | undefined> {
  const { rows } = await ctx.pool.query<InfoRow>({ ...statements.info, types: int8AsNumber }, [stream], { idempotent: true });
  const row = rows[0];
  if (row === undefined) return undefined;
  return {
    version: row.version >= row.visible_from ? row.version : -1,
    deleted: row.soft_deleted || row.hard_deleted,
    hardDeleted: row.hard_deleted,
    metadata: ctx.codec.decodeMetadata(row.metadata),
  };
}
