import { createRecordView, type RecordView } from '@strata/serialization';
import type { StreamIndex } from '../stream-index/stream-index.js';
import type { Databases } from '../layout/databases.js';
import { backwardRecords, forwardRecords } from './log-scan.js';

/**
 * The visible records of one stream from version `from` (inclusive; default the first visible
 * version forward, the last one backward), in version order or reversed, as one view reset over
 * each (valid until the generator resumes). Reads the stream head, then its extents (one per
 * append, from the stream index as of the read snapshot) lazily, then each extent's chunks: for a
 * stream written in batches that is about one range read per batch.
 */
export function* streamRecords(
  dbs: Databases,
  index: StreamIndex,
  stream: string,
  from: number | undefined,
  backward: boolean,
): Generator<RecordView, void, undefined> {
  const extents = index.forRead();
  const head = extents.head(stream);
  if (head === undefined) return;
  const last = head.next - 1;
  const view = createRecordView();
  if (!backward) {
    const start = Math.max(from ?? 0, head.visibleFrom);
    if (start > last) return;
    for (const extent of extents.extentsFrom(stream, start)) {
      const firstVersion = Math.max(start, extent.firstVersion);
      const first = extent.firstPosition + (firstVersion - extent.firstVersion);
      const end = extent.firstPosition + (extent.lastVersion - extent.firstVersion) + 1;
      yield* forwardRecords(dbs.log, view, first, end);
    }
    return;
  }
  const start = Math.min(from ?? last, last);
  if (start < head.visibleFrom) return;
  for (const extent of extents.extentsDownFrom(stream, start)) {
    if (extent.lastVersion < head.visibleFrom) return;
    const top = extent.firstPosition + (Math.min(start, extent.lastVersion) - extent.firstVersion);
    const low = extent.firstPosition + (Math.max(head.visibleFrom, extent.firstVersion) - extent.firstVersion);
    yield* backwardRecords(dbs.log, view, top, low);
  }
}
