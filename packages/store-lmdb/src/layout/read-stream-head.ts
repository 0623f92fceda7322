import type { Databases } from './databases.js';
import { MAX_VERSION_KEY } from './extent.js';
import { decodeHead, type StreamHead } from './stream-head.js';

/**
 * The head of a stream as committed (in the current read snapshot, or inside the write
 * transaction): its stored head, if any, with `next` taken from its last extent when that is
 * further on. `undefined` for a stream that was never written, deleted or given metadata.
 */
export function readStreamHead(dbs: Databases, stream: string): StreamHead | undefined {
  const bytes = dbs.streams.getBinaryFast(stream);
  const stored = bytes === undefined ? undefined : decodeHead(bytes);
  let fromExtents = -1;
  for (const key of dbs.extents.getKeys({ start: [stream, MAX_VERSION_KEY], reverse: true, limit: 1 })) {
    if (key[0] === stream) fromExtents = key[1] + 1;
  }
  if (stored === undefined) {
    return fromExtents < 0 ? undefined : { next: fromExtents, visibleFrom: 0, hardDeleted: false, softDeleted: false };
  }
  if (fromExtents > stored.next) stored.next = fromExtents;
  return stored;
}
