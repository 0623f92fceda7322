// Compaction threshold: below it the dead prefix is too small to be worth a copy.
const COMPACT_AFTER = 1024;

/**
 * A first-in first-out queue on an array with a moving head. `Array#shift` is O(n) once the
 * array leaves V8's fast path, and the batcher's queue can hold `maxPending` entries, so the
 * dead prefix is dropped only when it is at least half of the array (amortised O(1)).
 */
export class FifoQueue<T> {
  #items: T[] = [];
  #head = 0;

  /** Entries in the queue. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Appends at the tail. */
  push(value: T): void {
    this.#items.push(value);
  }

  /** The entry at the head, without removing it. */
  peek(): T | undefined {
    return this.#items[this.#head];
  }

  /** Removes and returns the entry at the head. */
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const value = this.#items[this.#head] as T;
    // Drop the reference so a settled entry can be collected before compaction.
    (this.#items as (T | undefined)[])[this.#head] = undefined;
    this.#head++;
    this.#compact();
    return value;
  }

  /** Removes up to `count` entries from the head, in order. */
  take(count: number): T[] {
    const end = Math.min(this.#items.length, this.#head + count);
    const taken = this.#items.slice(this.#head, end);
    if (end === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else {
      (this.#items as (T | undefined)[]).fill(undefined, this.#head, end);
      this.#head = end;
      this.#compact();
    }
    return taken;
  }

  #compact(): void {
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    } else if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    }
  }
}
