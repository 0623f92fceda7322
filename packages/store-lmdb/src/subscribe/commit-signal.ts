/**
 * Wakes live subscriptions when events are committed. Commits of this store object notify at once
 * (after the commit, from the group-commit queue). Commits of other processes or threads on the
 * same path cannot signal this one, so while any subscription is registered a timer compares the
 * committed position counter every `pollMs` (one small read) and notifies when it moved: that is
 * the latency of cross-process delivery. Nothing polls while no subscription is registered, and
 * the timer never keeps the process alive.
 */
export class CommitSignal {
  readonly #listeners = new Set<() => void>();
  readonly #readNext: () => number;
  readonly #pollMs: number;
  #timer: NodeJS.Timeout | undefined;
  #lastSeen = -1;
  #closed = false;

  constructor(readNext: () => number, pollMs: number) {
    this.#readNext = readNext;
    this.#pollMs = pollMs;
  }

  /** Registers a wake-up; returns the function that unregisters it. */
  add(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (this.#timer === undefined && !this.#closed) {
      this.#lastSeen = this.#readNext();
      this.#timer = setInterval(() => this.#poll(), this.#pollMs);
      this.#timer.unref();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stopTimer();
    };
  }

  /** A local commit moved the position counter to `next`. */
  notify(next: number): void {
    this.#lastSeen = next;
    this.#fire();
  }

  /** Stops polling for good. */
  close(): void {
    this.#closed = true;
    this.#stopTimer();
  }

  #poll(): void {
    let next: number;
    try {
      next = this.#readNext();
    } catch {
      // The environment is closing; close() stops the timer.
      return;
    }
    if (next !== this.#lastSeen) {
      this.#lastSeen = next;
      this.#fire();
    }
  }

  #fire(): void {
    for (const listener of this.#listeners) listener();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
