/** Numbers stored as values (positions in the `ids` index, checkpoints, visible-from versions). */
const scratch = Buffer.alloc(8);

/** Encodes a number as 8 bytes into a shared scratch buffer (copied by a `put` in a write transaction). */
export function encodeNumber(value: number): Buffer {
  scratch.writeDoubleLE(value, 0);
  return scratch;
}

/** Decodes a number written by {@link encodeNumber}. */
export function decodeNumber(bytes: Uint8Array): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, 8).readDoubleLE(0);
}
