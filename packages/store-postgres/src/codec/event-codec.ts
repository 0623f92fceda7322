import type { EventData, EventMetadata } from '@strata/core';

/** How event payloads are stored: serializer bytes in one `bytea` column, or `jsonb` columns. */
export type PayloadFormat = 'msgpack' | 'json' | 'jsonb';

/** An event encoded for the append statement. */
export type EncodedEvent = {
  /** Parameter values of the payload columns, in {@link EventCodec.payloadColumns} order. */
  readonly values: readonly unknown[];
  /** The schema version written (the registry may choose it). */
  readonly schemaVersion: number;
  /** Encoded size in bytes (data and metadata), checked against the store's limit. */
  readonly bytes: number;
};

/** The payload columns of a stored event, as read back. */
export type StoredPayload = Readonly<Record<string, unknown>>;

/** An event's content, decoded from what {@link EventCodec.readColumns} selected. */
export type DecodedPayload = {
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** The schema version of `data` after upcasting. */
  schemaVersion: number;
};

/**
 * Turns events into the values of the store's payload columns and back. The store keeps the
 * coordinates (stream, version, position, id, type) in columns of their own either way.
 */
export interface EventCodec {
  readonly format: PayloadFormat;
  /** Names of the payload columns of the events table. */
  readonly payloadColumns: readonly string[];
  /** Their SQL types, in the same order. */
  readonly payloadTypes: readonly string[];
  /** SQL expressions over the events table (alias `e`) that turn the payload columns into JSON values. */
  readonly payloadJsonSql: readonly string[];
  /** Rebuilds the payload columns from the JSON values of {@link EventCodec.payloadJsonSql}. */
  payloadFromJson(values: readonly unknown[]): StoredPayload;
  /** SQL type of stream metadata. */
  readonly metadataType: string;
  /** Encodes one event. Throws `SERIALIZATION_FAILED` (or `UNKNOWN_EVENT_TYPE`) for what the format cannot carry. */
  encode(event: EventData): EncodedEvent;
  /**
   * What a read selects to decode an event (type, schema version and payload), in order: only the
   * payload when it carries the type and schema version itself.
   */
  readonly readColumns: readonly string[];
  /** The SQL types of {@link EventCodec.readColumns}, in the same order. */
  readonly readColumnTypes: readonly string[];
  /**
   * What a read statement selects for each of {@link EventCodec.readColumns} (`prefix`: the table
   * alias and a dot, or nothing): the columns themselves, or a form cheaper to transfer. Functions
   * created by the schema's migrations return the columns as stored; {@link EventCodec.decode}
   * takes either form.
   */
  readTransferSql(prefix: string): readonly string[];
  /** Decodes an event from the values of {@link EventCodec.readColumns}, found in `row` from index `at` on. */
  decode(row: readonly unknown[], at: number): DecodedPayload;
  /** Whether a stored event carries the same data and metadata as a newly encoded one. */
  sameContent(row: StoredPayload, type: string, schemaVersion: number, encoded: EncodedEvent): boolean;
  /** Encodes stream metadata for its column. */
  encodeMetadata(metadata: EventMetadata): unknown;
  /** Decodes stream metadata (`null`: none was set). */
  decodeMetadata(value: unknown): EventMetadata;
}
