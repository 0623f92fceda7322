import {
  ChannelNames,
  compileEventFilter,
  diagnosticsChannel,
  validateReadAllOptions,
  validateReadStreamOptions,
  validateStreamId,
  type EventPredicate,
  type ReadAllOptions,
  type ReadMessage,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@strata/core';
import type { Serializer } from '@strata/serialization';
import type { StreamIndex } from '../stream-index/stream-index.js';
import type { Databases } from '../layout/databases.js';
import type { LogReader } from './log-reader.js';
import { PageIterator } from './page-iterator.js';
import { streamRecords } from './stream-reader.js';

/** Events per decoded page of `readAll` and `readStream` (one read snapshot each). */
const PAGE_SIZE = 512;
/** Records a filtered page may scan before it returns what it found. */
export const MAX_SCAN = 65_536;

const readChannel = diagnosticsChannel(ChannelNames.read);

/** What the decoded reads need from the store. */
export type ReadContext = { dbs: Databases; index: StreamIndex; serializer: Serializer; log: LogReader; assertOpen(): void };

/**
 * `readStream`: pages of decoded events, each read in one synchronous step (one snapshot), from
 * the version after the last one delivered. Validation and `STORE_CLOSED` surface from the first
 * `next()`, as from an async generator.
 */
export function readStreamPages(context: ReadContext, stream: string, options: ReadStreamOptions): AsyncIterableIterator<RecordedEvent> {
  const started = readChannel.hasSubscribers ? performance.now() : 0;
  const backward = options?.direction === 'backward';
  let cursor: number | undefined;
  let remaining = -1;
  let finished = false;
  return new PageIterator(
    'readStream',
    () => {
      context.assertOpen();
      if (remaining < 0) {
        validateStreamId(stream);
        validateReadStreamOptions(options);
        cursor = options.from;
        remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
      }
      if (finished || remaining === 0) return undefined;
      const max = Math.min(PAGE_SIZE, remaining);
      const events: RecordedEvent[] = [];
      for (const view of streamRecords(context.dbs, context.index, stream, cursor, backward)) {
        events.push(context.serializer.decodeRecord(view));
        if (events.length === max) break;
      }
      const last = events[events.length - 1];
      if (last === undefined) return undefined;
      finished = events.length < max;
      remaining -= events.length;
      cursor = backward ? last.version - 1 : last.version + 1;
      return events;
    },
    (count) => publishRead('stream', count, started),
  );
}

/** `readAll`: pages of decoded events of the global log (see {@link readStreamPages}). */
export function readAllPages(context: ReadContext, options: ReadAllOptions): AsyncIterableIterator<RecordedEvent> {
  const started = readChannel.hasSubscribers ? performance.now() : 0;
  let matches: EventPredicate;
  let cursor = -1;
  let remaining = 0;
  let finished = false;
  return new PageIterator(
    'readAll',
    () => {
      context.assertOpen();
      if (cursor < 0) {
        validateReadAllOptions(options);
        matches = compileEventFilter(options.filter);
        cursor = options.from ?? 0;
        remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
      }
      if (finished || remaining === 0) return undefined;
      const page = context.log.readPage(cursor, Math.min(PAGE_SIZE, remaining), matches, MAX_SCAN);
      cursor = page.next;
      remaining -= page.events.length;
      finished = page.exhausted;
      return page.events.length === 0 && finished ? undefined : page.events;
    },
    (count) => publishRead('all', count, started),
  );
}

function publishRead(kind: ReadMessage['kind'], events: number, started: number): void {
  if (!readChannel.hasSubscribers) return;
  const message: ReadMessage = { store: 'lmdb', kind, events, durationMs: started === 0 ? 0 : performance.now() - started };
  readChannel.publish(message);
}
