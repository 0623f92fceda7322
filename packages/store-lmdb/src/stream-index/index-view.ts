import type { Databases } from '../layout/databases.js';
import { decodeExtent, MAX_VERSION_KEY, type Extent } from '../layout/extent.js';
import { decodeHead, type StreamHead } from '../layout/stream-head.js';
import type { TailIndex, TailStream } from './tail-index.js';

/**
 * The stream index as of one snapshot (a read snapshot, or the write transaction): the extents
 * database, which holds every append below the `indexed` watermark, plus the tail of appends from
 * the watermark up to `limit` (the snapshot's next position; later tail entries are not committed
 * in this snapshot and are left out). A stream's extents in the database all come before its
 * extents in the tail, in versions as in positions.
 */
export class IndexView {
  readonly #dbs: Databases;
  readonly #tail: TailIndex;
  readonly #limit: number;

  constructor(dbs: Databases, tail: TailIndex, limit: number) {
    this.#dbs = dbs;
    this.#tail = tail;
    this.#limit = limit;
  }

  /**
   * The head of a stream: its stored head (deletes, metadata), if any, with `next` from its last
   * extent when that is further on. `undefined` for a stream never written, deleted or given metadata.
   */
  head(stream: string): StreamHead | undefined {
    const bytes = this.#dbs.streams.getBinaryFast(stream);
    const stored = bytes === undefined ? undefined : decodeHead(bytes);
    const next = this.#nextFromExtents(stream);
    if (stored === undefined) return next === 0 ? undefined : { next, visibleFrom: 0, hardDeleted: false, softDeleted: false };
    if (next > stored.next) stored.next = next;
    return stored;
  }

  /** The extents of `stream` holding versions >= `version`, in version order. */
  *extentsFrom(stream: string, version: number): Generator<Extent, void, undefined> {
    for (const { key, value } of this.#dbs.extents.getRange({ start: [stream, version], end: [stream, MAX_VERSION_KEY], inclusiveEnd: true })) {
      yield decodeExtent(key[1], value);
    }
    for (const extent of this.#tailExtents(stream)) if (extent.lastVersion >= version) yield extent;
  }

  /** The extents of `stream` holding versions <= `version`, in reverse version order. */
  *extentsDownFrom(stream: string, version: number): Generator<Extent, void, undefined> {
    const tail = this.#tailExtents(stream);
    for (let i = tail.length - 1; i >= 0; i--) {
      const extent = tail[i] as Extent;
      if (extent.firstVersion <= version) yield extent;
    }
    let top: number | undefined;
    for (const key of this.#dbs.extents.getKeys({ start: [stream, version], end: [stream, MAX_VERSION_KEY], inclusiveEnd: true, limit: 1 })) {
      top = key[1];
    }
    if (top === undefined) {
      for (const key of this.#dbs.extents.getKeys({ start: [stream, MAX_VERSION_KEY], reverse: true, limit: 1 })) {
        if (key[0] === stream) top = key[1];
      }
    }
    if (top === undefined) return;
    for (const { key, value } of this.#dbs.extents.getRange({ start: [stream, top], reverse: true })) {
      if (key[0] !== stream) return;
      yield decodeExtent(key[1], value);
    }
  }

  /** The extent holding `version` of `stream`, or undefined. */
  extentContaining(stream: string, version: number): Extent | undefined {
    for (const extent of this.extentsFrom(stream, version)) return extent.firstVersion <= version ? extent : undefined;
    return undefined;
  }

  /** The tail's extents of `stream` committed in this snapshot. */
  #tailExtents(stream: string): readonly Extent[] {
    const extents = this.#tail.streams.get(stream)?.extents;
    if (extents === undefined || extents.length === 0) return extents ?? [];
    const last = extents[extents.length - 1] as Extent;
    return last.firstPosition < this.#limit ? extents : extents.filter((extent) => extent.firstPosition < this.#limit);
  }

  /** The next version by the stream's extents (0 when it has none). */
  #nextFromExtents(stream: string): number {
    const tail = this.#tailExtents(stream);
    const last = tail[tail.length - 1];
    if (last !== undefined) return last.lastVersion + 1;
    const entry: TailStream | undefined = this.#tail.streams.get(stream);
    if (entry?.indexedNext !== undefined) return entry.indexedNext;
    let next = 0;
    for (const key of this.#dbs.extents.getKeys({ start: [stream, MAX_VERSION_KEY], reverse: true, limit: 1 })) {
      if (key[0] === stream) next = key[1] + 1;
    }
    // Cached until the extents database changes (only a move of the tail, which starts a new tail,
    // changes it); streams that have no extents are not remembered, so lookups of unknown ids cost no memory.
    if (next > 0 || entry !== undefined) this.#tail.entry(stream).indexedNext = next;
    return next;
  }
}
