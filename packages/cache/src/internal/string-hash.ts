/**
 * A 32-bit FNV-1a hash of a string's UTF-16 code units, finished with a murmur3 avalanche so that
 * every output bit depends on every input bit (the sketch derives several indexes from one hash).
 * Computed once per entry and kept beside it, so reads never rehash their key.
 */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return mix32(hash);
}

/** The murmur3 32-bit finaliser. */
export function mix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
