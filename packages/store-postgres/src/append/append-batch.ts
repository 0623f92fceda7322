import {
  StreamDeletedError,
  WrongExpectedVersionError,
  type AppendResult,
  type ExpectedVersion,
} from '@strata/core';
import type { EventCodec } from '../codec/event-codec.js';
import {
  FUNCTION_OPTIONS,
  POSITIONS_PER_TRANSACTION,
  qualified,
  statement,
  type StoreSettings,
  type Statement,
} from '../schema/store-context.js';
import { expectedKind, expectedVersionFailsSql } from './expected-version-sql.js';
import type { PreparedEvent } from './prepare-events.js';
import { resolveRetry, type StoredEvent } from './resolve-retry.js';

/** Outcomes of one append of a batch, in the function's first column. */
const APPENDED = 0;
const WRONG_VERSION = 1;
const DELETED = 2;
const IDS_FOUND = 3;

/** SQLSTATE the function raises when called after its transaction already wrote something. */
export const NOT_FIRST_WRITE = 'SA001';

/**
 * The append function: one call appends a batch of appends (one or more streams) in one
 * transaction and one round trip. For each append it locks the stream row (`FOR UPDATE`), checks
 * the tombstone, the event ids (`p_probes`: every supplied id, plus one generated id per append,
 * which is enough to recognise an append sent again) and the expected version, and inserts; a
 * failed check writes nothing for that append and is reported as an outcome, the other appends of
 * the batch go on.
 *
 * Ordering (`concurrent`): it first takes the advisory locks of all the batch's streams, in key
 * order (no deadlocks between batches), before the transaction has written anything and so before
 * it has a transaction id. A later append to one of those streams waits for this transaction to
 * end before it gets an id, so its id, and its positions, are higher: positions follow versions
 * within every stream. That is also why the function refuses to run in a transaction that has
 * already written (`SA001`) in `concurrent` ordering. In `strict` ordering positions come from the
 * `log_head` counter, locked until commit, so commits happen in position order.
 */
export function appendFunctionSql(schema: string, codec: EventCodec, settings: StoreSettings, seed: number): string {
  const q = (name: string) => qualified(schema, name);
  const columns = codec.payloadColumns;
  const params = columns.map((column, i) => `p_${column} ${codec.payloadTypes[i]}[]`).join(', ');
  const one = columns.map((column) => `p_${column}[v_start]`).join(', ');
  const slices = columns.map((column) => `p_${column}[v_start:v_end]`).join(', ');
  const unnested = columns.map((column) => `u_${column}`).join(', ');
  const found = ['e.event_id', 'e.stream_id', 'e.version', 'e.position', 'e.type', 'e.schema_version', 'e.landed_on_empty', ...codec.payloadJsonSql];
  const concurrent = settings.ordering === 'concurrent';
  const firstPosition = concurrent
    ? `v_next := (pg_current_xact_id()::text::bigint - ${settings.positionBase}) * ${POSITIONS_PER_TRANSACTION};
        v_limit := v_next + ${POSITIONS_PER_TRANSACTION};`
    : `SELECT h.last_position + 1 INTO v_next FROM ${q('log_head')} h FOR UPDATE;
        v_limit := v_next + ${POSITIONS_PER_TRANSACTION};`;
  const firstWriteCheck = concurrent
    ? `IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'append_batch must be the first write of its transaction' USING ERRCODE = '${NOT_FIRST_WRITE}';
  END IF;`
    : '';
  const finish = concurrent ? '' : `IF v_next IS NOT NULL THEN UPDATE ${q('log_head')} SET last_position = v_next - 1; END IF;`;
  return `
CREATE OR REPLACE FUNCTION ${q('append_batch')}(
  p_streams text[], p_kinds smallint[], p_expected bigint[], p_counts integer[],
  p_probes text[], p_probe_counts integer[],
  p_ids text[], p_types text[], p_schema_versions integer[], ${params}
) RETURNS TABLE (o_outcome smallint, o_version bigint, o_position bigint, o_found jsonb)
${FUNCTION_OPTIONS} AS $fn$
DECLARE
  v_key bigint;
  v_start integer := 1;
  v_end integer;
  v_probe_start integer := 1;
  v_probe_end integer;
  v_count integer;
  v_stream text;
  v_found boolean;
  v_version bigint;
  v_visible_from bigint;
  v_hard boolean;
  v_current bigint;
  v_first_version bigint;
  v_next bigint;
  v_limit bigint;
BEGIN
  ${firstWriteCheck}
  FOR v_key IN SELECT DISTINCT hashtextextended(s, ${seed}) FROM unnest(p_streams) AS s ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(v_key);
  END LOOP;
  FOR a IN 1 .. cardinality(p_streams) LOOP
    v_stream := p_streams[a];
    v_count := p_counts[a];
    v_end := v_start + v_count - 1;
    v_probe_end := v_probe_start + p_probe_counts[a] - 1;
    o_position := NULL;
    o_found := NULL;
    SELECT s.version, s.visible_from, s.hard_deleted INTO v_version, v_visible_from, v_hard
      FROM ${q('streams')} s WHERE s.stream_id = v_stream FOR UPDATE;
    v_found := FOUND;
    v_current := CASE WHEN NOT v_found OR v_version < v_visible_from THEN -1 ELSE v_version END;
    IF v_found AND v_hard THEN
      o_outcome := ${DELETED};
      o_version := v_version;
    ELSIF EXISTS (SELECT 1 FROM ${q('events')} e WHERE e.event_id = ANY (p_probes[v_probe_start:v_probe_end])) THEN
      o_outcome := ${IDS_FOUND};
      o_version := v_current;
      SELECT jsonb_agg(jsonb_build_array(${found.join(', ')})) INTO o_found
        FROM ${q('events')} e WHERE e.event_id = ANY (p_ids[v_start:v_end]);
    ELSIF ${expectedVersionFailsSql('p_kinds[a]', 'p_expected[a]', 'v_current')} THEN
      o_outcome := ${WRONG_VERSION};
      o_version := v_current;
    ELSE
      IF v_found THEN
        v_first_version := v_version + 1;
        UPDATE ${q('streams')} SET version = v_version + v_count, soft_deleted = false WHERE stream_id = v_stream;
      ELSE
        v_first_version := 0;
        INSERT INTO ${q('streams')} (stream_id, version) VALUES (v_stream, v_count - 1);
      END IF;
      IF v_next IS NULL THEN
        ${firstPosition}
      END IF;
      IF v_next + v_count > v_limit THEN
        RAISE EXCEPTION 'more than ${POSITIONS_PER_TRANSACTION} events in one transaction' USING ERRCODE = '54000';
      END IF;
      IF v_count = 1 THEN
        INSERT INTO ${q('events')} (position, stream_id, version, event_id, type, schema_version, ${columns.join(', ')}, landed_on_empty)
        VALUES (v_next, v_stream, v_first_version, p_ids[v_start], p_types[v_start], p_schema_versions[v_start], ${one}, v_current = -1);
      ELSE
        INSERT INTO ${q('events')} (position, stream_id, version, event_id, type, schema_version, ${columns.join(', ')}, landed_on_empty)
        SELECT v_next + u.i - 1, v_stream, v_first_version + u.i - 1, u.id, u.type, u.sv, ${columns.map((c) => `u.u_${c}`).join(', ')}, v_current = -1
        FROM unnest(p_ids[v_start:v_end], p_types[v_start:v_end], p_schema_versions[v_start:v_end], ${slices})
          WITH ORDINALITY AS u(id, type, sv, ${unnested}, i);
      END IF;
      v_next := v_next + v_count;
      o_outcome := ${APPENDED};
      o_version := v_first_version + v_count - 1;
      o_position := v_next - 1;
    END IF;
    RETURN NEXT;
    v_start := v_end + 1;
    v_probe_start := v_probe_end + 1;
  END LOOP;
  ${finish}
END
$fn$`;
}

