import { InvalidArgumentError, type SerializationError } from '@strata/core';
import { FIRST_FORMAT_ID, LAST_FORMAT_ID } from '../codecs/format.js';
import { readInt53, readU16, readU32, readUint53, readUtf8 } from '../internal/bytes.js';
import { corrupt } from '../internal/failures.js';
import { sliceAscii } from '../internal/name-cache.js';
import { readPrefix } from './envelope-prefix.js';
import {
  FLAG_ASCII_NAMES,
  FLAG_CHECKSUM,
  FLAG_FRAMED_NAMES,
  FRAMED,
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
 * Checks the header of the record in bytes `[start, end)` (by default all of `bytes`) and returns
 * its fields in a shared object that the next call overwrites; the name and payload offsets are
 * offsets in `bytes`. Throws `SERIALIZATION_FAILED` for bytes that are not one complete record.
 */
export function parseRecordHeader(bytes: Uint8Array, start = 0, end = bytes.length): RecordHeaderFields {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('bytes', 'expected a Uint8Array');
  // Every record read starts here: the checks are two tests, the prefix checks of readPrefix
  // written out (a call costs more than they do). headerFailure runs the checks one by one to
  // name the one that failed.
  const formatId = bytes[start + OFFSET_FORMAT] as number;
  const flags = bytes[start + OFFSET_FLAGS] as number;
  if (
    !(start >= 0 && end <= bytes.length && end - start >= RECORD.fixedSize) ||
    bytes[start] !== MAGIC ||
    bytes[start + OFFSET_LAYOUT] !== LAYOUT_RECORD ||
    formatId < FIRST_FORMAT_ID ||
    formatId > LAST_FORMAT_ID ||
    (flags & ~KNOWN_FLAGS) !== 0 ||
    ((flags & FLAG_CHECKSUM) === 0 && readU32(bytes, start + OFFSET_CHECKSUM) !== 0)
  ) {
    throw headerFailure(bytes, start, end);
  }
  const schemaVersion = readU32(bytes, start + RECORD.schemaVersion);
  const position = readUint53(bytes, start + RECORD.position);
  const version = readUint53(bytes, start + RECORD.version);
  const recordedAtMs = readInt53(bytes, start + RECORD.recordedAt);
  const typeLength = readU16(bytes, start + RECORD.typeLength);
  const streamIdLength = readU16(bytes, start + RECORD.streamIdLength);
  const idLength = readU16(bytes, start + RECORD.idLength);
  const streamIdStart = start + RECORD.fixedSize + typeLength;
  const idStart = streamIdStart + streamIdLength;
  const payloadStart = idStart + idLength;
  if (
    readU16(bytes, start + RECORD.reserved) !== 0 ||
    schemaVersion === 0 ||
    position < 0 ||
    version < 0 ||
    !(Math.abs(recordedAtMs) <= MAX_DATE_MS) ||
    typeLength === 0 ||
    streamIdLength === 0 ||
    idLength === 0 ||
    payloadStart + readU32(bytes, start + RECORD.payloadLength) !== end ||
    ((flags & FLAG_FRAMED_NAMES) !== 0 && !framingFits(flags, typeLength, streamIdLength))
  ) {
    throw headerFailure(bytes, start, end);
  }
  header.formatId = formatId;
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

/**
 * The error for a header {@link parseRecordHeader} refused, for the first check that fails in the
 * order they are listed there (readPrefix throws its own).
 */
function headerFailure(source: Uint8Array, start: number, end: number): SerializationError {
  if (!(start >= 0 && start <= end && end <= source.length)) {
    throw new InvalidArgumentError('range', `[${start}, ${end}) is not within the ${source.length} bytes given`);
  }
  const bytes = start === 0 && end === source.length ? source : source.subarray(start, end);
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
  const flags = bytes[OFFSET_FLAGS] as number;
  if ((flags & FLAG_FRAMED_NAMES) !== 0 && !framingFits(flags, typeLength, streamIdLength)) {
    return corrupt('framed names that are not ASCII or shorter than their framing');
  }
  return corrupt('record length does not match its header', { bytes: bytes.length });
}

/**
 * Whether a record with framed names (layout.ts) can hold them: ASCII names, and regions longer
 * than their framing. The framing bytes themselves are checked where they are read: the unpack
 * that decodes the names must find the lengths the header gives.
 */
function framingFits(flags: number, typeLength: number, streamIdLength: number): boolean {
  return (flags & FLAG_ASCII_NAMES) !== 0 && typeLength > FRAMED.typeTail && streamIdLength > FRAMED.streamIdTail;
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

/**
 * Where the names of a record with these flags end, given where their regions end: before the
 * framing of framed names (layout.ts).
 */
export function typeEnd(flags: number, streamIdStart: number): number {
  return (flags & FLAG_FRAMED_NAMES) === 0 ? streamIdStart : streamIdStart - FRAMED.typeTail;
}

/** Where the stream id ends in a record with these flags, given where the event id starts. */
export function streamIdEnd(flags: number, idStart: number): number {
  return (flags & FLAG_FRAMED_NAMES) === 0 ? idStart : idStart - FRAMED.streamIdTail;
}
