import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, type EventData } from '@strata/core';
import type { EncodedEvent, EventCodec } from '../codec/event-codec.js';

/** An event ready to be sent: its id (supplied or generated), type and encoded payload. */
export type PreparedEvent = { id: string; hasId: boolean; type: string; encoded: EncodedEvent };

/**
 * Encodes events and checks their size; throws `SERIALIZATION_FAILED` or `INVALID_ARGUMENT`
 * naming the event. Ids are generated here, before anything is sent, so that resending an append
 * after a lost connection finds its own events instead of storing them twice.
 */
export function prepareEvents(codec: EventCodec, events: readonly EventData[], maxEventBytes: number): PreparedEvent[] {
  return events.map((event, index) => {
    const encoded = codec.encode(event);
    if (encoded.bytes > maxEventBytes) {
      throw new InvalidArgumentError(`events[${index}]`, `${encoded.bytes} bytes exceeds the maximum event size of ${maxEventBytes} bytes`, {
        details: { reason: 'event_too_large', limit: maxEventBytes },
      });
    }
    return { id: event.id ?? randomUUID(), hasId: event.id !== undefined, type: event.type, encoded };
  });
}
