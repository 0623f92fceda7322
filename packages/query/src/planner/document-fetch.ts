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

/** What a walk returns when it cannot reach an id. */
const MISSED = Symbol('missed');

/**
 * Reads the documents of a sequence of ids within one read snapshot (the caller's synchronous run),
 * returning each one that exists.
 *
 * Ids that sit next to each other in the documents database are read by one cursor walking through
 * them instead of one lookup each. That is the common case of an index whose order follows the ids
 * (sequence numbers, timestamps, values that grow with the id): what PostgreSQL calls an index's
 * correlation with its table, which its own index scans benefit from too. A walk goes forward for
 * ascending ids and backward for descending ones (an index read in reverse), and steps over at most
 * {@link MAX_SKIP} documents to reach the next id it wants; past that, or when the ids turn, it gives
 * up and the id is looked up. Walks start only with {@link MIN_WALK} ids or more left, and again only
 * while they keep paying off, so ids in no order cost a lookup each plus at most one abandoned walk.
 */
export class DocumentFetch {
  readonly #dbs: Databases;
  readonly #sid: StorageId;
  /** Documents decoded: what the executor counts as works. */
  reads = 0;
  #walk: Iterator<{ value: unknown }> | undefined;
  /** Ids found by walking rather than by a lookup. */
  get walked(): number {
    return this.#hits;
  }
  /** 1 for a forward walk, -1 for a backward one. */
  #direction = 1;
  /** The document the walk stands on, not yet handed out; `undefined` once the walk has ended. */
  #current: Doc | undefined;
  /** The id asked for last: the next one's direction follows from it. */
  #last: string | undefined;
  #hits = 0;
  #misses = 0;

  /** `ascending`: the ids come in ascending order, so a walk can start at the first one. */
  constructor(dbs: Databases, sid: StorageId, ascending: boolean) {
    this.#dbs = dbs;
    this.#sid = sid;
    if (ascending) this.#last = '';
  }

  /**
   * The document with `id`, or `undefined`; `remaining` is how many ids are left to fetch, this
   * one included (an estimate will do).
   */
  get(id: string, remaining: number): Doc | undefined {
    const last = this.#last;
    this.#last = id;
    // The direction from the previous id to this one; 0 before the second id of a sequence in any order.
    const direction = last === undefined ? 0 : Math.sign(compareStrings(id, last));
    if (this.#walk !== undefined) {
      if (direction === this.#direction) {
        const found = this.#step(id);
        if (found !== MISSED) return found;
      }
      this.#misses++;
      this.close();
    }
    if (direction !== 0 && remaining >= MIN_WALK && (this.#misses === 0 || this.#hits >= HITS_PER_MISS * this.#misses)) {
      return this.#startWalk(id, direction);
    }
    this.reads++;
    return this.#dbs.docs.get([this.#sid, id]) as Doc | undefined;
  }

  /** Ends the walk; call it when the caller stops before the last id (a generator's `finally`). */
  close(): void {
    this.#walk?.return?.();
    this.#walk = undefined;
    this.#current = undefined;
  }

  /** Walks on to `id`: its document, `undefined` when the walk passed where it would be, or {@link MISSED}. */
  #step(id: string): Doc | undefined | typeof MISSED {
    const direction = this.#direction;
    let current = this.#current;
    // Where the walk stands relative to `id`, in the walk's direction: below 0 is short of it.
    let order = current === undefined ? 1 : direction * compareStrings(current.id as string, id);
    for (let skipped = 0; order < 0 && skipped < MAX_SKIP; skipped++) {
      current = this.#advance();
      order = current === undefined ? 1 : direction * compareStrings(current.id as string, id);
    }
    if (order === 0) {
      this.#hits++;
      this.#advance();
      return current;
    }
    // Past the id (it does not exist) with every document in between seen: the walk goes on.
    if (order > 0 && current !== undefined) return undefined;
    return MISSED;
  }

  #startWalk(id: string, direction: number): Doc | undefined {
    const sid = this.#sid;
    const range = direction > 0 ? { start: [sid, id], end: [sid + 1] } : { start: [sid, id], end: [sid], reverse: true };
    this.#walk = this.#dbs.docsValues.getRange(range)[Symbol.iterator]();
    this.#direction = direction;
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
