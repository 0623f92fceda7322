import { InvalidArgumentError } from '@strata/core';
import type { PayloadCodec } from '../codecs/payload-codec.js';
import { utf8Length, writeInt53, writeText, writeU16, writeU32, writeUint53 } from '../internal/bytes.js';
import type { EventVersionPlan } from '../registry/event-registry.js';
import type { RecordToEncode } from '../serializer/serializer.js';
import { sealChecksum } from './checksum.js';
import { payloadLength, writePrefix } from './envelope-prefix.js';
import { FLAG_ASCII_NAMES, FLAG_FRAMED_NAMES, FLAG_METADATA, FRAMED, LAYOUT_RECORD, RECORD } from './layout.js';
import type { HeaderNamesCache } from './header-names.js';
import { asciiNameBytes, checkName, nameBytes } from './names.js';
import { metadataToWrite } from './metadata.js';

const MAX_DATE_MS = 8.64e15;

/** Applies the registry to a record: the schema version it is written with (runs its validator). */
export type ResolveVersion = (type: string, requested: unknown, data: unknown) => EventVersionPlan;

/**
 * Encodes a record envelope (layout in layout.ts): checks the coordinates, lets the codec write the
 * payload after room for the header, then fills the header in place. `resolve` runs between the
 * checks and the payload; `names` measures and writes the header's names.
 */
export function encodeRecordEnvelope(
  codec: PayloadCodec,
  record: RecordToEncode,
  checksum: boolean,
  resolve: ResolveVersion,
  names: HeaderNamesCache,
): Uint8Array {
  if (typeof record !== 'object' || record === null) throw new InvalidArgumentError('record', 'expected an object');
  const { type, streamId, id, position, version } = record;
  checkName(type, 'type');
  checkName(streamId, 'streamId');
  checkName(id, 'id');
  checkCoordinate(position, 'position');
  checkCoordinate(version, 'version');
  const recordedAtMs = toEpochMs(record.recordedAt);
  // Read from the cache before anything else runs (see HeaderNamesCache).
  const cached = names.has(type, streamId, id);
  const block = cached ? names.block : undefined;
  let text = '';
  // With framed names, the type and stream-id regions count their framing (layout.ts).
  let typeBytes: number;
  let streamIdBytes: number;
  let idBytes: number;
  let ascii: boolean;
  let framed: boolean;
  if (cached) {
    typeBytes = names.typeBytes;
    streamIdBytes = names.streamIdBytes;
    idBytes = names.idBytes;
    ascii = names.ascii;
    framed = names.framed;
  } else {
    // One native length check for the three names: all ASCII is the rule, anything else the exception.
    text = type + streamId + id;
    ascii = utf8Length(text) === text.length;
    framed = ascii && codec.encodeFramed !== undefined && streamId.length <= FRAMED.maxNameBytes && id.length <= FRAMED.maxNameBytes;
    typeBytes = ascii ? asciiNameBytes(type, 'type') : nameBytes(type, 'type');
    streamIdBytes = ascii ? asciiNameBytes(streamId, 'streamId') : nameBytes(streamId, 'streamId');
    idBytes = ascii ? asciiNameBytes(id, 'id') : nameBytes(id, 'id');
    if (framed) {
      typeBytes += FRAMED.typeTail;
      streamIdBytes += FRAMED.streamIdTail;
    }
  }
  const namesBytes = typeBytes + streamIdBytes + idBytes;
  const metadata = metadataToWrite(record.metadata);
  const schema = resolve(type, record.schemaVersion, record.data);
  const reserve = RECORD.fixedSize + namesBytes;
  const out = framed
    ? (codec.encodeFramed as NonNullable<PayloadCodec['encodeFramed']>)(type, schema, record.data, metadata, reserve)
    : codec.encodePayload(type, schema, record.data, metadata, reserve);
  const flags =
    (metadata === undefined ? 0 : FLAG_METADATA) | (ascii ? FLAG_ASCII_NAMES : 0) | (framed ? FLAG_FRAMED_NAMES : 0);
  writePrefix(out, LAYOUT_RECORD, codec.formatId, flags);
  writeU32(out, RECORD.payloadLength, payloadLength(out, reserve));
  writeU32(out, RECORD.schemaVersion, schema.schemaVersion);
  writeUint53(out, RECORD.position, position);
  writeUint53(out, RECORD.version, version);
  writeInt53(out, RECORD.recordedAt, recordedAtMs);
  writeU16(out, RECORD.typeLength, typeBytes);
  writeU16(out, RECORD.streamIdLength, streamIdBytes);
  writeU16(out, RECORD.idLength, idBytes);
  writeU16(out, RECORD.reserved, 0);
  if (block !== undefined) {
    out.set(block, RECORD.fixedSize);
  } else {
    if (framed) writeFramedNames(out, text, typeBytes, streamIdBytes, idBytes);
    else writeText(out, RECORD.fixedSize, text, namesBytes, ascii);
    names.remember(type, streamId, id, out);
  }
  // Whether metadata follows is the record's, not the names': copied names carry another record's.
  if (framed) out[RECORD.fixedSize + typeBytes - FRAMED.typeTail] = metadata === undefined ? FRAMED.arrayOf3 : FRAMED.arrayOf4;
  if (checksum) sealChecksum(out);
  return out;
}

/**
 * Writes framed names (layout.ts) but their array header, which the caller sets, given the region
 * lengths: the three names in one native write, placed so that the stream id lands where it
 * belongs, then the type and the event id moved into place and the str 8 headers written. Cheaper
 * than a native write per name, or than a string with the framing in it (Node measures and writes
 * a string with characters above 0x7F off its ASCII fast paths).
 */
function writeFramedNames(out: Uint8Array, text: string, typeRegion: number, streamIdRegion: number, idBytes: number): void {
  const type = typeRegion - FRAMED.typeTail;
  const streamId = streamIdRegion - FRAMED.streamIdTail;
  const at = RECORD.fixedSize + FRAMED.typeTail;
  writeText(out, at, text, type + streamId + idBytes, true);
  const streamIdAt = RECORD.fixedSize + typeRegion;
  const idAt = streamIdAt + streamIdRegion;
  out.copyWithin(idAt, idAt - FRAMED.streamIdTail, idAt - FRAMED.streamIdTail + idBytes);
  for (let i = 0; i < type; i++) out[RECORD.fixedSize + i] = out[at + i] as number;
  out[streamIdAt - 2] = FRAMED.str8;
  out[streamIdAt - 1] = streamId;
  out[idAt - 2] = FRAMED.str8;
  out[idAt - 1] = idBytes;
}

function checkCoordinate(value: unknown, argument: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(argument, 'expected a non-negative safe integer');
  }
}

function toEpochMs(recordedAt: unknown): number {
  const ms = recordedAt instanceof Date ? recordedAt.getTime() : recordedAt;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || Math.abs(ms) > MAX_DATE_MS) {
    throw new InvalidArgumentError('recordedAt', 'expected a valid Date or an integer of ms since the epoch');
  }
  return ms;
}
