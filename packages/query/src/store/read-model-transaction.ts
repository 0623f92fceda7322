import { InvalidArgumentError } from '@strata/core';
import { DocumentExistsError, OwnershipConflictError } from '../errors/query-errors.js';
import { validateDocument, writeDocument, type StoredDocument, type WriteTarget } from '../storage/write-document.js';
import { MetaKeys, readCounters, storageId } from '../storage/catalog.js';
import type { Databases, StorageId } from '../storage/databases.js';
import type { CollectionState } from '../collection/collection-state.js';

/**
 * The write handle of one collection inside {@link ReadModelTransaction}. Writes are validated when
 * made; `get` sees the transaction's own earlier writes.
 */
export interface TransactionCollection<T extends { id: string } = { id: string } & Record<string, unknown>> {
  /** Adds a document; `DOCUMENT_EXISTS` if its id is stored or was written earlier in the batch. */
  insert(doc: T): void;
  /** Stores a document, replacing any with its id. */
  put(doc: T): void;
  /** Same as {@link put}. */
  upsert(doc: T): void;
  /** Merges `changes` into the document (shallow); the new document, or `undefined` if there is none. */
  patch(id: string, changes: Partial<Omit<T, 'id'>>): T | undefined;
  /** Deletes a document; whether one was there. */
  delete(id: string): boolean;
  /** The document as this transaction sees it. */
  get(id: string): T | undefined;
}

/** The write handle a projection gets from `transact`/`transactSync`: collections of the scope's generation. */
export interface ReadModelTransaction {
  collection<T extends { id: string } = { id: string } & Record<string, unknown>>(name: string): TransactionCollection<T>;
}

type Pending = { state: CollectionState; id: string; doc: StoredDocument | undefined; insert: boolean };

/** What a transaction needs from the store. */
export type TransactionHost = {
  readonly dbs: Databases;
  /** The collection's state, claiming it for `projection` (throws `OWNERSHIP_CONFLICT` if another owns it). */
  claim(name: string, projection: string): CollectionState;
};

/**
 * A projection's batch of writes into one generation. Buffered (the default): writes are kept in
 * memory and replayed by {@link commit} inside one LMDB transaction. Direct: each write goes to LMDB
 * at once, which is only valid inside a running write transaction of the store's environment.
 */
export class WriteBatch implements ReadModelTransaction {
  readonly #host: TransactionHost;
  readonly #projection: string;
  readonly #generation: number;
  readonly #direct: boolean;
  readonly #pending: Pending[] = [];
  readonly #overlay = new Map<CollectionState, Map<string, StoredDocument | null>>();
  readonly #handles = new Map<string, TransactionCollection>();
  readonly #targets = new Map<CollectionState, WriteTarget>();
  /** Per touched storage: change in document count and documents written. */
  readonly touched = new Map<StorageId, { state: CollectionState; delta: number; writes: number }>();

  constructor(host: TransactionHost, projection: string, generation: number, direct: boolean) {
    this.#host = host;
    this.#projection = projection;
    this.#generation = generation;
    this.#direct = direct;
  }

  collection<T extends { id: string }>(name: string): TransactionCollection<T> {
    const existing = this.#handles.get(name);
    if (existing !== undefined) return existing as unknown as TransactionCollection<T>;
    const state = this.#host.claim(name, this.#projection);
    const read = (id: string): StoredDocument | undefined => {
      if (typeof id !== 'string') throw new InvalidArgumentError('id', 'must be a string');
      const buffered = this.#overlay.get(state)?.get(id);
      if (buffered !== undefined) return buffered ?? undefined;
      const sid = storageId(this.#host.dbs, name, this.#generation, false);
      return sid === undefined ? undefined : (this.#host.dbs.docs.get([sid, id]) as StoredDocument | undefined);
    };
    const write = (id: string, doc: StoredDocument | undefined, insert: boolean): void => {
      if (this.#direct) this.#apply({ state, id, doc, insert });
      else {
        let overlay = this.#overlay.get(state);
        if (overlay === undefined) this.#overlay.set(state, (overlay = new Map()));
        overlay.set(id, doc ?? null);
        this.#pending.push({ state, id, doc, insert });
      }
    };
    const fields = (): Readonly<Record<string, string>> | undefined => state.record.fields;
    const handle: TransactionCollection<T> = {
      insert: (doc) => {
        const checked = validateDocument(doc, name, fields());
        if (read(checked.id) !== undefined) throw new DocumentExistsError(name, checked.id);
        write(checked.id, checked, true);
      },
      put: (doc) => {
        const checked = validateDocument(doc, name, fields());
        write(checked.id, checked, false);
      },
      upsert: (doc) => handle.put(doc),
      patch: (id, changes) => {
        if (changes === null || typeof changes !== 'object') throw new InvalidArgumentError('changes', 'must be an object');
        const current = read(id);
        if (current === undefined) return undefined;
        const next = validateDocument({ ...current, ...changes, id }, name, fields());
        write(id, next, false);
        return next as unknown as T;
      },
      delete: (id) => {
        const existed = read(id) !== undefined;
        if (existed) write(id, undefined, false);
        return existed;
      },
      get: (id) => read(id) as T | undefined,
    };
    this.#handles.set(name, handle as unknown as TransactionCollection);
    return handle;
  }

  #apply(pending: Pending): void {
    const { state, id, doc, insert } = pending;
    let target = this.#targets.get(state);
    if (target === undefined) {
      const sid = storageId(this.#host.dbs, state.name, this.#generation, true)!;
      target = { collection: state.name, sid, indexes: state.indexes };
      this.#targets.set(state, target);
    }
    const sid = target.sid;
    const delta = writeDocument(this.#host.dbs, target, id, doc, insert ? 'insert' : 'put');
    const entry = this.touched.get(sid);
    if (entry === undefined) this.touched.set(sid, { state, delta, writes: 1 });
    else {
      entry.delta += delta;
      entry.writes++;
    }
  }

  /** Replays buffered writes and updates counters (inside a write transaction). */
  commit(): void {
    for (const pending of this.#pending) this.#apply(pending);
    for (const [sid, { delta }] of this.touched) {
      const counters = readCounters(this.#host.dbs, sid);
      this.#host.dbs.meta.put(MetaKeys.counters(sid), [counters.count + delta, counters.version + 1]);
    }
  }
}

/** Throws unless `generation` is the projection's live or building generation. */
export function checkGeneration(projection: string, generation: number, live: number, building: number | undefined): void {
  if (generation !== live && generation !== building) {
    throw new OwnershipConflictError(`Projection '${projection}' has no generation ${generation} (live ${live}, building ${building ?? 'none'})`, {
      argument: 'scope.generation',
      projection,
      generation,
    });
  }
}
