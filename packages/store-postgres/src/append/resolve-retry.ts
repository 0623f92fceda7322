import {
  DuplicateEventError,
  checkExpectedVersion,
  expectedVersionMatchesOriginal,
  type AppendResult,
  type ExpectedVersion,
} from '@strata/core';
import type { EventCodec, StoredPayload } from '../codec/event-codec.js';
import type { PreparedEvent } from './prepare-events.js';

/** A stored event whose id an append reuses, as the append function returns it. */
export type StoredEvent = {
  id: string;
  streamId: string;
  version: number;
  position: number;
  type: string;
  schemaVersion: number;
  /** Whether the append that stored it found the stream without visible events. */
  landedOnEmpty: boolean;
  payload: StoredPayload;
};

/**
 * Decides an append some of whose event ids are already stored, as the in-memory reference store
 * does. It is an idempotent retry (the original result, nothing stored) when every event is stored
 * in this stream, at consecutive versions, with the same content, and the expected version is one
 * under which the original landed where it did (or `'any'`). Otherwise it is `DUPLICATE_EVENT`,
 * unless the expected version fails on the current stream, which is `WRONG_EXPECTED_VERSION`.
 *
 * @param current - the stream's current version (-1 when it has no visible events).
 */
export function resolveRetry(
  stream: string,
  prepared: readonly PreparedEvent[],
  expected: ExpectedVersion,
  current: number,
  found: readonly StoredEvent[],
  codec: EventCodec,
): AppendResult {
  const byId = new Map(found.map((event) => [event.id, event] as const));
  let previous: StoredEvent | undefined;
  for (const event of prepared) {
    const stored = byId.get(event.id);
    if (stored === undefined) {
      const first = prepared.find((e) => byId.has(e.id));
      throw new DuplicateEventError(first?.id ?? event.id, 'the append repeats only part of an earlier append');
    }
    if (stored.streamId !== stream) throw new DuplicateEventError(event.id, `it belongs to stream '${stored.streamId}'`);
    if (
      stored.type !== event.type ||
      stored.schemaVersion !== event.encoded.schemaVersion ||
      !codec.sameContent(stored.payload, stored.type, stored.schemaVersion, event.encoded)
    ) {
      throw new DuplicateEventError(event.id, 'the stored event has other content');
    }
    if (previous !== undefined && stored.version !== previous.version + 1) {
      throw new DuplicateEventError(event.id, 'the append repeats only part of an earlier append');
    }
    previous = stored;
  }
  const first = byId.get(prepared[0]!.id)!;
  const last = previous!;
  const landedOnEmpty = first.version === 0 || first.landedOnEmpty;
  if (!expectedVersionMatchesOriginal(expected, first.version, landedOnEmpty)) {
    checkExpectedVersion(stream, expected, current);
    throw new DuplicateEventError(first.id, 'it was stored by an earlier append sent with another expected version');
  }
  return { nextExpectedVersion: last.version, position: last.position };
}
