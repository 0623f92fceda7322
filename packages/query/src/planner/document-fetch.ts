import { compareStrings } from '../document/value-order.js';
import type { Databases, StorageId } from '../storage/databases.js';

type Doc = Record<string, unknown>;

/**
 * How many documents a walk may step over to reach the next id it wants before it gives up and
 * looks the id up instead. A step costs a document decode, a lookup a B-tree descent from the
 * root (about three decodes on a million documents), so a few steps are worth trying.
 */
const MAX_SKIP = 3;

/**
 * A walk is started again after it gave up only while walks keep paying off: at least this many
 * ids found by walking for each time a walk gave up.
 */
const HITS_PER_MISS = 4;

/**
 * A walk starts only with at least this many ids left to fetch: opening one costs more than a
 * lookup, and a few ids cannot pay that back (an equality query with two matches looks both up).
 */
const MIN_WALK = 8;

/**
 * Reads the documents of ids given in id order, within one read snapshot (the caller's
 * synchronous run), yielding each one that exists.
 *
 * Ids that sit next to each other in the documents database are read by one cursor walking
 * forward instead of one lookup each. That is the common case of an index whose order follows
 * the ids (sequence numbers, timestamps, ids that grow with the value indexed), what PostgreSQL
 * calls an index's correlation with its table: its index scans then read neighbouring heap rows
 * too. A walk steps over at most {@link MAX_SKIP} documents to reach the next id it wants; past
 * that it gives up and the id is looked up. Walks start only with {@link MIN_WALK} ids or more
 * left, and again only while they keep paying off, so ids scattered over the collection cost a
 * lookup each plus at most one abandoned walk.
 */
export class DocumentFetch {
  readonly #dbs: Databases;
  readonly #sid: StorageId;
  /** Documents decoded: what the executor counts as works. */
  reads = 0;
  #walk: Iterator<{ value: unknown }> | undefined;
  /** The document the walk stands on, not yet handed out; `undefined` once the walk has ended. */
  #current: Doc | undefined;
  #hits = 0;
  #misses = 0;

  constructor(dbs: Databases, sid: StorageId) {
    this.#dbs = dbs;
    this.#sid = sid;
  }

  /**
   * The document with `id`, or `undefined`. Ids must come in ascending order; `remaining` is how
   * many ids are left to fetch, this one included.
   */
  get(id: string, remaining: number): Doc | undefined {
    if (this.#walk !== undefined) {
      let current = this.#current;
      let order = current === undefined ? 1 : compareStrings(current.id as string, id);
      for (let skipped = 0; order < 0 && skipped < MAX_SKIP; skipped++) {
        current = this.#advance();
        order = current === undefined ? 1 : compareStrings(current.id as string, id);
      }
      if (order === 0) {
        this.#hits++;
        this.#advance();
        return current;
      }
      // Past the id (it does not exist) with every document in between seen: the walk goes on.
      if (order > 0 && current !== undefined) return undefined;
      this.#misses++;
      this.close();
    }
    if (remaining >= MIN_WALK && (this.#misses === 0 || this.#hits >= HITS_PER_MISS * this.#misses)) return this.#startWalk(id);
    this.reads++;
    return this.#dbs.docs.get([this.#sid, id]) as Doc | undefined;
  }

  /** Ends the walk; call it when the caller stops before the last id (a generator's `finally`). */
  close(): void {
    this.#walk?.return?.();
    this.#walk = undefined;
    this.#current = undefined;
  }

  #startWalk(id: string): Doc | undefined {
    this.#walk = this.#dbs.docsValues.getRange({ start: [this.#sid, id], end: [this.#sid + 1] })[Symbol.iterator]();
    const first = this.#advance();
    if (first === undefined || first.id !== id) return undefined;
    this.#advance();
    return first;
  }

  #advance(): Doc | undefined {
    const next = (this.#walk as Iterator<{ value: unknown }>).next();
    if (next.done === true) {
      this.close();
      return undefined;
    }
    this.reads++;
    this.#current = next.value.value as Doc;
    return this.#current;
  }
}
