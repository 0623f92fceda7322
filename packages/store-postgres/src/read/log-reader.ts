import { StoreClosedError, type EventFilter, type RecordedEvent } from '@strata/core';
import { int8AsNumber, type PgQuery } from '@strata/pool';
import type { EventCodec } from '../codec/event-codec.js';
import { POSITIONS_PER_TRANSACTION, qualified, statement, type StoreContext, type StoreSettings } from '../schema/store-context.js';
import { eventColumns, toRecordedEvent } from './event-row.js';
import type { PageSource } from './paged-iterable.js';

/** Rows fetched per round trip of `readAll`. */
const PAGE = 512;
/** Longest pause between two looks at a bound held back by an older transaction, in ms. */
const MAX_FLOOR_WAIT_MS = 50;
/**
 * Leading columns of `read_log` rows (set in the header row only): the bound, whether it is held
 * back, and the position below which every transaction has ended.
 */
const BOUND = 0;
const HELD = 1;
const SETTLED = 2;
const EVENT = 3;

/** A page of the log below the stable bound. */
export type LogPage = {
  events: RecordedEvent[];
  /** Everything below this position is final: no event can ever be committed there. */
  bound: number;
  /** Whether committed events already exist at or above the bound (an older transaction holds it back). */
  held: boolean;
  /**
   * Every transaction that could write below this position has ended. It is the bound before its
   * cap (the bound can sit lower when the newest events were hard-deleted); a store instance waits
   * for it to pass its own appends before it reads the global log.
   */
  settled: number;
};

/**
 * SQL computing the stable bound (`v_bound`), the newest position (`v_newest`) and the settled
 * position (`v_settled`): no event can ever be committed below the bound.
 *
 * `concurrent` ordering: a position holds the id of the transaction that wrote it, and every
 * transaction below the snapshot's xmin has ended, so nothing new can appear below
 * `(xmin - base) * 16384`. Transaction ids are not durable on their own, though: after a crash
 * PostgreSQL hands out again the ids of transactions that ended without a flushed WAL record (a
 * rollback, a transaction that took an id and wrote nothing). So the bound is also capped just
 * above the transaction of the newest stored event, whose commit was flushed: ids after a crash
 * are always higher than that one. (With `synchronous_commit = off` the newest commits themselves
 * can be lost in a crash, and with them this guarantee.)
 *
 * `strict` ordering: positions come from a counter that each append holds locked until it
 * commits, so everything below the committed counter is final.
 */
function boundSql(schema: string, settings: StoreSettings): string {
  const k = POSITIONS_PER_TRANSACTION;
  const newest = `SELECT max(e.position) INTO v_newest FROM ${qualified(schema, 'events')} e;`;
  if (settings.ordering === 'strict') {
    return `${newest}
    SELECT h.last_position + 1 INTO v_bound FROM ${qualified(schema, 'log_head')} h;
    v_settled := v_bound;`;
  }
  return `${newest}
    v_settled := (pg_snapshot_xmin(pg_current_snapshot())::text::bigint - ${settings.positionBase}) * ${k};
    v_bound := LEAST(v_settled, (COALESCE(v_newest, 0) / ${k} + 1) * ${k});`;
}

/**
 * The read function of the global log: a page from `p_from` below the bound, in position order,
 * filtered by types and categories (NULL: no filter). Without `p_bound` it computes a fresh bound
 * and returns it first, in a header row of its own (event rows carry NULL there, which costs
 * nothing to parse). It is STABLE, so the bound and the rows come from one snapshot, and it turns
 * sorts and bitmap scans off: a page is always an ordered walk of the primary key that stops after
 * `p_max` rows, whatever the planner's statistics say about the range.
 */
