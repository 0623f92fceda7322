import { InvalidArgumentError } from '@strata/core';
import { readU16, writeUint53 } from '../internal/bytes.js';
import { sealChecksum } from './checksum.js';
import { readPrefix } from './envelope-prefix.js';
import { FLAG_CHECKSUM, LAYOUT_RECORD, OFFSET_FLAGS, RECORD } from './layout.js';

/**
 * Rewrites the store coordinates of an encoded record in place: its position, its version and,
 * optionally, its event id (which must have the same byte length as the id it replaces, e.g. a
 * fixed-format generated id). A store encodes a record before its write transaction (so encoding
 * failures reject the append before anything is written) and sets the coordinates once the
 * transaction has allocated them, without encoding the payload again. Re-seals the checksum when
 * the record carries one. Throws `INVALID_ARGUMENT` for coordinates out of range, an id of another
 * length or non-ASCII id, and `SERIALIZATION_FAILED` for bytes that are not a record.
 */
export function setRecordCoordinates(bytes: Uint8Array, position: number, version: number, id?: string): void {
  readPrefix(bytes, LAYOUT_RECORD, RECORD.fixedSize, 'record');
  if (!Number.isSafeInteger(position) || position < 0) throw new InvalidArgumentError('position', 'expected a non-negative safe integer');
  if (!Number.isSafeInteger(version) || version < 0) throw new InvalidArgumentError('version', 'expected a non-negative safe integer');
  writeUint53(bytes, RECORD.position, position);
  writeUint53(bytes, RECORD.version, version);
  if (id !== undefined) {
    const idLength = readU16(bytes, RECORD.idLength);
    if (typeof id !== 'string' || id.length !== idLength || !/^[\x20-\x7e]*$/.test(id)) {
      throw new InvalidArgumentError('id', `expected a printable ASCII id of ${idLength} characters`);
    }
    const start = RECORD.fixedSize + readU16(bytes, RECORD.typeLength) + readU16(bytes, RECORD.streamIdLength);
    for (let i = 0; i < idLength; i++) bytes[start + i] = id.charCodeAt(i);
  }
  if (((bytes[OFFSET_FLAGS] as number) & FLAG_CHECKSUM) !== 0) sealChecksum(bytes);
}
