import type { Serializer } from '@strata/serialization';
import { META_KEYS, type Databases } from '../layout/databases.js';
import type { GeneratedIds } from '../layout/generated-ids.js';
import { encodeHead, type StreamHead } from '../layout/stream-head.js';
import { readCounter } from '../layout/meta-counter.js';
import type { IndexView } from '../stream-index/index-view.js';
import type { StreamIndex } from '../stream-index/stream-index.js';
import type { InlineProjections } from '../inline/inline-projections.js';

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
  readonly #index: StreamIndex;
  /** The stream index as of this transaction (extents database plus tail). */
  readonly index: IndexView;
  /** The registered inline projections, or `undefined` when there are none (the common case). */
  readonly inline: InlineProjections | undefined;
  #deletesChanged = false;
  #wroteEvents = false;

  constructor(dbs: Databases, ids: GeneratedIds, serializer: Serializer, index: StreamIndex, inline?: InlineProjections) {
    this.dbs = dbs;
    this.inline = inline;
    this.ids = ids;
    this.serializer = serializer;
    this.#next = readCounter(dbs, META_KEYS.next);
    this.#startNext = this.#next;
    this.#index = index;
    this.index = index.forWrite();
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
    return this.index.head(stream);
  }

  /** Stores a head (deletes, metadata, and the append that restarts a soft-deleted stream). */
  writeHead(stream: string, head: StreamHead): void {
    void this.dbs.streams.put(stream, encodeHead(head));
  }

  /** Records where an append of this transaction landed (its extent joins the index's tail). */
  recordAppend(stream: string, firstVersion: number, count: number, firstPosition: number, landedOnEmpty: boolean): void {
    this.#index.recordAppend(stream, firstVersion, count, firstPosition, landedOnEmpty);
  }

  /** Moves the index's tail to the extents database now (deletes do, before they change anything). */
  moveIndexTail(): void {
    this.#index.moveTail(this.#next);
  }

  /** Records that a stream's visibility changed, so readers refresh their filter of deleted streams. */
  markDeletesChanged(): void {
    this.#deletesChanged = true;
  }

  /** Writes the counters the group changed, and moves the index's tail when it has grown large. */
  finish(): void {
    if (this.#index.due) this.#index.moveTail(this.#next);
    if (this.#next !== this.#startNext) void this.dbs.meta.put(META_KEYS.next, this.#next);
    if (this.#deletesChanged) void this.dbs.meta.put(META_KEYS.deletes, readCounter(this.dbs, META_KEYS.deletes) + 1);
  }
}
