import { crc32 } from 'node:zlib';
import { readU32, writeU32 } from '../internal/bytes.js';
import { corrupt } from '../internal/failures.js';
import { FLAG_CHECKSUM, OFFSET_CHECKSUM, OFFSET_FLAGS, PREFIX_SIZE } from './layout.js';

/** CRC-32 of an envelope: bytes 0-3 (magic, layout, format, flags) and 8 to the end. */
function envelopeCrc(bytes: Uint8Array): number {
  return crc32(bytes.subarray(PREFIX_SIZE), crc32(bytes.subarray(0, OFFSET_CHECKSUM)));
}

/** Sets the checksum flag and writes the checksum of an otherwise complete envelope. */
export function sealChecksum(bytes: Uint8Array): void {
  bytes[OFFSET_FLAGS] = (bytes[OFFSET_FLAGS] as number) | FLAG_CHECKSUM;
  writeU32(bytes, OFFSET_CHECKSUM, envelopeCrc(bytes));
}

/**
 * Verifies an envelope's checksum when it has one. With `required`, an envelope without one is
 * refused too, so a flipped flag bit cannot switch the check off. Throws `SERIALIZATION_FAILED`.
 */
export function verifyChecksum(bytes: Uint8Array, required: boolean): void {
  if (((bytes[OFFSET_FLAGS] as number) & FLAG_CHECKSUM) === 0) {
    if (required) throw corrupt('checksum missing', { reason: 'checksum' });
    return;
  }
  if (readU32(bytes, OFFSET_CHECKSUM) !== envelopeCrc(bytes)) {
    throw corrupt('checksum mismatch', { reason: 'checksum' });
  }
}
