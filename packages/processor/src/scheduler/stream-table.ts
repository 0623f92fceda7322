import type { StreamEntry } from './stream-entry.js';

/**
 * The scheduler's records of streams: every stream with commands queued or running, plus idle
 * ones up to a bound (so a stream that comes back soon keeps its owner and that owner's hot state).
 * Every record gets a fresh ownership generation from one counter, so a forgotten stream that
 * comes back never reuses a generation a worker may still hold state for.
 */
export class StreamTable {
  readonly #max: number;
  readonly #streams = new Map<string, StreamEntry>();
  /** Streams with nothing queued or running, coldest first. */
  readonly #idle = new Set<StreamEntry>();
  #generation = 0;

  constructor(maxTracked: number) {
    this.#max = maxTracked;
  }

  get size(): number {
    return this.#streams.size;
  }

  get(streamId: string): StreamEntry | undefined {
    return this.#streams.get(streamId);
  }

  /** Records a stream seen for the first time (or again after it was forgotten). */
  create(streamId: string, owner: number): StreamEntry {
    const entry: StreamEntry = {
      streamId,
      owner,
      generation: this.nextGeneration(),
      queue: [],
      inFlight: undefined,
      moveTo: -1,
      knownVersion: -1,
      movedAt: Number.NEGATIVE_INFINITY,
    };
    this.#streams.set(streamId, entry);
    return entry;
  }

  nextGeneration(): number {
    return ++this.#generation;
  }

  markIdle(entry: StreamEntry): void {
    this.#idle.add(entry);
  }

  markBusy(entry: StreamEntry): void {
    this.#idle.delete(entry);
  }

  /** Forgets the coldest idle streams past the bound and returns them. */
  forgetColdest(): StreamEntry[] {
    const forgotten: StreamEntry[] = [];
    for (const entry of this.#idle) {
      if (this.#streams.size <= this.#max) break;
      this.#idle.delete(entry);
      this.#streams.delete(entry.streamId);
      forgotten.push(entry);
    }
    return forgotten;
  }

  values(): IterableIterator<StreamEntry> {
    return this.#streams.values();
  }
}
