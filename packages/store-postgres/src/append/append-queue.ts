import {
  DuplicateEventError,
  SerializationError,
  isStrataError,
  type AppendResult,
} from '@strata/core';
import { int8AsNumber, type PgQuery } from '@strata/pool';
import type { StoreContext } from '../schema/store-context.js';
import {
  appendBatchParameters,
  appendBatchStatement,
  appendOutcome,
  type AppendRequest,
  type AppendRow,
} from './append-batch.js';

/** Most appends in one call of the append function. */
const MAX_APPENDS = 256;
/** Most payload bytes in one call (an append larger than this goes alone). */
const MAX_BYTES = 8 * 1024 * 1024;
/**
 * Most events in one call that carries several appends. Grouping saves the fixed cost of a call
 * (a round trip and a commit flush, worth about a hundred events' inserts); beyond that it only
 * puts on one server process work that the pool's other connections would do at the same time.
 * An append larger than this goes alone.
 */
const MAX_GROUPED_EVENTS = 128;

type Pending = AppendRequest & { bytes: number; resolve(result: AppendResult): void; reject(error: unknown): void };

/**
 * Group commit. Appends made in the same event-loop turn (as concurrent callers make them) are
 * sent together, up to {@link MAX_GROUPED_EVENTS} events: one call of the append function, one
 * transaction, one commit flush, one round trip. Each append keeps its own outcome: a failed
 * expected-version check fails that append alone. A batch that fails as a whole on a statement
 * error (an event id taken at the same moment by an append to another stream, a payload jsonb
 * refuses) is sent again one append at a time, so that only the offending append fails. An outage
 * fails every append of the batch (after the pool's retries, which are safe: the event ids are
 * fixed, so a resent append finds its events).
 */
export class AppendQueue {
  readonly #ctx: StoreContext;
  readonly #query: PgQuery;
  readonly #groupCommit: boolean;
  #queue: Pending[] = [];
  #scheduled = false;

  /** @param groupCommit - false sends every append on its own, at once. */
  constructor(ctx: StoreContext, groupCommit: boolean) {
    this.#ctx = ctx;
    this.#groupCommit = groupCommit;
    this.#query = { ...appendBatchStatement(ctx.schema, ctx.codec), rowMode: 'array', types: int8AsNumber };
  }

  /** Queues an append for the next batch; settles when its batch has committed. */
  submit(request: AppendRequest): Promise<AppendResult> {
    let bytes = 0;
    for (const event of request.events) bytes += event.encoded.bytes;
    return new Promise((resolve, reject) => {
      if (!this.#groupCommit) {
        void this.#send([{ ...request, bytes, resolve, reject }]);
        return;
      }
      this.#queue.push({ ...request, bytes, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    let batch: Pending[] = [];
    let events = 0;
    let bytes = 0;
    for (const pending of queue) {
      const full =
        batch.length >= MAX_APPENDS || events + pending.events.length > MAX_GROUPED_EVENTS || bytes + pending.bytes > MAX_BYTES;
      if (batch.length > 0 && full) {
        void this.#send(batch);
        batch = [];
        events = 0;
        bytes = 0;
      }
      batch.push(pending);
      events += pending.events.length;
      bytes += pending.bytes;
    }
    if (batch.length > 0) void this.#send(batch);
  }

  async #send(batch: Pending[]): Promise<void> {
    let rows: AppendRow[];
    try {
      ({ rows } = await this.#ctx.pool.query<AppendRow>(this.#query, appendBatchParameters(batch, this.#ctx.codec), { idempotent: true }));
    } catch (error) {
      if (batch.length > 1 && isStatementFailure(error)) {
        await Promise.all(batch.map((pending) => this.#send([pending])));
        return;
      }
      for (const pending of batch) pending.reject(batch.length === 1 ? mapAppendError(error, pending) : error);
      return;
    }
    batch.forEach((pending, i) => {
      try {
        pending.resolve(appendOutcome(pending, rows[i]!, this.#ctx.codec));
      } catch (error) {
        pending.reject(error);
      }
    });
  }
}

/** A failure of the statement itself (not of the server), which resending appends one by one can narrow down. */
function isStatementFailure(error: unknown): boolean {
  if (!isStrataError(error, 'STORE_FAILURE')) return false;
  const kind = error.details['kind'];
  return kind === 'statement' || kind === 'conflict';
}

const DUPLICATE_KEY = /\(event_id\)=\((.*)\) already exists/;

/**
 * Two appends to different streams with the same event id pass their checks at once (they lock
 * different streams); the unique index stops the second. jsonb refuses `\u0000` and unpaired
 * surrogates, which JSON itself allows.
 */
function mapAppendError(error: unknown, request: AppendRequest): unknown {
  if (!isStrataError(error, 'STORE_FAILURE')) return error;
  const { sqlState, constraint } = error.details as { sqlState?: string; constraint?: string };
  if (sqlState === '23505' && constraint === 'events_event_id_key') {
    const detail = (error.cause as { detail?: unknown } | undefined)?.detail;
    const id = (typeof detail === 'string' ? DUPLICATE_KEY.exec(detail)?.[1] : undefined) ?? request.events.find((e) => e.hasId)?.id ?? '';
    return new DuplicateEventError(id, 'it was stored by a concurrent append to another stream', { cause: error });
  }
  if (sqlState === '22P05' || sqlState === '22P02' || sqlState === '22025') {
    const message = (error.cause as Error | undefined)?.message ?? error.message;
    return new SerializationError(`PostgreSQL refused the event payload: ${message}`, { cause: error });
  }
  return error;
}
