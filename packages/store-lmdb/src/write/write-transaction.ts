import type { Serializer } from '@strata/serialization';
import { META_KEYS, type Databases } from '../layout/databases.js';
import type { GeneratedIds } from '../layout/generated-ids.js';
import { encodeHead, type StreamHead } from '../layout/stream-head.js';
import { readStreamHead } from '../layout/read-stream-head.js';
import { readCounter } from '../layout/meta-counter.js';
import type { HeadCache } from './head-cache.js';

/**
 * The state of one group-commit transaction, created inside it: the position counter read from
 * the committed state (never from an in-process cache, since other processes write too), and
 * access to the databases for the operations of the group. {@link WriteTransaction.finish}
 * writes the counters back once for the whole group.
 */
export class WriteTransaction {
  readonly dbs: Databases;
  readonly ids: GeneratedIds;
  readonly serializer: Serializer;
  #next: number;
  readonly #startNext: number;
  readonly #heads: HeadCache;
  #deletesChanged = false;
  #wroteEvents = false;

  constructor(dbs: Databases, ids: GeneratedIds, serializer: Serializer, heads: HeadCache) {
    this.dbs = dbs;
    this.ids = ids;
    this.serializer = serializer;
    this.#next = readCounter(dbs, META_KEYS.next);
    this.#startNext = this.#next;
    this.#heads = heads;
    heads.validate(dbs.meta.get(META_KEYS.writes));
  }

  /** The position the next appended event gets. */
  get nextPosition(): number {
    return this.#next;
  }

  /** Whether an operation of this transaction wrote events. */
  get wroteEvents(): boolean {
    return this.#wroteEvents;
  }

  /** Allocates `count` consecutive positions and returns the first. */
  allocate(count: number): number {
    const first = this.#next;
    this.#next += count;
    this.#wroteEvents = true;
    return first;
  }

  /** The head of a stream, as committed so far (including earlier operations of this group). */
  readHead(stream: string): StreamHead | undefined {
    const cached = this.#heads.get(stream);
    if (cached !== undefined) return cached === null ? undefined : { ...cached };
    const head = readStreamHead(this.dbs, stream);
    this.#heads.set(stream, head ?? null);
    return head;
  }

  /** Records a head that follows from what the transaction wrote (an append's extent). */
  noteHead(stream: string, head: StreamHead): void {
    this.#heads.set(stream, head);
  }

  /** Stores a head (deletes, metadata, and the append that restarts a soft-deleted stream). */
  writeHead(stream: string, head: StreamHead): void {
    void this.dbs.streams.put(stream, encodeHead(head));
    this.#heads.set(stream, { ...head });
  }

  /** Records that a stream's visibility changed, so readers refresh their filter of deleted streams. */
  markDeletesChanged(): void {
    this.#deletesChanged = true;
  }

  /** Writes the counters the group changed, and the token that lets the next transaction trust the head cache. */
  finish(): void {
    void this.dbs.meta.put(META_KEYS.writes, this.#heads.issue());
    if (this.#next !== this.#startNext) void this.dbs.meta.put(META_KEYS.next, this.#next);
    if (this.#deletesChanged) void this.dbs.meta.put(META_KEYS.deletes, readCounter(this.dbs, META_KEYS.deletes) + 1);
  }
}
