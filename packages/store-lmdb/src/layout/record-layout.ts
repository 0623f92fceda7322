import { SerializationError } from '@strata/core';

/*
 * The few fields of a record envelope the store reads or writes itself, at the offsets the
 * `@strata/serialization` README documents (all little-endian):
 *   0 magic 0xC1 · 3 flags (bit 1: checksum) · 8 payload length (u32) · 16 position (u53 as two u32)
 *   24 version (u53) · 40/42/44 type, stream id and event id lengths (u16) · 48 names, then payload.
 * Everything else goes through the serializer. A unit test pins these offsets against the
 * serializer's own reader and writer.
 */
const MAGIC = 0xc1;
const OFFSET_FLAGS = 3;
const FLAG_CHECKSUM = 0b10;
const OFFSET_PAYLOAD_LENGTH = 8;
const OFFSET_POSITION = 16;
const OFFSET_VERSION = 24;
const OFFSET_TYPE_LENGTH = 40;
const OFFSET_STREAM_ID_LENGTH = 42;
const OFFSET_ID_LENGTH = 44;
const RECORD_FIXED_SIZE = 48;
const TWO_POW_32 = 4294967296;
/** Where the position's 15 hex digits sit in a generated id (see `GeneratedIds`): `…-8ppp-pppppppppppp`. */
const GENERATED_ID_HEX_AT = [20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35] as const;
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

const subarray = Uint8Array.prototype.subarray;

/** A view of `length` bytes of `bytes` from `offset` (no copy; `bytes` itself when that is all of it). */
export function viewOf(bytes: Uint8Array, offset: number, length: number): Uint8Array {
  return offset === 0 && length === bytes.length ? bytes : subarray.call(bytes, offset, offset + length);
}

function readU16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] as number) | ((bytes[offset + 1] as number) << 8);
}

function readU32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] as number) | ((bytes[offset + 1] as number) << 8) | ((bytes[offset + 2] as number) << 16)) + (bytes[offset + 3] as number) * 0x1000000;
}

function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = value >>> 24;
}

/** The payload length (encoded data + metadata) of the record at the start of `record`. */
export function payloadLengthOf(record: Uint8Array): number {
  return readU32(record, OFFSET_PAYLOAD_LENGTH);
}

/** Whether the record at `offset` carries a checksum (its coordinates must then be set by the serializer, which re-seals it). */
export function hasChecksum(bytes: Uint8Array, offset: number): boolean {
  return ((bytes[offset + OFFSET_FLAGS] as number) & FLAG_CHECKSUM) !== 0;
}

/**
 * The length of the record envelope that starts at `offset` of a log chunk. A chunk is the records
 * of one append written back to back; record envelopes are self-delimiting, so a chunk needs no
 * framing of its own. Throws `SERIALIZATION_FAILED` when no complete record starts there.
 */
export function recordLengthAt(chunk: Uint8Array, offset: number): number {
  const end = chunk.length;
  if (offset + RECORD_FIXED_SIZE > end || chunk[offset] !== MAGIC) throw corruptChunk(offset);
  const length =
    RECORD_FIXED_SIZE +
    readU16(chunk, offset + OFFSET_TYPE_LENGTH) +
    readU16(chunk, offset + OFFSET_STREAM_ID_LENGTH) +
    readU16(chunk, offset + OFFSET_ID_LENGTH) +
    readU32(chunk, offset + OFFSET_PAYLOAD_LENGTH);
  if (offset + length > end) throw corruptChunk(offset);
  return length;
}

/**
 * Writes the position and version of the checksum-less record at `offset`, and, when
 * `generatedId` is set, the position's hex digits into its event id (encoded from the store's
 * generated-id template, which has the right length and the store's prefix). This is what
 * `setRecordCoordinates` does, minus its argument checks and id string, for records the store
 * encoded itself a moment earlier: it runs per event inside the write transaction.
 */
export function writeCoordinates(chunk: Uint8Array, offset: number, position: number, version: number, generatedId: boolean): void {
  const low = position % TWO_POW_32;
  const high = (position - low) / TWO_POW_32;
  writeU32(chunk, offset + OFFSET_POSITION, low);
  writeU32(chunk, offset + OFFSET_POSITION + 4, high);
  const versionLow = version % TWO_POW_32;
  writeU32(chunk, offset + OFFSET_VERSION, versionLow);
  writeU32(chunk, offset + OFFSET_VERSION + 4, (version - versionLow) / TWO_POW_32);
  if (!generatedId) return;
  const idStart = offset + RECORD_FIXED_SIZE + readU16(chunk, offset + OFFSET_TYPE_LENGTH) + readU16(chunk, offset + OFFSET_STREAM_ID_LENGTH);
  // 15 hex digits: the low 8 from the low word, the high 7 from the high word.
  let word = low;
  for (let i = 14; i >= 7; i--) {
    chunk[idStart + (GENERATED_ID_HEX_AT[i] as number)] = HEX_DIGITS[word & 0xf] as number;
    word >>>= 4;
  }
  word = high;
  for (let i = 6; i >= 0; i--) {
    chunk[idStart + (GENERATED_ID_HEX_AT[i] as number)] = HEX_DIGITS[word & 0xf] as number;
    word >>>= 4;
  }
}

function corruptChunk(offset: number): SerializationError {
  return new SerializationError(`Corrupt log chunk: no complete record at offset ${offset}`, {
    details: { reason: 'corrupt', offset },
  });
}