export function readLogFunctionSql(schema: string, codec: EventCodec, settings: StoreSettings): string {
  // The function's result type is part of the schema (migration 1): the columns as stored.
  const columns = eventColumns(codec, true, 'e', true);
  const out = columns.map((column, i) => `r_${i} ${column.type}`).join(', ');
  const nulls = columns.map((column) => `NULL::${column.type}`).join(', ');
  return `
CREATE OR REPLACE FUNCTION ${qualified(schema, 'read_log')}(
  p_from bigint, p_max integer, p_bound bigint, p_types text[], p_categories text[]
) RETURNS TABLE (o_bound bigint, o_held boolean, o_settled bigint, ${out})
LANGUAGE plpgsql STABLE SET enable_seqscan = off SET enable_bitmapscan = off SET enable_sort = off AS $fn$
DECLARE
  v_bound bigint := p_bound;
  v_newest bigint;
  v_settled bigint;
BEGIN
  IF v_bound IS NULL THEN
    ${boundSql(schema, settings)}
    RETURN QUERY SELECT v_bound, COALESCE(v_newest >= v_bound, false), v_settled, ${nulls};
  END IF;
  RETURN QUERY SELECT NULL::bigint, NULL::boolean, NULL::bigint, ${columns.map((column) => column.sql).join(', ')}
    FROM ${qualified(schema, 'events')} e
    WHERE e.position >= p_from AND e.position < v_bound AND NOT e.hidden
      AND (p_types IS NULL OR e.type = ANY (p_types))
      AND (p_categories IS NULL OR split_part(e.stream_id, '-', 1) = ANY (p_categories))
    ORDER BY e.position LIMIT p_max;
END
$fn$`;
}

/**
 * Reads the global log in position order, only below the stable bound, so that a reader (or a
 * subscription) that has passed position p never later finds a newly committed event below p.
 * Within one store instance reads also wait until the bound has passed every append this
 * instance acknowledged (read-your-writes), which an older, still open transaction can delay.
 */
export class LogReader {
  readonly #ctx: StoreContext;
  readonly #read: PgQuery;
  readonly #readBelow: PgQuery;
  readonly #head: PgQuery;
  readonly #floor: () => number;
  readonly #isClosed: () => boolean;

