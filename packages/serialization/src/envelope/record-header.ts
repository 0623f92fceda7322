import { InvalidArgumentError, type SerializationError } from '@strata/core';
import { FIRST_FORMAT_ID, LAST_FORMAT_ID } from '../codecs/format.js';
import { readInt53, readU16, readU32, readUint53, readUtf8 } from '../internal/bytes.js';
import { corrupt } from '../internal/failures.js';
import { sliceAscii } from '../internal/name-cache.js';
import { readPrefix } from './envelope-prefix.js';
import {
  FLAG_CHECKSUM,
  KNOWN_FLAGS,
  LAYOUT_RECORD,
  MAGIC,
  OFFSET_CHECKSUM,
  OFFSET_FLAGS,
  OFFSET_FORMAT,
  OFFSET_LAYOUT,
  RECORD,
} from './layout.js';

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
  // Every record read starts here: the checks are two tests, the prefix checks of readPrefix
  // written out (a call costs more than they do). headerFailure runs the checks one by one to
  // name the one that failed.
  if (
    bytes.length < RECORD.fixedSize ||
    bytes[0] !== MAGIC ||
    bytes[OFFSET_LAYOUT] !== LAYOUT_RECORD ||
    (bytes[OFFSET_FORMAT] as number) < FIRST_FORMAT_ID ||
    (bytes[OFFSET_FORMAT] as number) > LAST_FORMAT_ID ||
    ((bytes[OFFSET_FLAGS] as number) & ~KNOWN_FLAGS) !== 0 ||
    (((bytes[OFFSET_FLAGS] as number) & FLAG_CHECKSUM) === 0 && readU32(bytes, OFFSET_CHECKSUM) !== 0)
  ) {
    throw headerFailure(bytes);
  }
  const schemaVersion = readU32(bytes, RECORD.schemaVersion);
  const position = readUint53(bytes, RECORD.position);
  const version = readUint53(bytes, RECORD.version);
  const recordedAtMs = readInt53(bytes, RECORD.recordedAt);
  const typeLength = readU16(bytes, RECORD.typeLength);
  const streamIdLength = readU16(bytes, RECORD.streamIdLength);
  const idLength = readU16(bytes, RECORD.idLength);
  const streamIdStart = RECORD.fixedSize + typeLength;
  const idStart = streamIdStart + streamIdLength;
  const payloadStart = idStart + idLength;
  if (
    readU16(bytes, RECORD.reserved) !== 0 ||
    schemaVersion === 0 ||
    position < 0 ||
    version < 0 ||
    !(Math.abs(recordedAtMs) <= MAX_DATE_MS) ||
    typeLength === 0 ||
    streamIdLength === 0 ||
    idLength === 0 ||
    payloadStart + readU32(bytes, RECORD.payloadLength) !== bytes.length
  ) {
    throw headerFailure(bytes);
  }
  header.formatId = bytes[OFFSET_FORMAT] as number;
  header.flags = bytes[OFFSET_FLAGS] as number;
  header.schemaVersion = schemaVersion;
  header.position = position;
  header.version = version;
  header.recordedAtMs = recordedAtMs;
  header.streamIdStart = streamIdStart;
  header.idStart = idStart;
  header.payloadStart = payloadStart;
  return header;
}

/**
 * The error for a header {@link parseRecordHeader} refused, for the first check that fails in the
 * order they are listed there (readPrefix throws its own).
 */
function headerFailure(bytes: Uint8Array): SerializationError {
  readPrefix(bytes, LAYOUT_RECORD, RECORD.fixedSize, 'record');
  if (readU16(bytes, RECORD.reserved) !== 0) return corrupt('reserved header bytes are set');
  if (readU32(bytes, RECORD.schemaVersion) === 0) return corrupt('schema version 0');
  if (readUint53(bytes, RECORD.position) < 0 || readUint53(bytes, RECORD.version) < 0) {
    return corrupt('position or version out of range');
  }
  if (!(Math.abs(readInt53(bytes, RECORD.recordedAt)) <= MAX_DATE_MS)) return corrupt('recordedAt out of range');
  const typeLength = readU16(bytes, RECORD.typeLength);
  const streamIdLength = readU16(bytes, RECORD.streamIdLength);
  const idLength = readU16(bytes, RECORD.idLength);
  if (typeLength === 0 || streamIdLength === 0 || idLength === 0) return corrupt('empty type, stream id or event id');
  return corrupt('record length does not match its header', { bytes: bytes.length });
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
