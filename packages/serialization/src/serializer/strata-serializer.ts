import { InvalidArgumentError, type EventMetadata, type RecordedEvent } from '@strata/core';
import { formatName, type SerializationFormat } from '../codecs/format.js';
import type { PayloadCodec } from '../codecs/payload-codec.js';
import { readU16, readU32, writeText, writeU16, writeU32 } from '../internal/bytes.js';
import { corrupt, serializationFailure } from '../internal/failures.js';
import { sliceAscii, typeNames } from '../internal/name-cache.js';
import { sealChecksum, verifyChecksum } from '../envelope/checksum.js';
import { payloadLength, readPrefix, writePrefix } from '../envelope/envelope-prefix.js';
import {
  EVENT,
  FLAG_ASCII_NAMES,
  FLAG_CHECKSUM,
  FLAG_FRAMED_NAMES,
  FLAG_METADATA,
  FRAMED,
  LAYOUT_EVENT,
  LAYOUT_VALUE,
  OFFSET_FORMAT,
  RECORD,
  VALUE,
} from '../envelope/layout.js';
import { checkName, nameBytes } from '../envelope/names.js';
import { metadataToWrite } from '../envelope/metadata.js';
import { encodeRecordEnvelope, type ResolveVersion } from '../envelope/record-envelope.js';
import { HeaderNamesCache } from '../envelope/header-names.js';
import { parseRecordHeader, readName, typeEnd } from '../envelope/record-header.js';
import { RecordView } from '../envelope/record-view.js';
import type { EventRegistry, EventTypePlan } from '../registry/event-registry.js';
import type { DecodedEvent, EventToEncode, RecordToEncode, Serializer } from './serializer.js';
import { TypeResolver, bareVersion } from './type-resolver.js';

/** The {@link Serializer} behind `createSerializer`: envelopes around one {@link PayloadCodec}. */
export class StrataSerializer implements Serializer {
  readonly format: SerializationFormat;
  readonly registry: EventRegistry;
  readonly checksum: boolean;
  readonly #codec: PayloadCodec;
  readonly #types: TypeResolver;
  readonly #resolveVersion: ResolveVersion;
  readonly #names = new HeaderNamesCache();

  constructor(codec: PayloadCodec, registry: EventRegistry, checksum: boolean) {
    this.format = codec.format;
    this.registry = registry;
    this.checksum = checksum;
    this.#codec = codec;
    const types = new TypeResolver(registry);
    this.#types = types;
    this.#resolveVersion = (type, requested, data) => types.forWrite(type, requested, data);
  }

