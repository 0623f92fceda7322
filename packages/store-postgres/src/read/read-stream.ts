import type { ReadStreamOptions, RecordedEvent } from '@strata/core';
import { int8AsNumber, type PgQuery } from '@strata/pool';
import { qualified, statement, type StoreContext } from '../schema/store-context.js';
import { eventColumns, toRecordedEvent } from './event-row.js';
import type { PageSource } from './paged-iterable.js';

/** Rows fetched per round trip of a stream read. */
const PAGE = 1_000;
const VERSION = 1;

/** The two queries of stream reads. */
export type StreamReadQueries = { forward: PgQuery; backward: PgQuery };

/**
 * Stream reads see every committed event of the stream at once: versions are assigned under the
 * stream's lock, so no event can later appear below one already read.
 */
export function streamReadQueries(ctx: Pick<StoreContext, 'schema' | 'codec'>): StreamReadQueries {
  const from = `${qualified(ctx.schema, 'events')} WHERE stream_id = $1 AND NOT hidden`;
  const columns = eventColumns(ctx.codec, false)
    .map((column) => column.sql)
    .join(', ');
  const options = { rowMode: 'array', types: int8AsNumber } as const;
  return {
    forward: { ...statement(`SELECT ${columns} FROM ${from} AND version >= $2 ORDER BY version LIMIT $3`), ...options },
    backward: { ...statement(`SELECT ${columns} FROM ${from} AND version <= $2 ORDER BY version DESC LIMIT $3`), ...options },
  };
}

/** The pages of one stream read, {@link PAGE} events at a time; options are validated by the caller. */
export function streamPages(ctx: StoreContext, queries: StreamReadQueries, stream: string, options: ReadStreamOptions): PageSource<RecordedEvent> {
  const backward = options.direction === 'backward';
  const query = backward ? queries.backward : queries.forward;
  let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
  let cursor = options.from ?? (backward ? Number.MAX_SAFE_INTEGER : 0);
  return async () => {
    if (remaining <= 0 || cursor < 0) return undefined;
    const limit = Math.min(PAGE, remaining);
    const { rows } = await ctx.pool.query<unknown[]>(query, [stream, cursor, limit], { idempotent: true });
    remaining = rows.length < limit ? 0 : remaining - rows.length;
    const last = rows[rows.length - 1];
    if (last !== undefined) cursor = backward ? (last[VERSION] as number) - 1 : (last[VERSION] as number) + 1;
    return rows.map((row) => toRecordedEvent(row, ctx.codec, 0, stream));
  };
}
