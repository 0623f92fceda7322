import { CountMinSketch } from './count-min-sketch.js';
import { Doorkeeper } from './doorkeeper.js';

/** Below this frequency a candidate that does not beat the victim is never admitted. */
const RANDOM_ADMISSION_FLOOR = 5;

/**
 * TinyLFU admission: estimates how often a key was requested recently (a doorkeeper Bloom filter
 * in front of a count-min sketch, aged by halving every `10 × capacity` requests) and admits a
 * candidate into the main region only when it is more popular than the entry it would evict.
 *
 * As in Caffeine, a warm candidate that ties or loses is still admitted with probability 1/128:
 * otherwise an attacker who makes a victim look popular (hash flooding) could pin it forever.
 */
export class TinyLfu {
  readonly #sketch: CountMinSketch;
  readonly #doorkeeper: Doorkeeper;
  readonly #sampleSize: number;
  #samples = 0;
  #random = 0x2545f491;

  constructor(capacity: number) {
    this.#sampleSize = Math.max(64, 10 * capacity);
    this.#sketch = new CountMinSketch(capacity);
    this.#doorkeeper = new Doorkeeper(this.#sampleSize);
  }

  /** Records one request for the key with this hash (hit or miss). */
  record(hash: number): void {
    if (this.#doorkeeper.put(hash)) this.#sketch.increment(hash);
    if (++this.#samples >= this.#sampleSize) {
      this.#sketch.halve();
      this.#doorkeeper.clear();
      this.#samples = this.#samples >>> 1;
    }
  }

  /** The estimated recent frequency of the key with this hash. */
  frequency(hash: number): number {
    const count = this.#sketch.estimate(hash);
    return this.#doorkeeper.contains(hash) ? count + 1 : count;
  }

  /** Whether the candidate should replace the victim in the main region. */
  admit(candidateHash: number, victimHash: number): boolean {
    const candidate = this.frequency(candidateHash);
    const victim = this.frequency(victimHash);
    if (candidate > victim) return true;
    if (candidate <= RANDOM_ADMISSION_FLOOR) return false;
    // xorshift32: cheap, and only needs to be unpredictable enough to defeat a fixed pattern.
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x;
    return (x & 127) === 0;
  }
}