  encodeRecord(record: RecordToEncode): Uint8Array {
    try {
      return encodeRecordEnvelope(this.#codec, record, this.checksum, this.#resolveVersion, this.#names);
    } catch (err) {
      throw serializationFailure(err, this.format, 'encode');
    }
  }

  decodeRecord(record: Uint8Array | RecordView): RecordedEvent {
    try {
      // A view checked its header already, but parsing it again costs less than a second code path;
      // its type is reused (a scan has usually decoded it to filter, through the type cache).
      const view = record instanceof Uint8Array || !(record instanceof RecordView) ? undefined : record;
      // A view may point into a larger buffer (a store's chunk of records): decoding reads it in
      // place, so the unpacker keeps its per-buffer state for the whole chunk.
      const bytes = view === undefined ? (record as Uint8Array) : view.source;
      const start = view === undefined ? 0 : view.start;
      const end = view === undefined ? bytes.length : view.end;
      const header = parseRecordHeader(bytes, start, end);
      // Copied out of the shared scratch object before any other code runs.
      const flags = header.flags;
      const schemaVersion = header.schemaVersion;
      const position = header.position;
      const version = header.version;
      const recordedAtMs = header.recordedAtMs;
      const streamIdStart = header.streamIdStart;
      const idStart = header.idStart;
      const payloadStart = header.payloadStart;
      if (header.formatId !== this.#codec.formatId) throw this.#formatMismatch(header.formatId);
      if (this.checksum || (flags & FLAG_CHECKSUM) !== 0) verifyChecksum(view === undefined ? bytes : view.bytes, this.checksum);
      const hasMetadata = (flags & FLAG_METADATA) !== 0;
      // A view's type (a filter has usually decoded it), else through the type cache for ASCII names
      // (framed ones end with their framing).
      const type =
        view !== undefined
          ? view.type
          : (flags & FLAG_ASCII_NAMES) !== 0
            ? typeNames.decode(bytes, RECORD.fixedSize, typeEnd(flags, streamIdStart))
            : readName(bytes, RECORD.fixedSize, streamIdStart, 'type');
      let streamId: string;
      let id: string;
      let data: unknown;
      let metadata: EventMetadata;
      let plan: EventTypePlan | undefined;
      if ((flags & FLAG_FRAMED_NAMES) !== 0) {
        // The header checked the framing: one unpack decodes the names with the payload.
        const decodeFramed = this.#codec.decodeFramed;
        if (decodeFramed === undefined) throw corrupt(`framed names in a ${this.format} record`);
        plan = this.#types.forRead(type, schemaVersion);
        const items = decodeFramed.call(this.#codec, bytes, typeEnd(flags, streamIdStart), end, hasMetadata);
        streamId = items[0] as string;
        id = items[1] as string;
        if (
          typeof streamId !== 'string' ||
          streamId.length !== idStart - streamIdStart - FRAMED.streamIdTail ||
          typeof id !== 'string' ||
          id.length !== payloadStart - idStart
        ) {
          throw corrupt('the framed names do not match the header');
        }
        data = items[2];
        metadata = items[3];
      } else {
        if ((flags & FLAG_ASCII_NAMES) !== 0) {
          // One native call for both, even when a view has one of them already (a filter decodes the
          // stream id, never the event id): V8 slices the result without copying.
          const text = sliceAscii(bytes, streamIdStart, payloadStart);
          streamId = text.slice(0, idStart - streamIdStart);
          id = text.slice(idStart - streamIdStart);
        } else if (view !== undefined) {
          streamId = view.streamId;
          id = view.id;
        } else {
          streamId = readName(bytes, streamIdStart, idStart, 'stream id');
          id = readName(bytes, idStart, payloadStart, 'event id');
        }
        plan = this.#types.forRead(type, schemaVersion);
        const schema = plan?.version(schemaVersion) ?? bareVersion(schemaVersion);
        const payload = this.#codec.decodePayload(type, schema, bytes, payloadStart, end, hasMetadata);
        data = payload[0];
        metadata = payload[1];
      }
      return {
        streamId,
        version,
        position,
        id,
        type,
        data: plan === undefined ? data : plan.upcast(data, schemaVersion, metadata),
        metadata,
        schemaVersion: plan === undefined ? schemaVersion : plan.currentVersion,
        recordedAt: new Date(recordedAtMs),
      };
    } catch (err) {
      throw serializationFailure(err, this.format, 'decode');
    }
  }

  encodeEvent(event: EventToEncode): Uint8Array {
    try {
      if (typeof event !== 'object' || event === null) throw new InvalidArgumentError('event', 'expected an object');
      const { type } = event;
      checkName(type, 'type');
      const typeBytes = nameBytes(type, 'type');
      const metadata = metadataToWrite(event.metadata);
      const schema = this.#types.forWrite(type, event.schemaVersion, event.data);
      const reserve = EVENT.fixedSize + typeBytes;
      const out = this.#codec.encodePayload(type, schema, event.data, metadata, reserve);
      const ascii = typeBytes === type.length;
      const flags = (metadata === undefined ? 0 : FLAG_METADATA) | (ascii ? FLAG_ASCII_NAMES : 0);
      writePrefix(out, LAYOUT_EVENT, this.#codec.formatId, flags);
      writeU32(out, EVENT.payloadLength, payloadLength(out, reserve));
      writeU32(out, EVENT.schemaVersion, schema.schemaVersion);
      writeU16(out, EVENT.typeLength, typeBytes);
      writeU16(out, EVENT.reserved, 0);
      writeText(out, EVENT.fixedSize, type, typeBytes, ascii);
      if (this.checksum) sealChecksum(out);
      return out;
    } catch (err) {
      throw serializationFailure(err, this.format, 'encode');
    }
  }

  decodeEvent(bytes: Uint8Array): DecodedEvent {
    try {
      if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('bytes', 'expected a Uint8Array');
      const flags = readPrefix(bytes, LAYOUT_EVENT, EVENT.fixedSize, 'event');
      this.#checkFormat(bytes, this.#codec.formatId);
      if (readU16(bytes, EVENT.reserved) !== 0) throw corrupt('reserved header bytes are set');
      const schemaVersion = readU32(bytes, EVENT.schemaVersion);
      if (schemaVersion === 0) throw corrupt('schema version 0');
      const typeLength = readU16(bytes, EVENT.typeLength);
      const payloadStart = EVENT.fixedSize + typeLength;
      if (typeLength === 0 || payloadStart + readU32(bytes, EVENT.payloadLength) !== bytes.length) {
        throw corrupt('event length does not match its header', { bytes: bytes.length });
      }
      verifyChecksum(bytes, this.checksum);
      const type =
        (flags & FLAG_ASCII_NAMES) !== 0
          ? typeNames.decode(bytes, EVENT.fixedSize, payloadStart)
          : readName(bytes, EVENT.fixedSize, payloadStart, 'type');
      const plan = this.#types.forRead(type, schemaVersion);
      const schema = plan?.version(schemaVersion) ?? bareVersion(schemaVersion);
      const hasMetadata = (flags & FLAG_METADATA) !== 0;
      const [stored, metadata] = this.#codec.decodePayload(type, schema, bytes, payloadStart, bytes.length, hasMetadata);
      if (plan === undefined) return { type, data: stored, metadata, schemaVersion };
      return { type, data: plan.upcast(stored, schemaVersion, metadata), metadata, schemaVersion: plan.currentVersion };
    } catch (err) {
      throw serializationFailure(err, this.format, 'decode');
    }
  }

  encodeValue(value: unknown): Uint8Array {
    try {
      const out = this.#codec.encodeValue(value, VALUE.fixedSize);
      writePrefix(out, LAYOUT_VALUE, this.#codec.valueFormatId, 0);
      if (this.checksum) sealChecksum(out);
      return out;
    } catch (err) {
      throw serializationFailure(err, this.format, 'encode');
    }
  }

  decodeValue(bytes: Uint8Array): unknown {
    try {
      if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('bytes', 'expected a Uint8Array');
      const flags = readPrefix(bytes, LAYOUT_VALUE, VALUE.fixedSize + 1, 'value');
      if ((flags & FLAG_METADATA) !== 0) throw corrupt('a value has no metadata');
      this.#checkFormat(bytes, this.#codec.valueFormatId);
      verifyChecksum(bytes, this.checksum);
      return this.#codec.decodeValue(bytes, VALUE.fixedSize, bytes.length);
    } catch (err) {
      throw serializationFailure(err, this.format, 'decode');
    }
  }

  #checkFormat(bytes: Uint8Array, expected: number): void {
    const actual = bytes[OFFSET_FORMAT] as number;
    if (actual !== expected) throw this.#formatMismatch(actual);
  }

  #formatMismatch(actual: number): Error {
    const written = formatName(actual) ?? `format ${actual}`;
    return corrupt(`bytes were written in the ${written} format; this serializer reads ${this.format}`, {
      reason: 'format_mismatch',
    });
  }
}
