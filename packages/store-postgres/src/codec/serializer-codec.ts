import { deepEqual, isPlainObject, type EventData, type EventMetadata } from '@strata/core';
import type { Serializer } from '@strata/serialization';
import type { DecodedPayload, EncodedEvent, EventCodec, StoredPayload } from './event-codec.js';

/** Offset of the schema version in the event envelope (see the serialization package's layout). */
const ENVELOPE_SCHEMA_VERSION = 12;

/**
 * Stores each event as the serializer's event envelope (type, schema version, data, metadata) in
 * one `bytea` column. Reads run the registry's upcasters; bytes of another format are refused.
 */
export class SerializerCodec implements EventCodec {
  readonly format: 'msgpack' | 'json';
  readonly payloadColumns = ['payload'] as const;
  readonly payloadTypes = ['bytea'] as const;
  // The envelope carries the type and schema version: the payload alone is enough to read.
  readonly readColumns = ['payload'] as const;
  readonly readColumnTypes = ['bytea'] as const;
  readonly payloadJsonSql = ["encode(e.payload, 'base64')"] as const;
  readonly metadataType = 'bytea';
  readonly #serializer: Serializer;

  constructor(serializer: Serializer) {
    if (serializer.format === 'protobuf') {
      throw new TypeError('the protobuf format needs a schema per type: use msgpack or json for the PostgreSQL store');
    }
    this.format = serializer.format;
    this.#serializer = serializer;
  }

  encode(event: EventData): EncodedEvent {
    const bytes = this.#serializer.encodeEvent({
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      schemaVersion: event.schemaVersion,
    });
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { values: [buffer], schemaVersion: buffer.readUInt32LE(ENVELOPE_SCHEMA_VERSION), bytes: buffer.byteLength };
  }

  /**
   * Read statements select the payload as base64 text: pg receives `bytea` as hex text (two
   * characters a byte) and decodes it in JavaScript; base64 is a third of that on the wire and
   * Node decodes it natively (the line breaks PostgreSQL inserts are skipped). Measured on a
   * subscription catch-up: about 15% more events per second.
   */
  readTransferSql(prefix: string): readonly string[] {
    return [`encode(${prefix}payload, 'base64')`];
  }

  payloadFromJson(values: readonly unknown[]): StoredPayload {
    return { payload: Buffer.from(values[0] as string, 'base64') };
  }

  decode(row: readonly unknown[], at: number): DecodedPayload {
    const payload = row[at];
    // Base64 from a read statement, bytes from the read function.
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'base64') : (payload as Uint8Array);
    return this.#serializer.decodeEvent(bytes);
  }

  sameContent(row: StoredPayload, _type: string, _schemaVersion: number, encoded: EncodedEvent): boolean {
    const stored = row['payload'] as Buffer;
    const fresh = encoded.values[0] as Buffer;
    if (stored.equals(fresh)) return true;
    // Equal content can encode differently (key order); compare what both decode to.
    const a = this.#serializer.decodeEvent(stored);
    const b = this.#serializer.decodeEvent(fresh);
    return deepEqual(a.data, b.data) && deepEqual(a.metadata, b.metadata);
  }

  encodeMetadata(metadata: EventMetadata): unknown {
    const bytes = this.#serializer.encodeValue(metadata);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  decodeMetadata(value: unknown): EventMetadata {
    if (value === null || value === undefined) return {};
    const decoded = this.#serializer.decodeValue(value as Uint8Array);
    return isPlainObject(decoded) ? decoded : {};
  }
}
