import { createRecordView } from '@strata/serialization';
import type { Databases } from '../layout/databases.js';
import type { Extent } from '../layout/extent.js';
import { recordLengthAt } from '../layout/record-layout.js';
import { decodeHead } from '../layout/stream-head.js';

/** What the tail knows of one stream. */
export type TailStream = {
  /** Extents of appends at positions >= the tail's start, in version order. */
  extents: Extent[];
  /** Next version according to the extents database (looked up once per tail), or undefined. */
  indexedNext: number | undefined;
};

const view = createRecordView();

/**
 * The extents of the appends the `extents` database does not hold yet: those at positions from
 * `from` (the `indexed` watermark in `meta`) up to `seen`. They are derived from the log, which
 * holds the stream id and version of every record, so the tail is only ever a cache: a store
 * object rebuilds it by scanning the log from the watermark, and appends of other processes are
 * added by scanning the log from `seen` to the committed next position.
 */
export class TailIndex {
  /** The watermark this tail starts at; -1 for a tail that must be rebuilt. */
  from: number;
  /** Positions below this have been added. */
  seen: number;
  readonly streams = new Map<string, TailStream>();
  /** Number of extents held (what triggers moving them to the extents database). */
  extents = 0;

  constructor(from: number) {
    this.from = from;
    this.seen = from;
  }

  /** Empties the tail and starts it at `from`. */
  reset(from: number): void {
    this.streams.clear();
    this.extents = 0;
    this.from = from;
    this.seen = from;
  }

  /** The entry of a stream, created empty when missing. */
  entry(stream: string): TailStream {
    let entry = this.streams.get(stream);
    if (entry === undefined) {
      entry = { extents: [], indexedNext: undefined };
      this.streams.set(stream, entry);
    }
    return entry;
  }

  /**
   * Adds an append. One that continues the stream's last extent (next version at the next
   * position: an append split into chunks, or two appends nothing came between) extends it: it
   * cannot have landed on an empty stream, since a delete in between would have emptied the tail.
   */
  add(stream: string, extent: Extent): void {
    const extents = this.entry(stream).extents;
    const last = extents[extents.length - 1];
    if (
      last !== undefined &&
      extent.firstVersion === last.lastVersion + 1 &&
      extent.firstPosition === last.firstPosition + (last.lastVersion - last.firstVersion) + 1
    ) {
      last.lastVersion = extent.lastVersion;
      return;
    }
    extents.push({ ...extent });
    this.extents++;
  }

  /**
   * Adds the appends at positions from `seen` to `to` by reading the log: per chunk, the stream
   * and version of its first record and its number of records. Whether an append landed on an
   * empty stream follows from the stream's stored head: every delete moves the whole tail to the
   * extents database first, so an append in the tail landed on an empty stream exactly when its
   * first version is 0 or the stream's first visible version.
   */
  scan(dbs: Databases, to: number): void {
    if (this.seen >= to) return;
    for (const { key, value } of dbs.log.getRange({ start: this.seen, end: to })) {
      let count = 0;
      for (let offset = 0; offset < value.length; count++) offset += recordLengthAt(value, offset);
      view.reset(value, 0, recordLengthAt(value, 0));
      const stream = view.streamId;
      const firstVersion = view.version;
      // The chunk is not read again: the stored head may be read into lmdb-js's buffer now.
      const stored = firstVersion === 0 ? undefined : dbs.streams.getBinaryFast(stream);
      const visibleFrom = stored === undefined ? 0 : decodeHead(stored).visibleFrom;
      this.add(stream, {
        firstVersion,
        lastVersion: firstVersion + count - 1,
        firstPosition: key,
        landedOnEmpty: firstVersion === 0 || firstVersion === visibleFrom,
      });
    }
    this.seen = to;
  }
}
