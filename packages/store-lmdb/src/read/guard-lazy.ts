import type { RecordView } from '@strata/serialization';
import { toStrataError } from '../errors/to-strata-error.js';

/**
 * Wraps a lazy scan: stops after `maxCount` views, refuses to go on once the store is closed
 * (`STORE_CLOSED`), and maps failures to Strata errors. Leaving the loop early closes the
 * underlying LMDB cursors.
 */
export function* guardLazy(
  source: Generator<RecordView, void, undefined>,
  assertOpen: () => void,
  operation: string,
  maxCount: number = Number.MAX_SAFE_INTEGER,
): Generator<RecordView, void, undefined> {
  if (maxCount <= 0) return;
  let remaining = maxCount;
  try {
    assertOpen();
    for (const view of source) {
      yield view;
      assertOpen();
      if (--remaining === 0) return;
    }
  } catch (error) {
    // A scan that fails because the store was closed under it reports that, not the LMDB error.
    assertOpen();
    throw toStrataError(error, operation);
  }
}