  constructor(ctx: StoreContext, floor: () => number, isClosed: () => boolean) {
    this.#ctx = ctx;
    this.#floor = floor;
    this.#isClosed = isClosed;
    const options = { rowMode: 'array', types: int8AsNumber } as const;
    this.#read = { ...statement(`SELECT * FROM ${qualified(ctx.schema, 'read_log')}($1, $2, $3, $4, $5)`), ...options };
    // Below a known bound no bound is computed, so a page is a plain statement: rows stream straight
    // from the index walk instead of through the function's result store.
    const columns = eventColumns(ctx.codec, true, 'e').map((column) => column.sql).join(', ');
    this.#readBelow = {
      ...statement(
        `SELECT ${columns} FROM ${qualified(ctx.schema, 'events')} e ` +
          `WHERE e.position >= $1 AND e.position < $3 AND NOT e.hidden ` +
          `AND ($4::text[] IS NULL OR e.type = ANY ($4)) ` +
          `AND ($5::text[] IS NULL OR split_part(e.stream_id, '-', 1) = ANY ($5)) ` +
          `ORDER BY e.position LIMIT $2`,
      ),
      ...options,
    };
    // The bound's header row, then the last position below it (a backward walk of the primary key).
    const head =
      `SELECT b.o_settled, (SELECT max(position) FROM ${qualified(ctx.schema, 'events')} WHERE position < b.o_bound) ` +
      `FROM ${qualified(ctx.schema, 'read_log')}(0, 0, NULL, NULL, NULL) b`;
    this.#head = { ...statement(head), ...options };
  }

  /** One page from `from` below a bound taken now (the subscriptions' read). */
  async page(from: number, max: number, filter: EventFilter | undefined): Promise<LogPage> {
    const rows = await this.#rows(from, max, null, filter);
    const codec = this.#ctx.codec;
    const events: RecordedEvent[] = [];
    let header: unknown[] | undefined;
    for (const row of rows) {
      if (row[BOUND] !== null) header = row;
      else events.push(toRecordedEvent(row, codec, EVENT));
    }
    return { events, bound: header![BOUND] as number, held: header![HELD] === true, settled: header![SETTLED] as number };
  }

  /**
   * The pages of `readAll`: the log from `from`, below one bound taken at the start, so the read
   * is a consistent prefix of the log however long it takes.
   */
  readAll(from: number, maxCount: number, filter: EventFilter | undefined): PageSource<RecordedEvent> {
    let bound: number | undefined;
    let cursor = from;
    let remaining = maxCount;
    // The next page is read while the caller consumes this one.
    let ahead: Promise<RecordedEvent[]> | undefined;
    const fetch = (at: number, limit: number, below: number): Promise<RecordedEvent[]> => this.below(at, limit, below, filter);
    return async () => {
      if (remaining <= 0) return undefined;
      const limit = Math.min(PAGE, remaining);
      let events: RecordedEvent[];
      if (bound === undefined) {
        let first = await this.page(cursor, limit, filter);
        for (let wait = 1; first.settled <= this.#floor(); wait = Math.min(wait * 2, MAX_FLOOR_WAIT_MS)) {
          await this.#pause(wait);
          first = await this.page(cursor, limit, filter);
        }
        bound = first.bound;
        events = first.events;
      } else {
        events = await (ahead ?? fetch(cursor, limit, bound));
        ahead = undefined;
      }
      remaining = events.length < limit ? 0 : remaining - events.length;
      const last = events[events.length - 1];
      if (last !== undefined) cursor = last.position + 1;
      if (remaining > 0 && !this.#isClosed()) {
        ahead = fetch(cursor, Math.min(PAGE, remaining), bound);
        ahead.catch(() => undefined);
      }
      return events;
    };
  }

  /** Up to `max` events from `from` below a bound already taken (a page after a full one). */
  async below(from: number, max: number, bound: number, filter: EventFilter | undefined): Promise<RecordedEvent[]> {
    const values = [from, max, bound, filter?.types ?? null, filter?.categories ?? null];
    const { rows } = await this.#ctx.pool.query<unknown[]>(this.#readBelow, values, { idempotent: true });
    const codec = this.#ctx.codec;
    const events: RecordedEvent[] = new Array<RecordedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) events[i] = toRecordedEvent(rows[i]!, codec, 0);
    return events;
  }

  /** The last position below the stable bound (-1 for none), after this instance's own appends. */
  async head(): Promise<number> {
    for (let wait = 1; ; wait = Math.min(wait * 2, MAX_FLOOR_WAIT_MS)) {
      const { rows } = await this.#ctx.pool.query<unknown[]>(this.#head, [], { idempotent: true });
      const [settled, head] = rows[0] as [number, number | null];
      if (settled > this.#floor()) return head ?? -1;
      await this.#pause(wait);
    }
  }

  /** Where a subscription from `'end'` starts: the stable bound, after this instance's own appends. */
  async end(): Promise<number> {
    for (let wait = 1; ; wait = Math.min(wait * 2, MAX_FLOOR_WAIT_MS)) {
      const { bound, settled } = await this.page(Number.MAX_SAFE_INTEGER, 0, undefined);
      if (settled > this.#floor()) return bound;
      await this.#pause(wait);
    }
  }

  async #rows(from: number, max: number, bound: number | null, filter: EventFilter | undefined): Promise<unknown[][]> {
    const values = [from, max, bound, filter?.types ?? null, filter?.categories ?? null];
    const { rows } = await this.#ctx.pool.query<unknown[]>(this.#read, values, { idempotent: true });
    return rows;
  }

  async #pause(ms: number): Promise<void> {
    if (this.#isClosed()) throw new StoreClosedError();
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}
