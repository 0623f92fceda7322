import { mix32 } from '../internal/string-hash.js';

/** Probes per key. */
const PROBES = 3;
/** Bits per block: one 64-byte cache line. */
const BLOCK_BITS = 512;
const WORDS_PER_BLOCK = BLOCK_BITS / 32;

/**
 * The doorkeeper of TinyLFU: a Bloom filter in front of the count-min sketch. A key's first
 * occurrence in a sample period only sets its bits here; only later occurrences reach the sketch.
 * Most keys of a long-tailed workload are seen once, so they never occupy sketch counters, and the
 * sketch's few counters are left to keys that recur. Cleared whenever the sketch ages.
 *
 * Blocked: a key's probes all fall in one 512-bit block, so a lookup touches one cache line.
 */
export class Doorkeeper {
  readonly #bits: Uint32Array;
  readonly #blockMask: number;

  /** @param expectedInsertions keys per sample period; sizes the filter at about 4 bits each. */
  constructor(expectedInsertions: number) {
    let blocks = 2;
    while (blocks * BLOCK_BITS < expectedInsertions * 4) blocks *= 2;
    this.#bits = new Uint32Array(blocks * WORDS_PER_BLOCK);
    this.#blockMask = blocks - 1;
  }

  /** Whether the key with this hash may have been seen (false positives possible, no false negatives). */
  contains(hash: number): boolean {
    const base = ((hash >>> 7) & this.#blockMask) * WORDS_PER_BLOCK;
    const spread = mix32(hash ^ 0x5bd1e995);
    for (let i = 0; i < PROBES; i++) {
      const bit = (spread >>> (i * 9)) & (BLOCK_BITS - 1);
      if (((this.#bits[base + (bit >>> 5)] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  /** Sets the key's bits. Returns true when they were all set already (the key was seen before). */
  put(hash: number): boolean {
    const base = ((hash >>> 7) & this.#blockMask) * WORDS_PER_BLOCK;
    const spread = mix32(hash ^ 0x5bd1e995);
    let present = true;
    for (let i = 0; i < PROBES; i++) {
      const bit = (spread >>> (i * 9)) & (BLOCK_BITS - 1);
      const word = base + (bit >>> 5);
      const flag = 1 << (bit & 31);
      const current = this.#bits[word] as number;
      if ((current & flag) === 0) {
        present = false;
        this.#bits[word] = current | flag;
      }
    }
    return present;
  }

  /** Forgets every key. */
  clear(): void {
    this.#bits.fill(0);
  }
}
