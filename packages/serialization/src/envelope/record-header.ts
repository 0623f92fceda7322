import { InvalidArgumentError } from '@strata/core';
import { readInt53, readU16, readU32, readUint53, readUtf8 } from '../internal/bytes.js';
import { corrupt } from '../internal/failures.js';
import { sliceAscii } from '../internal/name-cache.js';
import { readPrefix } from './envelope-prefix.js';
import { LAYOUT_RECORD, OFFSET_FORMAT, RECORD } from './layout.js';

/** Largest |ms| a Date can hold. */
const MAX_DATE_MS = 8.64e15;

/** The fixed fields of a record header, and where its names and payload start. */
export type RecordHeaderFields = {
  formatId: number;
  flags: number;
  schemaVersion: number;
  position: number;
  version: number;
  recordedAtMs: number;
  streamIdStart: number;
  idStart: number;
  payloadStart: number;
};

// A shared scratch object: the decoders copy its fields to locals straight away, so one object
// serves every call and a record costs no allocation for its header.
const header: RecordHeaderFields = {
  formatId: 0,
  flags: 0,
  schemaVersion: 0,
  position: 0,
  version: 0,
  recordedAtMs: 0,
  streamIdStart: 0,
  idStart: 0,
  payloadStart: 0,
};

/**
 * Checks a record header and returns its fields in a shared object that the next call overwrites.
 * Throws `SERIALIZATION_FAILED` for bytes that are not one complete record.
 */
export function parseRecordHeader(bytes: Uint8Array): RecordHeaderFields {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('bytes', 'expected a Uint8Array');
  const flags = readPrefix(bytes, LAYOUT_RECORD, RECORD.fixedSize, 'record');
  if (readU16(bytes, RECORD.reserved) !== 0) throw corrupt('reserved header bytes are set');
  const schemaVersion = readU32(bytes, RECORD.schemaVersion);
  if (schemaVersion === 0) throw corrupt('schema version 0');
  const position = readUint53(bytes, RECORD.position);
  const version = readUint53(bytes, RECORD.version);
  if (position < 0 || version < 0) throw corrupt('position or version out of range');
  const recordedAtMs = readInt53(bytes, RECORD.recordedAt);
  if (!(Math.abs(recordedAtMs) <= MAX_DATE_MS)) throw corrupt('recordedAt out of range');
  const typeLength = readU16(bytes, RECORD.typeLength);
  const streamIdLength = readU16(bytes, RECORD.streamIdLength);
  const idLength = readU16(bytes, RECORD.idLength);
  if (typeLength === 0 || streamIdLength === 0 || idLength === 0) throw corrupt('empty type, stream id or event id');
  const streamIdStart = RECORD.fixedSize + typeLength;
  const idStart = streamIdStart + streamIdLength;
  const payloadStart = idStart + idLength;
  if (payloadStart + readU32(bytes, RECORD.payloadLength) !== bytes.length) {
    throw corrupt('record length does not match its header', { bytes: bytes.length });
  }
  header.formatId = bytes[OFFSET_FORMAT] as number;
  header.flags = flags;
  header.schemaVersion = schemaVersion;
  header.position = position;
  header.version = version;
  header.recordedAtMs = recordedAtMs;
  header.streamIdStart = streamIdStart;
  header.idStart = idStart;
  header.payloadStart = payloadStart;
  return header;
}

/** Decodes one name: sliced when the header says ASCII, strict UTF-8 otherwise. */
export function readName(bytes: Uint8Array, start: number, end: number, what: string, ascii = false): string {
  if (ascii) return sliceAscii(bytes, start, end);
  try {
    return readUtf8(bytes, start, end);
  } catch (err) {
    throw corrupt(`malformed UTF-8 in the ${what}`, { cause: String(err) });
  }
}
