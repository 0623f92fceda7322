import { randomBytes } from 'node:crypto';
import type { StreamHead } from '../layout/stream-head.js';

/** Most heads kept; beyond it the oldest entries are dropped (they are read again on demand). */
const MAX_ENTRIES = 100_000;

/**
 * Stream heads as this store object's transactions left them, so a group transaction does not
 * derive each head from the extents again (a cursor per append costs more than the rest of the
 * append).
 *
 * It is only a cache of committed state, validated against it: every group transaction writes a
 * fresh token under `writes` in `meta`, and a transaction that finds another token than the one
 * this object wrote last clears the cache. Another process, thread or store object wrote in
 * between, or the transaction that wrote the token did not commit (its token was never stored).
 * A failed transaction clears it too. `null` records a stream known to have no head.
 */
export class HeadCache {
  readonly #heads = new Map<string, StreamHead | null>();
  readonly #instance = randomBytes(6).toString('hex');
  #sequence = 0;
  #expected: string | undefined;

  /** Called at the start of a transaction with the committed token. */
  validate(token: unknown): void {
    if (token !== this.#expected) this.#heads.clear();
  }

  get(stream: string): StreamHead | null | undefined {
    return this.#heads.get(stream);
  }

  set(stream: string, head: StreamHead | null): void {
    if (this.#heads.size >= MAX_ENTRIES && !this.#heads.has(stream)) {
      const oldest = this.#heads.keys().next();
      if (oldest.done !== true) this.#heads.delete(oldest.value);
    }
    this.#heads.set(stream, head);
  }

  /** A new token for the transaction being finished; the next one trusts the cache only if it finds it. */
  issue(): string {
    this.#expected = `${this.#instance}:${++this.#sequence}`;
    return this.#expected;
  }

  /** A transaction failed: nothing cached can be trusted. */
  invalidate(): void {
    this.#heads.clear();
    this.#expected = undefined;
  }
}
