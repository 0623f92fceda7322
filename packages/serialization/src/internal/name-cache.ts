/**
 * Event types repeat on almost every record a store reads. A direct-mapped cache returns the string decoded earlier for the
 * same bytes: a byte comparison instead of a native decode, and a string whose hash V8 has already
 * computed, which makes the registry lookup that follows cheaper too. A miss costs a few byte
 * comparisons and replaces the slot.
 */

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
// Node's native latin1 slicer copies bytes straight into a one-byte string: for ASCII it is the
// UTF-8 decoding, without TextDecoder's overhead, and it works on any Uint8Array.
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice: Latin1Slice }).latin1Slice;

const SLOTS = 256;
/** Longer names are decoded without caching: they are rare and costly to compare. */
const MAX_CACHED_LENGTH = 96;

/** A cache of ASCII names; see the module comment. */
export class AsciiNameCache {
  readonly #names: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
  // The bytes of each cached name, compared with the input: a typed-array loop, where comparing
  // with the string's characters costs a representation check per character.
  readonly #bytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(SLOTS).fill(undefined);

  /** Decodes ASCII bytes `[start, end)` (the caller knows they are ASCII), reusing cached strings. */
  decode(bytes: Uint8Array, start: number, end: number): string {
    const length = end - start;
    if (length === 0) return '';
    if (length > MAX_CACHED_LENGTH) return latin1Slice.call(bytes, start, end);
    const slot =
      (length * 31 +
        (bytes[end - 1] as number) * 17 +
        (bytes[end - 2 < start ? start : end - 2] as number) * 5 +
        (bytes[start + (length >> 1)] as number)) &
      (SLOTS - 1);
    const cached = this.#bytes[slot];
    if (cached !== undefined && cached.length === length) {
      let i = length - 1;
      while (i >= 0 && cached[i] === bytes[start + i]) i--;
      if (i < 0) return this.#names[slot] as string;
    }
    return this.#remember(slot, bytes, start, end);
  }

  #remember(slot: number, bytes: Uint8Array, start: number, end: number): string {
    const text = latin1Slice.call(bytes, start, end);
    this.#names[slot] = text;
    // A copy: the input is often a view of a buffer that will be reused.
    this.#bytes[slot] = new Uint8Array(bytes.subarray(start, end));
    return text;
  }
}

/** Event types, shared by every view and serializer of the process. */
export const typeNames = new AsciiNameCache();

/** Decodes ASCII bytes `[start, end)` (the caller knows they are ASCII) without caching. */
export function sliceAscii(bytes: Uint8Array, start: number, end: number): string {
  return latin1Slice.call(bytes, start, end);
}
