/**
 * One append's place in the log (the `extents` database), keyed by `[streamId, lastVersion]`. The
 * events of one append have consecutive versions and consecutive positions, so one entry per
 * append (not per event) locates a stream's events: `readStream` reads the extents of the versions
 * it wants, then the log from each extent's first position. Stored as 17 bytes: `firstVersion` and
 * `firstPosition` as float64, then a flags byte.
 */
export type Extent = {
  firstVersion: number;
  lastVersion: number;
  firstPosition: number;
  /**
   * The append landed on a stream with no visible events (its first append, or the first after a
   * soft delete): an idempotent retry of it must have been sent with `'no_stream'`, -1 or `'any'`.
   */
  landedOnEmpty: boolean;
};

const EXTENT_BYTES = 17;
const FLAG_LANDED_ON_EMPTY = 1;

/** Keys sort by stream, then by last version; versions are safe integers, so this bounds a stream. */
export const MAX_VERSION_KEY = Number.MAX_SAFE_INTEGER;

const scratch = Buffer.alloc(EXTENT_BYTES);

/** The key of an extent. */
export function extentKey(stream: string, lastVersion: number): [string, number] {
  return [stream, lastVersion];
}

/** Encodes an extent's value into a shared scratch buffer (copied by a `put` in a write transaction). */
export function encodeExtent(extent: Extent): Buffer {
  scratch.writeDoubleLE(extent.firstVersion, 0);
  scratch.writeDoubleLE(extent.firstPosition, 8);
  scratch[16] = extent.landedOnEmpty ? FLAG_LANDED_ON_EMPTY : 0;
  return scratch;
}

/** Decodes an extent from its key's last version and its value. */
export function decodeExtent(lastVersion: number, bytes: Uint8Array): Extent {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, EXTENT_BYTES);
  return {
    firstVersion: view.readDoubleLE(0),
    lastVersion,
    firstPosition: view.readDoubleLE(8),
    landedOnEmpty: ((view[16] as number) & FLAG_LANDED_ON_EMPTY) !== 0,
  };
}
