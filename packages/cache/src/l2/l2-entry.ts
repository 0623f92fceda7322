/**
 * The byte layout of an L2 entry, as stored in LMDB (little-endian):
 *
 * | offset | size | field |
 * |---|---|---|
 * | 0 | 1 | layout version (1) |
 * | 1 | 1 | flags: bit 0 = tags present |
 * | 2 | 8 | entry version (float64; a safe integer from the L2 sequence) |
 * | 10 | 8 | fresh until (float64 ms since the epoch; +Infinity = never) |
 * | 18 | 8 | stale until (float64) |
 * | 26 | 8 | keep until (float64): end of the L2 copy's life (`l2.ttlMs`) |
 * | 34 | … | if tagged: u16 count, then per tag u16 byte length + UTF-8 |
 * | … | rest | the value, as the serializer's value envelope |
 *
 * Readers parse fields straight from the buffer lmdb-js returns, without copying it.
 */
export const LAYOUT_VERSION = 1;
const FLAG_TAGS = 1;
const OFFSET_VERSION = 2;
const OFFSET_FRESH = 10;
const OFFSET_STALE = 18;
const OFFSET_KEEP = 26;
const HEADER_SIZE = 34;

/** Deadlines and tags written with an entry. */
export type L2EntryMeta = {
  readonly freshUntil: number;
  readonly staleUntil: number;
  readonly keepUntil: number;
  readonly tags: readonly string[] | undefined;
};

/** Encodes an entry: header, tags, then a copy of `value`. */
export function encodeL2Entry(version: number, meta: L2EntryMeta, value: Uint8Array): Buffer {
  const tags = meta.tags;
  let tagBytes = 0;
  const encodedTags: Buffer[] = [];
  if (tags !== undefined && tags.length > 0) {
    tagBytes = 2;
    for (const tag of tags) {
      const bytes = Buffer.from(tag, 'utf8');
      encodedTags.push(bytes);
      tagBytes += 2 + bytes.length;
    }
  }
  const out = Buffer.allocUnsafe(HEADER_SIZE + tagBytes + value.length);
  out[0] = LAYOUT_VERSION;
  out[1] = tagBytes > 0 ? FLAG_TAGS : 0;
  out.writeDoubleLE(version, OFFSET_VERSION);
  out.writeDoubleLE(meta.freshUntil, OFFSET_FRESH);
  out.writeDoubleLE(meta.staleUntil, OFFSET_STALE);
  out.writeDoubleLE(meta.keepUntil, OFFSET_KEEP);
  let offset = HEADER_SIZE;
  if (tagBytes > 0) {
    out.writeUInt16LE(encodedTags.length, offset);
    offset += 2;
    for (const bytes of encodedTags) {
      out.writeUInt16LE(bytes.length, offset);
      bytes.copy(out, offset + 2);
      offset += 2 + bytes.length;
    }
  }
  out.set(value, offset);
  return out;
}

/** True when `bytes` starts like an entry of this layout. */
export function isL2Entry(bytes: Buffer): boolean {
  return bytes.length >= HEADER_SIZE && bytes[0] === LAYOUT_VERSION;
}

export function l2Version(bytes: Buffer): number {
  return bytes.readDoubleLE(OFFSET_VERSION);
}

export function l2FreshUntil(bytes: Buffer): number {
  return bytes.readDoubleLE(OFFSET_FRESH);
}

export function l2StaleUntil(bytes: Buffer): number {
  return bytes.readDoubleLE(OFFSET_STALE);
}

export function l2KeepUntil(bytes: Buffer): number {
  return bytes.readDoubleLE(OFFSET_KEEP);
}

/** Where the value envelope starts. */
export function l2ValueOffset(bytes: Buffer): number {
  if (((bytes[1] as number) & FLAG_TAGS) === 0) return HEADER_SIZE;
  let offset = HEADER_SIZE;
  const count = bytes.readUInt16LE(offset);
  offset += 2;
  for (let i = 0; i < count; i++) offset += 2 + bytes.readUInt16LE(offset);
  return offset;
}

/** The entry's tags (undefined when untagged). */
export function l2Tags(bytes: Buffer): string[] | undefined {
  if (((bytes[1] as number) & FLAG_TAGS) === 0) return undefined;
  let offset = HEADER_SIZE;
  const count = bytes.readUInt16LE(offset);
  offset += 2;
  const tags: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = bytes.readUInt16LE(offset);
    tags.push(bytes.toString('utf8', offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  return tags;
}
