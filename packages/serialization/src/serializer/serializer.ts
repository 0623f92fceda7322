import type { EventMetadata, RecordedEvent, StreamId } from '@strata/core';
import type { SerializationFormat } from '../codecs/format.js';
import type { RecordView } from '../envelope/record-view.js';
import type { EventRegistry } from '../registry/event-registry.js';

/** An event to encode without store coordinates (see {@link Serializer.encodeEvent}). */
export type EventToEncode = {
  type: string;
  data: unknown;
  /** Absent and `{}` are both stored as "no metadata" and decode to `{}`. */
  metadata?: EventMetadata;
  /** Default: the registry's current version of the type (1 for unregistered types). */
  schemaVersion?: number;
};

/** An event decoded by {@link Serializer.decodeEvent}: data upcast to the current schema version. */
export type DecodedEvent = {
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** The version of `data` after upcasting: the type's current version. */
  schemaVersion: number;
};

/** A record to encode: an event plus where and when a store recorded it. */
export type RecordToEncode = EventToEncode & {
  streamId: StreamId;
  /** Version in the stream: a non-negative safe integer. */
  version: number;
  /** Global position: a non-negative safe integer. */
  position: number;
  /** Event id, unique store-wide. */
  id: string;
  /** A Date, or ms since the epoch (cheaper for stores that read the clock as a number). */
  recordedAt: Date | number;
};

/**
 * Encodes and decodes events in one format. Three envelopes, each a self-checking byte layout
 * (see the package README for the layouts):
 *
 * - **records** ({@link Serializer.encodeRecord}): the value a log-structured store (LMDB) keeps
 *   per event: header with type, stream id, version, position, schema version, recordedAt and id,
 *   then the payload. `readRecordHeader` reads the header without decoding the payload.
 * - **events** ({@link Serializer.encodeEvent}): type, schema version, data and metadata, for
 *   stores that keep the coordinates in columns (PostgreSQL) and for messages.
 * - **values** ({@link Serializer.encodeValue}): schemaless values such as snapshot state.
 *
 * Every method throws Strata errors only: `SERIALIZATION_FAILED` for values the format cannot
 * carry and for truncated, corrupt or foreign bytes; `UNKNOWN_EVENT_TYPE` for types (or schema
 * versions) the registry cannot handle; `INVALID_ARGUMENT` for malformed arguments (a negative
 * position, an empty stream id). Decoding returns the value that was encoded, up to the two
 * conversions the README lists (JSON omits `undefined` properties; `-0` reads as `0`).
 *
 * Returned byte arrays belong to the caller; MessagePack ones are views into a shared slab that
 * later encodes never overwrite (copy them if you keep many for long, as they hold the slab).
 */
export interface Serializer {
  /** The format this serializer writes, and the only one it reads. */
  readonly format: SerializationFormat;
  /** The registry applied to every encode and decode. */
  readonly registry: EventRegistry;
  /** Whether this serializer writes checksums and refuses envelopes without one. */
  readonly checksum: boolean;
  /** Encodes a record envelope: the value of one event in a store's log. */
  encodeRecord(record: RecordToEncode): Uint8Array;
  /**
   * Decodes a record envelope, or the record a {@link RecordView} points at (no second header
   * parse). Data is upcast to the type's current version.
   */
  decodeRecord(record: Uint8Array | RecordView): RecordedEvent;
  /** Encodes an event envelope (type, schema version, data, metadata). */
  encodeEvent(event: EventToEncode): Uint8Array;
  /** Decodes an event envelope; data is upcast to the type's current version. */
  decodeEvent(bytes: Uint8Array): DecodedEvent;
  /** Encodes a value envelope (snapshot state, checkpoints). The protobuf format writes JSON. */
  encodeValue(value: unknown): Uint8Array;
  /** Decodes a value envelope. */
  decodeValue(bytes: Uint8Array): unknown;
}
