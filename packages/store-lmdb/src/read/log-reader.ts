import type { EventPredicate, RecordedEvent } from '@strata/core';
import { createRecordView, type RecordView, type Serializer } from '@strata/serialization';
import { META_KEYS, type Databases } from '../layout/databases.js';
import { readCounter } from '../layout/meta-counter.js';
import type { HiddenStreams } from './hidden-streams.js';
import { floorChunkKey, scanForward } from './log-scan.js';
import { recordLengthAt } from '../layout/record-layout.js';
import { toStrataError } from '../errors/to-strata-error.js';

/** One page of decoded events of the global log. */
export type LogPage = {
  events: RecordedEvent[];
  /** The position after the last record scanned: where the next page starts. */
  next: number;
  /** The page reached the end of the log. */
  exhausted: boolean;
};

/**
 * Reads the global log: decoded pages (for `readAll` and subscriptions) and the lazy, zero-copy
 * scan. Hides events of deleted streams and applies the type/category filter on the record header,
 * before any payload is decoded.
 */
export class LogReader {
  readonly #dbs: Databases;
  readonly #serializer: Serializer;
  readonly #hidden: HiddenStreams;
  readonly #view = createRecordView();

  constructor(dbs: Databases, serializer: Serializer, hidden: HiddenStreams) {
    this.#dbs = dbs;
    this.#serializer = serializer;
    this.#hidden = hidden;
  }

  /**
   * Reads up to `max` matching events at positions >= `from`, scanning at most `maxScan` records,
   * in one synchronous step (one read snapshot). The events are decoded copies.
   */
  readPage(from: number, max: number, matches: EventPredicate, maxScan: number): LogPage {
    const hidden = this.#hidden.current();
    // Read in the same snapshot as the scan: positions below it are all committed, and a page
    // that reaches it moves the cursor past positions whose events were removed by hard deletes.
    const end = readCounter(this.#dbs, META_KEYS.next);
    if (from >= end) return { events: [], next: from, exhausted: true };
    const serializer = this.#serializer;
    const events: RecordedEvent[] = [];
    const scan = scanForward(this.#dbs.log, this.#view, from, end, maxScan, (view) => {
      if (hidden !== undefined && isHidden(hidden, view)) return true;
      if (matches !== undefined && !matches(view.type, view.streamId)) return true;
      events.push(serializer.decodeRecord(view));
      return events.length < max;
    });
    return { events, next: scan.exhausted ? Math.max(scan.next, end) : scan.next, exhausted: scan.exhausted };
  }

  /**
   * The matching records at positions >= `from`, at most `maxCount`, as one reused view (see
   * `LmdbEventStore.readAllLazy` for its lifetime). One generator walks the chunks itself: each
   * nested generator would cost a resumption per record, a good part of the lazy scan's budget.
   * Refuses to go on once the store is closed (`STORE_CLOSED`) and maps failures to Strata errors.
   */
  *lazy(from: number, maxCount: number, matches: EventPredicate, assertOpen: () => void): Generator<RecordView, void, undefined> {
    try {
      assertOpen();
      if (maxCount <= 0) return;
      const log = this.#dbs.log;
      const hidden = this.#hidden.current();
      const view = createRecordView();
      let remaining = maxCount;
      for (const { key, value } of log.getRange({ start: floorChunkKey(log, from) ?? from })) {
        let position = key;
        for (let offset = 0; offset < value.length; position++) {
          const length = recordLengthAt(value, offset);
          if (position >= from) {
            view.reset(value, offset, offset + length);
            if ((hidden === undefined || !isHidden(hidden, view)) && (matches === undefined || matches(view.type, view.streamId))) {
              yield view;
              assertOpen();
              if (--remaining === 0) return;
            }
          }
          offset += length;
        }
      }
    } catch (error) {
      assertOpen();
      throw toStrataError(error, 'readAllLazy');
    }
  }
}

function isHidden(hidden: ReadonlyMap<string, number>, view: RecordView): boolean {
  const visibleFrom = hidden.get(view.streamId);
  return visibleFrom !== undefined && view.version < visibleFrom;
}
