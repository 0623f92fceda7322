/** A stream's state as the worker last saw it committed. */
export type CachedState = {
  state: unknown;
  /** Version of the last event folded in (-1: new stream). */
  version: number;
  /** The ownership generation the state was loaded under. */
  generation: number;
};

/**
 * The per-worker hot state: a bounded LRU keyed by aggregate and stream. An entry is only valid for
 * the ownership generation it was loaded under: a stream that moved to another worker and back has
 * a newer generation, so the old entry is treated as a miss instead of being trusted.
 */
export class StateCache {
  readonly #max: number;
  readonly #entries = new Map<string, CachedState>();
  /** Stream id → cache keys of that stream (one per aggregate that touched it). */
  readonly #byStream = new Map<string, string[]>();
  hits = 0;
  misses = 0;

  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry, when present and loaded under `generation`; counts a hit or a miss. */
  get(key: string, generation: number): CachedState | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.generation !== generation) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-insert so Map order is recency order (the first key is the coldest).
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  /** Records the state after a command; updates the entry in place when it is still cached. */
  update(key: string, streamId: string, entry: CachedState, state: unknown, version: number): void {
    if (this.#entries.get(key) === entry) {
      entry.state = state;
      entry.version = version;
      return;
    }
    this.set(key, streamId, { state, version, generation: entry.generation });
  }

  set(key: string, streamId: string, entry: CachedState): void {
    if (this.#max === 0) return;
    if (this.#entries.delete(key)) {
      this.#entries.set(key, entry);
      return;
    }
    this.#entries.set(key, entry);
    const keys = this.#byStream.get(streamId);
    if (keys === undefined) this.#byStream.set(streamId, [key]);
    else if (!keys.includes(key)) keys.push(key);
    while (this.#entries.size > this.#max) {
      const coldest = this.#entries.keys().next().value as string;
      this.#remove(coldest);
    }
  }

  delete(key: string): void {
    this.#remove(key);
  }

  /** Drops every aggregate's state of a stream (its ownership moved away). */
  dropStream(streamId: string): void {
    const keys = this.#byStream.get(streamId);
    if (keys === undefined) return;
    this.#byStream.delete(streamId);
    for (const key of keys) this.#entries.delete(key);
  }

  #remove(key: string): void {
    if (!this.#entries.delete(key)) return;
    const streamId = streamOf(key);
    const keys = this.#byStream.get(streamId);
    if (keys === undefined) return;
    const index = keys.indexOf(key);
    if (index >= 0) keys.splice(index, 1);
    if (keys.length === 0) this.#byStream.delete(streamId);
  }
}

const SEPARATOR = '\u0000';

/** The cache key of an aggregate's state of a stream. */
export function cacheKey(aggregate: string, streamId: string): string {
  return aggregate + SEPARATOR + streamId;
}

function streamOf(key: string): string {
  return key.slice(key.indexOf(SEPARATOR) + 1);
}
