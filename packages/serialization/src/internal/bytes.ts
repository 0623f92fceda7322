/**
 * Little-endian integer and UTF-8 helpers for the binary envelopes. They work on any Uint8Array
 * (a Node Buffer, a plain view over LMDB's memory map) without creating a DataView per buffer,
 * because a DataView allocation per record costs as much as reading the whole header.
 */

// Imported rather than global: Node defines the global `Buffer` as an accessor, so every use of
// it in a hot path would call a getter.
import { Buffer } from 'node:buffer';

const TWO_POW_32 = 4294967296;
/** Largest high word of a safe integer (2^53 - 1 >> 32). */
const MAX_SAFE_HIGH = 0x1fffff;

/** Writes a uint16 at `offset`. */
export function writeU16(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = value >>> 8;
}

/** Reads a uint16 at `offset`. The caller has checked the bounds. */
export function readU16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] as number) | ((bytes[offset + 1] as number) << 8);
}

/** Writes a uint32 at `offset`. */
export function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = value >>> 24;
}

/** Reads a uint32 at `offset`. The caller has checked the bounds. */
export function readU32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] as number) |
      ((bytes[offset + 1] as number) << 8) |
      ((bytes[offset + 2] as number) << 16)) +
    (bytes[offset + 3] as number) * 0x1000000
  );
}

/** Writes a non-negative safe integer as 8 bytes (low word, then high word). */
export function writeUint53(bytes: Uint8Array, offset: number, value: number): void {
  const low = value % TWO_POW_32;
  writeU32(bytes, offset, low);
  writeU32(bytes, offset + 4, (value - low) / TWO_POW_32);
}

/** Reads 8 bytes written by {@link writeUint53}; returns -1 when they do not hold a safe integer. */
export function readUint53(bytes: Uint8Array, offset: number): number {
  const high = readU32(bytes, offset + 4);
  if (high > MAX_SAFE_HIGH) return -1;
  return high * TWO_POW_32 + readU32(bytes, offset);
}

/** Writes a safe integer (possibly negative) as 8 bytes, two's complement. */
export function writeInt53(bytes: Uint8Array, offset: number, value: number): void {
  const high = Math.floor(value / TWO_POW_32);
  writeU32(bytes, offset, value - high * TWO_POW_32);
  writeU32(bytes, offset + 4, high >>> 0);
}

/** Reads 8 bytes written by {@link writeInt53}; returns NaN when they do not hold a safe integer. */
export function readInt53(bytes: Uint8Array, offset: number): number {
  // `<< 24` of the top byte yields the signed high word directly.
  const high =
    (bytes[offset + 4] as number) |
    ((bytes[offset + 5] as number) << 8) |
    ((bytes[offset + 6] as number) << 16) |
    ((bytes[offset + 7] as number) << 24);
  if (high > MAX_SAFE_HIGH || high < -MAX_SAFE_HIGH - 1) return Number.NaN;
  return high * TWO_POW_32 + readU32(bytes, offset);
}

type NativeWrite = (this: Uint8Array, text: string, offset: number, length: number) => number;
const bufferMethods = Buffer.prototype as unknown as { latin1Write: NativeWrite; utf8Write: NativeWrite };
const latin1Write = bufferMethods.latin1Write;
const utf8Write = bufferMethods.utf8Write;

type WellFormed = { isWellFormed(): boolean };

/** True when `text` is well-formed UTF-16 (no lone surrogate), i.e. has an exact UTF-8 form. */
export function isWellFormed(text: string): boolean {
  return (text as unknown as WellFormed).isWellFormed();
}

/** UTF-8 length of a well-formed string. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Writes `text` at `offset` as UTF-8 (`length` bytes, from {@link utf8Length}); `ascii` when the
 * caller knows every character is below 0x80, where the native latin1 writer is the fastest.
 * Native writers beat a JS loop here: one call writes all names of a header.
 */
export function writeText(bytes: Uint8Array, offset: number, text: string, length: number, ascii: boolean): void {
  (ascii ? latin1Write : utf8Write).call(bytes, text, offset, length);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes UTF-8 bytes `[start, end)`. Throws a `TypeError` on malformed UTF-8 (the caller maps
 * it to `SERIALIZATION_FAILED`): a corrupt name must never decode to a different, valid-looking one.
 */
export function readUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (start === end) return '';
  return strictUtf8.decode(bytes.subarray(start, end));
}
