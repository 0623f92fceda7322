import { SerializationError } from '@strata/core';
import { corrupt } from '../internal/failures.js';
import { readU32 } from '../internal/bytes.js';
import { FIRST_FORMAT_ID, LAST_FORMAT_ID } from '../codecs/format.js';
import {
  FLAG_CHECKSUM,
  KNOWN_FLAGS,
  MAGIC,
  MAX_PAYLOAD_BYTES,
  OFFSET_CHECKSUM,
  OFFSET_FLAGS,
  OFFSET_FORMAT,
  OFFSET_LAYOUT,
} from './layout.js';

/** Writes the 8-byte prefix (the checksum is written later, by `sealChecksum`, or left 0). */
export function writePrefix(bytes: Uint8Array, layout: number, formatId: number, flags: number): void {
  bytes[0] = MAGIC;
  bytes[OFFSET_LAYOUT] = layout;
  bytes[OFFSET_FORMAT] = formatId;
  bytes[OFFSET_FLAGS] = flags;
  bytes[OFFSET_CHECKSUM] = 0;
  bytes[OFFSET_CHECKSUM + 1] = 0;
  bytes[OFFSET_CHECKSUM + 2] = 0;
  bytes[OFFSET_CHECKSUM + 3] = 0;
}

/**
 * Checks the prefix of an envelope of `layout` at least `fixedSize` long and returns its flags.
 * Throws `SERIALIZATION_FAILED` for other bytes.
 */
export function readPrefix(bytes: Uint8Array, layout: number, fixedSize: number, what: string): number {
  if (bytes.length < fixedSize) throw corrupt(`${what} needs at least ${fixedSize} bytes, got ${bytes.length}`);
  if (bytes[0] !== MAGIC || bytes[OFFSET_LAYOUT] !== layout) throw corrupt(`not a Strata ${what}`);
  const formatId = bytes[OFFSET_FORMAT] as number;
  if (formatId < FIRST_FORMAT_ID || formatId > LAST_FORMAT_ID) throw corrupt(`unknown format id ${formatId}`);
  const flags = bytes[OFFSET_FLAGS] as number;
  if ((flags & ~KNOWN_FLAGS) !== 0) throw corrupt(`unknown flags ${flags}`);
  if ((flags & FLAG_CHECKSUM) === 0 && readU32(bytes, OFFSET_CHECKSUM) !== 0) throw corrupt('stray checksum');
  return flags;
}

/**
 * The payload length of an encoded envelope, after checking it fits the header's four bytes.
 * Stores cap events far below this; the check keeps a huge payload from wrapping around.
 */
export function payloadLength(out: Uint8Array, reserve: number): number {
  const length = out.length - reserve;
  if (length > MAX_PAYLOAD_BYTES) {
    throw new SerializationError(`A payload of ${length} bytes exceeds the envelope's limit of ${MAX_PAYLOAD_BYTES}`, {
      details: { reason: 'too_large', bytes: length },
    });
  }
  return length;
}