/** The statement that calls the append function. */
export function appendBatchStatement(schema: string, codec: EventCodec): Statement {
  const params = codec.payloadColumns.map((_, i) => `$${10 + i}`).join(', ');
  return statement(`SELECT * FROM ${qualified(schema, 'append_batch')}($1, $2, $3, $4, $5, $6, $7, $8, $9, ${params})`);
}

/** One append of a batch. */
export type AppendRequest = {
  readonly stream: string;
  readonly expected: ExpectedVersion;
  readonly events: readonly PreparedEvent[];
};

/** The parameters of one call of the append function, in the order of {@link appendBatchStatement}. */
export function appendBatchParameters(batch: readonly AppendRequest[], codec: EventCodec): unknown[] {
  const streams: string[] = [];
  const kinds: number[] = [];
  const expected: number[] = [];
  const counts: number[] = [];
  const probes: string[] = [];
  const probeCounts: number[] = [];
  const ids: string[] = [];
  const types: string[] = [];
  const schemaVersions: number[] = [];
  const payload: unknown[][] = codec.payloadColumns.map(() => []);
  for (const request of batch) {
    const [kind, version] = expectedKind(request.expected);
    streams.push(request.stream);
    kinds.push(kind);
    expected.push(version);
    counts.push(request.events.length);
    const probed = probes.length;
    let generated = false;
    for (const event of request.events) {
      // Supplied ids can collide with anything stored. Generated ones only with a resend of this
      // very append, whose events were stored together: one of them is enough to find it.
      if (event.hasId || !generated) probes.push(event.id);
      if (!event.hasId) generated = true;
      ids.push(event.id);
      types.push(event.type);
      schemaVersions.push(event.encoded.schemaVersion);
      for (let c = 0; c < payload.length; c++) payload[c]!.push(event.encoded.values[c]);
    }
    probeCounts.push(probes.length - probed);
  }
  return [streams, kinds, expected, counts, probes, probeCounts, ids, types, schemaVersions, ...payload];
}

/** A row of the append function: one per append, in batch order. */
export type AppendRow = [outcome: number, version: number, position: number | null, found: unknown[][] | null];

/**
 * Turns one append's outcome into its result or the contract's error: `WRONG_EXPECTED_VERSION`,
 * `STREAM_DELETED`, or for reused event ids the idempotent-retry decision.
 */
export function appendOutcome(request: AppendRequest, row: AppendRow, codec: EventCodec): AppendResult {
  const [outcome, version, position, found] = row;
  switch (outcome) {
    case APPENDED:
      return { nextExpectedVersion: version, position: position as number };
    case WRONG_VERSION:
      throw new WrongExpectedVersionError(request.stream, request.expected, version);
    case DELETED:
      throw new StreamDeletedError(request.stream);
    case IDS_FOUND:
      return resolveRetry(request.stream, request.events, request.expected, version, (found ?? []).map((f) => toStored(f, codec)), codec);
    default:
      throw new Error(`the append function returned outcome ${outcome}`);
  }
}

function toStored(values: unknown[], codec: EventCodec): StoredEvent {
  const [id, streamId, version, position, type, schemaVersion, landedOnEmpty, ...payload] = values;
  return {
    id: id as string,
    streamId: streamId as string,
    version: Number(version),
    position: Number(position),
    type: type as string,
    schemaVersion: Number(schemaVersion),
    landedOnEmpty: landedOnEmpty === true,
    payload: codec.payloadFromJson(payload),
  };
}
