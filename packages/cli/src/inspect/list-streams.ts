import type { OpenedStore } from '../stores/open-store.js';

/** One line of `strata inspect streams`. */
export type StreamSummary = {
  streamId: string;
  /** Visible events. */
  events: number;
  /** Version of the last event. */
  version: number;
  /** Position of the stream's last visible event (LMDB), or -1 when the backend does not say. */
  lastPosition: number;
};

/** The streams of a store (those with visible events), sorted by id, and how many there are in all. */
export type StreamListing = { total: number; streams: StreamSummary[] };

/**
 * Lists streams, optionally of one category, at most `limit` of them (sorted by stream id).
 * LMDB: one lazy scan of the log. PostgreSQL: the `streams` table with a count of visible events.
 */
export async function listStreams(opened: OpenedStore, options: { category?: string; limit: number }): Promise<StreamListing> {
  if (opened.kind === 'lmdb') {
    const byStream = new Map<string, StreamSummary>();
    const filter = options.category === undefined ? undefined : { categories: [options.category] };
    for (const view of opened.store.readAllLazy(filter === undefined ? {} : { filter })) {
      const streamId = view.streamId;
      const summary = byStream.get(streamId);
      if (summary === undefined) byStream.set(streamId, { streamId, events: 1, version: view.version, lastPosition: view.position });
      else {
        summary.events++;
        summary.version = view.version;
        summary.lastPosition = view.position;
      }
    }
    const sorted = [...byStream.values()].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
    return { total: sorted.length, streams: sorted.slice(0, options.limit) };
  }
  const { store } = opened;
  const schema = `"${store.schema}"`;
  // A category is everything before the first dash; `_` is a LIKE wildcard, so it is escaped.
  const pattern = options.category === undefined ? null : `${options.category.replace(/[\\%_]/g, '\\$&')}-%`;
  const where = `WHERE s.version >= s.visible_from AND NOT s.soft_deleted AND NOT s.hard_deleted AND ($1::text IS NULL OR s.stream_id LIKE $1)`;
  const [rows, total] = await Promise.all([
    store.pool.query<{ stream_id: string; version: number; events: number; last_position: number }>(
      `SELECT s.stream_id, s.version::float8 AS version,
              (SELECT count(*) FROM ${schema}.events e WHERE e.stream_id = s.stream_id AND NOT e.hidden)::float8 AS events,
              (SELECT max(e.position) FROM ${schema}.events e WHERE e.stream_id = s.stream_id AND NOT e.hidden)::float8 AS last_position
         FROM ${schema}.streams s ${where}
        ORDER BY s.stream_id COLLATE "C" LIMIT $2`,
      [pattern, options.limit],
    ),
    store.pool.query<{ total: number }>(`SELECT count(*)::float8 AS total FROM ${schema}.streams s ${where}`, [pattern]),
  ]);
  return {
    total: total.rows[0]?.total ?? 0,
    streams: rows.rows.map((row) => ({ streamId: row.stream_id, events: row.events, version: row.version, lastPosition: row.last_position ?? -1 })),
  };
}
