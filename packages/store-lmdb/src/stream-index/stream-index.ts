import { META_KEYS, type Databases } from '../layout/databases.js';
import { encodeExtent } from '../layout/extent.js';
import { readCounter } from '../layout/meta-counter.js';
import { IndexView } from './index-view.js';
import { TailIndex, type TailStream } from './tail-index.js';

/**
 * Where each stream's events are: the `extents` database (one entry per append, keyed by stream
 * and last version) for appends below the `indexed` watermark in `meta`, and an in-memory tail for
 * the appends after it.
 *
 * Why a tail: an extent is keyed by stream, so writing it with its append puts a random B-tree
 * insert into every append, one dirty page per stream in each group commit, and that multiplies
 * the cost of a durable commit (measured: a log put plus a random index put runs at about 0.2× the
 * rate of the log put alone; plus a sequential one, about 0.85×). An append therefore writes only
 * its log chunk, and the tail is moved to the extents database in one transaction once it holds
 * `maxIndexTail` extents (and before every delete), where the extents of one stream share
 * pages and the cost is paid once per page, not once per append.
 *
 * The tail is never the only copy: it is derived from the log (whose records name their stream and
 * version), rebuilt from the watermark whenever it moved, and extended by scanning what other
 * processes appended. Inside the write transaction it is exact; a reader whose snapshot is older
 * than a move of the tail gets a private tail for that snapshot.
 */
export class StreamIndex {
  readonly #dbs: Databases;
  readonly #maxTail: number;
  readonly #tail = new TailIndex(-1);

  /** @param maxTail - extents the tail holds before it is moved (the `maxIndexTail` option). */
  constructor(dbs: Databases, maxTail: number) {
    this.#dbs = dbs;
    this.#maxTail = maxTail;
  }

  /** The index inside the write transaction (the committed state, which the transaction holds). */
  forWrite(): IndexView {
    const indexed = readCounter(this.#dbs, META_KEYS.indexed);
    const next = readCounter(this.#dbs, META_KEYS.next);
    if (this.#tail.from !== indexed || this.#tail.seen > next) this.#tail.reset(indexed);
    this.#tail.scan(this.#dbs, next);
    return new IndexView(this.#dbs, this.#tail, Number.POSITIVE_INFINITY);
  }

  /** The index in the current read snapshot (call within one synchronous step of a read). */
  forRead(): IndexView {
    const indexed = readCounter(this.#dbs, META_KEYS.indexed);
    const next = readCounter(this.#dbs, META_KEYS.next);
    let tail = this.#tail;
    if (tail.from > indexed) {
      // The shared tail has moved past this snapshot: read from a private one.
      tail = new TailIndex(indexed);
    } else if (tail.from < indexed) {
      tail.reset(indexed);
    }
    tail.scan(this.#dbs, next);
    return new IndexView(this.#dbs, tail, next);
  }

  /** Records an append of this store object's transaction (its own writes need no scan). */
  recordAppend(stream: string, firstVersion: number, count: number, firstPosition: number, landedOnEmpty: boolean): void {
    this.#tail.add(stream, { firstVersion, lastVersion: firstVersion + count - 1, firstPosition, landedOnEmpty });
    this.#tail.seen = firstPosition + count;
  }

  /** Whether the tail has grown enough to be moved to the extents database. */
  get due(): boolean {
    return this.#tail.extents >= this.#maxTail;
  }

  /**
   * Inside the write transaction: writes every extent of the tail to the extents database and
   * moves the watermark to `next`, the transaction's next position.
   */
  moveTail(next: number): void {
    const { extents, meta } = this.#dbs;
    // In key order (UTF-16 order, the key order for ASCII ids; it only matters for speed): each
    // put lands next to the one before it, on a page LMDB has at hand, instead of a random one
    // (the tail holds streams in the order they were first appended to).
    const streams = [...this.#tail.streams.keys()].sort();
    for (const stream of streams) {
      for (const extent of (this.#tail.streams.get(stream) as TailStream).extents) void extents.put([stream, extent.lastVersion], encodeExtent(extent));
    }
    void meta.put(META_KEYS.indexed, next);
    this.#tail.reset(next);
  }

  /** A transaction failed: rebuild the tail from the committed state next time. */
  invalidate(): void {
    this.#tail.reset(-1);
  }
}
