import type { EventStore, RecordedEvent } from '@strata/core';
import { collect, tempDir as sharedTempDir, type TempDir } from '@strata/testing';

/** The test aggregates module, as worker threads import it. */
export const AGGREGATES = new URL('../fixtures/aggregates.mjs', import.meta.url);

/** A fresh temporary directory and its removal. */
export function tempDir(prefix: string): TempDir {
  return sharedTempDir(`processor-${prefix}`);
}

/** Every event of a stream. */
export function readAll(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  return collect(store.readStream(streamId));
}

/** The `code` of whatever a promise rejects with (undefined when it resolves). */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? 'NO_CODE';
  }
}
