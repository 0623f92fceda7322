import { deepEqual, isPlainObject, type EventData, type EventMetadata } from '@strata/core';
import { createSerializer, type Serializer } from '@strata/serialization';
import type { DecodedPayload, EncodedEvent, EventCodec, StoredPayload } from './event-codec.js';

/** Length of the value envelope's prefix; JSON text follows it (see the serialization package's layout). */
const VALUE_PREFIX = 8;
const EMPTY = '{}';

/**
 * Stores data and metadata as `jsonb`, so events can be queried in SQL. Values go through the JSON
 * serializer first, which refuses what JSON would silently change (Dates, bigints, `undefined` in
 * arrays, class instances): `SERIALIZATION_FAILED`. jsonb itself refuses `\u0000` in strings.
 * jsonb does not keep key order or duplicate keys; data reads back equal, not byte-identical.
 */
export class JsonbCodec implements EventCodec {
  readonly format = 'jsonb' as const;
  readonly payloadColumns = ['data', 'metadata'] as const;
  readonly payloadTypes = ['jsonb', 'jsonb'] as const;
  readonly readColumns = ['type', 'schema_version', 'data', 'metadata'] as const;
  readonly readColumnTypes = ['text', 'integer', 'jsonb', 'jsonb'] as const;
  readonly payloadJsonSql = ['e.data', 'e.metadata'] as const;
  readonly metadataType = 'jsonb';
  readonly #json: Serializer = createSerializer({ format: 'json' });

  encode(event: EventData): EncodedEvent {
    const data = this.#text(event.data);
    const metadata = event.metadata === undefined || Object.keys(event.metadata).length === 0 ? EMPTY : this.#text(event.metadata);
    return { values: [data, metadata], schemaVersion: event.schemaVersion ?? 1, bytes: Buffer.byteLength(data) + Buffer.byteLength(metadata) };
  }

  readTransferSql(prefix: string): readonly string[] {
    return this.readColumns.map((column) => `${prefix}${column}`);
  }

  payloadFromJson(values: readonly unknown[]): StoredPayload {
    return { data: values[0], metadata: values[1] };
  }

  decode(row: readonly unknown[], at: number): DecodedPayload {
    const metadata = row[at + 3];
    return {
      type: row[at] as string,
      schemaVersion: row[at + 1] as number,
      data: row[at + 2],
      metadata: isPlainObject(metadata) ? metadata : {},
    };
  }

  sameContent(row: StoredPayload, _type: string, _schemaVersion: number, encoded: EncodedEvent): boolean {
    return (
      deepEqual(row['data'], JSON.parse(encoded.values[0] as string)) && deepEqual(row['metadata'], JSON.parse(encoded.values[1] as string))
    );
  }

  encodeMetadata(metadata: EventMetadata): unknown {
    return this.#text(metadata);
  }

  decodeMetadata(value: unknown): EventMetadata {
    return isPlainObject(value) ? value : {};
  }

  #text(value: unknown): string {
    const bytes = this.#json.encodeValue(value);
    return Buffer.from(bytes.buffer, bytes.byteOffset + VALUE_PREFIX, bytes.byteLength - VALUE_PREFIX).toString('utf8');
  }
}
