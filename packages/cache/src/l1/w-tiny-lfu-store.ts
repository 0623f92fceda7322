import { TinyLfu } from '../admission/tiny-lfu.js';
import { hashString } from '../internal/string-hash.js';
import type { L1Store, L1StoreOptions } from './l1-store.js';
import { LruList } from './lru-list.js';

/** Share of the capacity given to the admission window (Caffeine's default, before hill climbing). */
const WINDOW_SHARE = 0.01;
/** Share of the main region kept for entries that were hit again since their admission. */
const PROTECTED_SHARE = 0.8;

const WINDOW = 0;
const PROBATION = 1;
const PROTECTED = 2;
type Region = typeof WINDOW | typeof PROBATION | typeof PROTECTED;

type Node<V> = {
  prev: Node<V> | null;
  next: Node<V> | null;
  readonly key: string;
  readonly hash: number;
  value: V;
  bytes: number;
  region: Region;
};

/**
 * The `w-tinylfu` policy, after Caffeine's W-TinyLFU (Einziger, Friedman, Manes, "TinyLFU: A Highly
 * Efficient Cache Admission Policy"):
 *
 * - New entries enter a **window** LRU of 1% of the capacity, so bursts of new keys get a chance to
 *   prove themselves without displacing the main region.
 * - An entry pushed out of the window is a **candidate** for the **main** region, a segmented LRU
 *   (probation 20%, protected 80%). When main is full the candidate duels the probation LRU
 *   victim: TinyLFU admits it only when its recent frequency is higher. A one-hit wonder, or a scan
 *   key seen once per loop, loses to an entry that keeps being requested.
 * - A hit in probation promotes to protected; protected's LRU end is demoted back to probation.
 *
 * Every request (hit or miss) counts in the sketch; the key's hash is computed once, at insertion
 * or on a miss, and kept in the node, so a hit costs a Map lookup, a sketch update and a relink.
 * The byte bound is enforced after the entry bound by evicting main's coldest entries.
 */
export class WTinyLfuStore<V> implements L1Store<V> {
  readonly policy = 'w-tinylfu' as const;
  readonly #map = new Map<string, Node<V>>();
  readonly #window = new LruList<Node<V>>();
  readonly #probation = new LruList<Node<V>>();
  readonly #protected = new LruList<Node<V>>();
  readonly #admittor: TinyLfu;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #maxWindow: number;
  readonly #maxMain: number;
  readonly #maxProtected: number;
  readonly #onEvict: ((key: string, value: V) => void) | undefined;
  #bytes = 0;

  constructor(options: L1StoreOptions<V>) {
    this.#maxEntries = options.maxEntries;
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#maxWindow = Math.max(1, Math.round(options.maxEntries * WINDOW_SHARE));
    this.#maxMain = Math.max(0, options.maxEntries - this.#maxWindow);
    this.#maxProtected = Math.floor(this.#maxMain * PROTECTED_SHARE);
    this.#admittor = new TinyLfu(options.maxEntries);
    this.#onEvict = options.onEvict;
  }

  get size(): number {
    return this.#map.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): V | undefined {
    const node = this.#map.get(key);
    if (node === undefined) {
      this.#admittor.record(hashString(key));
      return undefined;
    }
    this.#admittor.record(node.hash);
    this.#onHit(node);
    return node.value;
  }

  peek(key: string): V | undefined {
    return this.#map.get(key)?.value;
  }

  set(key: string, value: V, bytes: number): void {
    const existing = this.#map.get(key);
    if (existing !== undefined) {
      this.#bytes += bytes - existing.bytes;
      existing.value = value;
      existing.bytes = bytes;
      this.#admittor.record(existing.hash);
      this.#onHit(existing);
      this.#evictOverBytes();
      return;
    }
    const node: Node<V> = { prev: null, next: null, key, hash: hashString(key), value, bytes, region: WINDOW };
    this.#map.set(key, node);
    this.#bytes += bytes;
    this.#window.push(node);
    this.#drainWindow();
    this.#evictOverBytes();
  }

  delete(key: string): boolean {
    const node = this.#map.get(key);
    if (node === undefined) return false;
    this.#unlink(node);
    return true;
  }

  clear(): void {
    this.#map.clear();
    this.#window.clear();
    this.#probation.clear();
    this.#protected.clear();
    this.#bytes = 0;
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  #onHit(node: Node<V>): void {
    switch (node.region) {
      case WINDOW:
        this.#window.touch(node);
        break;
      case PROBATION:
        this.#probation.remove(node);
        node.region = PROTECTED;
        this.#protected.push(node);
        this.#demoteProtectedOverflow();
        break;
      case PROTECTED:
        this.#protected.touch(node);
        break;
    }
  }

  #demoteProtectedOverflow(): void {
    while (this.#protected.length > this.#maxProtected) {
      const demoted = this.#protected.lru as Node<V>;
      this.#protected.remove(demoted);
      demoted.region = PROBATION;
      this.#probation.push(demoted);
    }
  }

  /** Moves the window's overflow into main, each candidate dueling main's victim when main is full. */
  #drainWindow(): void {
    while (this.#window.length > this.#maxWindow) {
      const candidate = this.#window.lru as Node<V>;
      this.#window.remove(candidate);
      if (this.#probation.length + this.#protected.length < this.#maxMain) {
        candidate.region = PROBATION;
        this.#probation.push(candidate);
        continue;
      }
      const victim = this.#probation.lru ?? this.#protected.lru;
      if (victim === null) {
        this.#evict(candidate, false);
        continue;
      }
      if (this.#admittor.admit(candidate.hash, victim.hash)) {
        this.#evict(victim, true);
        candidate.region = PROBATION;
        this.#probation.push(candidate);
      } else {
        this.#evict(candidate, false);
      }
    }
    // Entries beyond maxEntries can only come from a window that was full while main had room.
    while (this.#map.size > this.#maxEntries) this.#evictColdest();
  }

  #evictOverBytes(): void {
    while (this.#bytes > this.#maxBytes && this.#map.size > 0) this.#evictColdest();
  }

  #evictColdest(): void {
    const victim = this.#probation.lru ?? this.#protected.lru ?? (this.#window.lru as Node<V>);
    this.#evict(victim, true);
  }

  /** Removes `node` and reports it; `linked` says whether it is still in a region list. */
  #evict(node: Node<V>, linked: boolean): void {
    if (linked) this.#unlink(node);
    else this.#forget(node);
    this.#onEvict?.(node.key, node.value);
  }

  #unlink(node: Node<V>): void {
    if (node.region === WINDOW) this.#window.remove(node);
    else if (node.region === PROBATION) this.#probation.remove(node);
    else this.#protected.remove(node);
    this.#forget(node);
  }

  #forget(node: Node<V>): void {
    this.#map.delete(node.key);
    this.#bytes -= node.bytes;
  }
}
