import {
  InvalidArgumentError,
  validateEvents,
  validateExpectedVersion,
  validateStreamId,
  type AppendLimits,
  type AppendOptions,
  type EventData,
  type ExpectedVersion,
} from '@strata/core';
import type { Serializer } from '@strata/serialization';
import type { GeneratedIds } from '../layout/generated-ids.js';
import { payloadLengthOf } from '../layout/record-layout.js';

/**
 * Chunks are at most this large (unless one event is larger). An append is stored as one chunk
 * when it fits: one B-tree entry for many events, so a batch costs one put and a scan one range
 * step per append. The cap bounds what a read of one event inside a chunk copies.
 */
export const CHUNK_BYTES = 128 * 1024;

/** An append validated and encoded outside the write transaction, waiting for its positions. */
export type PreparedAppend = {
  stream: string;
  expected: ExpectedVersion;
  count: number;
  /** The records, back to back, in chunks of at most {@link CHUNK_BYTES}. */
  chunks: Uint8Array[];
  /** Events per chunk. */
  chunkCounts: number[];
  /** Offset of each event's record in its chunk. */
  offsets: number[];
  /** Caller-supplied ids by event (undefined entries get a generated id); undefined when none was supplied. */
  userIds: (string | undefined)[] | undefined;
  /** The highest position a caller-supplied id in the generated format names (-1: none). */
  reservedPosition: number;
  bytes: number;
};

/** What preparing an append needs from the store. */
export type PrepareContext = { serializer: Serializer; ids: GeneratedIds; limits: AppendLimits };

/**
 * Validates an append and encodes its events into chunks before the write transaction, so that
 * invalid input and values the serializer refuses reject the append before anything is written.
 * Positions, versions and generated ids are set inside the transaction, in place
 * (`setRecordCoordinates`), without encoding again. Throws `INVALID_ARGUMENT` (stream id, expected
 * version, event shape, an event over `maxEventBytes`, too many events), `SERIALIZATION_FAILED`
 * or `UNKNOWN_EVENT_TYPE`.
 */
export function prepareAppend(stream: string, events: readonly EventData[], options: AppendOptions, context: PrepareContext): PreparedAppend {
  validateStreamId(stream);
  validateEvents(events, context.limits);
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  const expected = options.expectedVersion ?? 'any';
  validateExpectedVersion(expected);
  const { serializer, ids, limits } = context;
  const count = events.length;
  const records = new Array<Uint8Array>(count);
  const recordedAt = Date.now();
  let userIds: (string | undefined)[] | undefined;
  let reservedPosition = -1;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const event = events[i] as EventData;
    const id = event.id;
    const record = serializer.encodeRecord({
      streamId: stream,
      version: 0,
      position: 0,
      id: id ?? ids.template,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      schemaVersion: event.schemaVersion,
      recordedAt,
    });
    const payloadBytes = payloadLengthOf(record);
    if (payloadBytes > limits.maxEventBytes) {
      throw new InvalidArgumentError(
        `events[${i}]`,
        `${payloadBytes} encoded bytes exceed the maximum event size of ${limits.maxEventBytes} bytes`,
        { details: { reason: 'event_too_large', limit: limits.maxEventBytes, bytes: payloadBytes } },
      );
    }
    records[i] = record;
    bytes += record.length;
    if (id !== undefined) {
      userIds ??= new Array<string | undefined>(count).fill(undefined);
      userIds[i] = id;
      reservedPosition = Math.max(reservedPosition, ids.positionOf(id) ?? -1);
    }
  }
  const { chunks, chunkCounts, offsets } = buildChunks(records);
  return { stream, expected, count, chunks, chunkCounts, offsets, userIds, reservedPosition, bytes };
}

function buildChunks(records: Uint8Array[]): Pick<PreparedAppend, 'chunks' | 'chunkCounts' | 'offsets'> {
  const chunks: Uint8Array[] = [];
  const chunkCounts: number[] = [];
  const offsets = new Array<number>(records.length);
  for (let i = 0; i < records.length; ) {
    let size = (records[i] as Uint8Array).length;
    let j = i + 1;
    while (j < records.length && size + (records[j] as Uint8Array).length <= CHUNK_BYTES) size += (records[j++] as Uint8Array).length;
    if (j === i + 1) {
      // One record: store the encoder's bytes as they are.
      chunks.push(records[i] as Uint8Array);
      offsets[i] = 0;
    } else {
      const chunk = Buffer.allocUnsafe(size);
      for (let k = i, offset = 0; k < j; k++) {
        const record = records[k] as Uint8Array;
        chunk.set(record, offset);
        offsets[k] = offset;
        offset += record.length;
      }
      chunks.push(chunk);
    }
    chunkCounts.push(j - i);
    i = j;
  }
  return { chunks, chunkCounts, offsets };
}
