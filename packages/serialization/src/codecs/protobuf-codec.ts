import { SerializationError, UnknownEventTypeError, type EventMetadata } from '@strata/core';
import type { IConversionOptions, Type } from 'protobufjs';
import { readU32, writeU32 } from '../internal/bytes.js';
import { corrupt } from '../internal/failures.js';
import { FORMAT_IDS } from './format.js';
import { JsonCodec, isDecodedObject, readJsonText } from './json-codec.js';
import type { EventVersionPlan } from '../registry/event-registry.js';
import type { PayloadCodec } from './payload-codec.js';
import { checkProtobufKeys } from './protobuf-keys.js';
import { checkDecoded, checkJsonEncodable } from './value-check.js';

/**
 * How decoded messages become plain objects: every field present (proto3 defaults filled in),
 * 64-bit integers as numbers, enums as their numeric values (what `verify` accepts on the way in).
 */
const TO_OBJECT: IConversionOptions = { longs: Number, defaults: true, arrays: true, objects: true };

/**
 * Protocol Buffers through protobufjs, with the message type registered for each event type and
 * schema version. Metadata has no schema, so it travels as JSON beside the message.
 *
 * Payload: the message bytes, or `u32 metadata length | metadata JSON | message bytes` when there
 * is metadata. Values (snapshots) are written as JSON.
 */
export class ProtobufCodec implements PayloadCodec {
  readonly format = 'protobuf' as const;
  readonly formatId = FORMAT_IDS.protobuf;
  readonly valueFormatId = FORMAT_IDS.json;
  readonly #json = new JsonCodec();

  encodePayload(
    eventType: string,
    version: EventVersionPlan,
    data: unknown,
    metadata: EventMetadata | undefined,
    reserve: number,
  ): Uint8Array {
    const type = messageType(eventType, version);
    const problem = type.verify(data as Record<string, unknown>);
    if (problem !== null) {
      throw new SerializationError(`Invalid ${eventType} (protobuf ${type.fullName}): ${problem}`, {
        details: { type: eventType, schemaVersion: version.schemaVersion, reason: 'schema' },
      });
    }
    checkProtobufKeys(type, data, 'data');
    const message = type.encode(data as Record<string, unknown>).finish();
    if (metadata === undefined) {
      const out = Buffer.allocUnsafe(reserve + message.length);
      out.set(message, reserve);
      return out;
    }
    checkJsonEncodable(metadata, 'metadata');
    const metadataText = JSON.stringify(metadata);
    const metadataLength = Buffer.byteLength(metadataText, 'utf8');
    const out = Buffer.allocUnsafe(reserve + 4 + metadataLength + message.length);
    writeU32(out, reserve, metadataLength);
    out.write(metadataText, reserve + 4, metadataLength, 'utf8');
    out.set(message, reserve + 4 + metadataLength);
    return out;
  }

  decodePayload(
    eventType: string,
    version: EventVersionPlan,
    bytes: Uint8Array,
    start: number,
    end: number,
    hasMetadata: boolean,
  ): readonly [unknown, EventMetadata] {
    const type = messageType(eventType, version);
    let messageStart = start;
    let metadata: EventMetadata = {};
    if (hasMetadata) {
      if (end - start < 4) throw corrupt('protobuf payload too short for its metadata length');
      const metadataLength = readU32(bytes, start);
      messageStart = start + 4 + metadataLength;
      if (messageStart > end) throw corrupt('protobuf metadata length exceeds the payload');
      const decoded = readJsonText(bytes, start + 4, messageStart);
      if (!isDecodedObject(decoded)) throw corrupt('protobuf metadata is not an object');
      checkDecoded(decoded, 'metadata', 'json');
      metadata = decoded;
    }
    // protobufjs returns bytes fields as views of its input; decoding a private copy keeps them
    // valid after the caller's buffer is reused.
    const message = type.decode(new Uint8Array(bytes.subarray(messageStart, end)));
    const data = type.toObject(message, TO_OBJECT);
    checkDecoded(data, 'data', 'protobuf');
    return [data, metadata];
  }

  encodeValue(value: unknown, reserve: number): Uint8Array {
    return this.#json.encodeValue(value, reserve);
  }

  decodeValue(bytes: Uint8Array, start: number, end: number): unknown {
    return this.#json.decodeValue(bytes, start, end);
  }
}

function messageType(eventType: string, version: EventVersionPlan): Type {
  const type = version.protobuf;
  if (type === undefined) {
    throw new UnknownEventTypeError(eventType, {
      schemaVersion: version.schemaVersion,
      details: { reason: 'no_protobuf_schema' },
    });
  }
  return type;
}
