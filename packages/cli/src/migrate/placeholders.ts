import { createHash } from 'node:crypto';
import type { EventData, EventStore } from '@strata/core';

/** Type of the stand-in events that keep the version numbers of a soft-deleted stream prefix. */
export const HIDDEN_PLACEHOLDER_TYPE = '$strata.migrate.hidden';

/**
 * Rebuilds in the target the hidden part of a source stream that was soft-deleted: its visible
 * events start at version `firstVisible` > 0, the earlier ones are unreadable. The target gets
 * stand-in events for versions up to `firstVisible - 1` and a soft delete, so the visible events
 * land at the same versions and an append with `'no_stream'` continues the stream, as it does in
 * the source. Stand-in ids derive from the stream and version, so a re-run finds its own events;
 * a stream already soft-deleted in the target is left as it is.
 */
export async function recreateHiddenPrefix(target: EventStore, streamId: string, firstVisible: number): Promise<void> {
  const info = await target.streamInfo(streamId);
  if (info?.deleted === true) return;
  const have = info?.version ?? -1;
  if (have >= firstVisible) return; // The first visible events were copied already.
  if (have < firstVisible - 1) {
    const events: EventData[] = [];
    for (let version = have + 1; version < firstVisible; version++) {
      events.push({ id: placeholderId(streamId, version), type: HIDDEN_PLACEHOLDER_TYPE, data: null, metadata: { version } });
    }
    for (let i = 0; i < events.length; i += 1_000) {
      const slice = events.slice(i, i + 1_000);
      await target.append(streamId, slice, { expectedVersion: have + i < 0 ? 'no_stream' : have + i });
    }
  }
  await target.deleteStream(streamId, { expectedVersion: firstVisible - 1 });
}

function placeholderId(streamId: string, version: number): string {
  const digest = createHash('sha256').update(`${streamId}\u0000${version}`).digest('hex');
  return `strata-migrate-hidden-${digest.slice(0, 32)}`;
}
