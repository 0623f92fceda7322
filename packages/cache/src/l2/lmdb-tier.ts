import { StrataError } from '@strata/core';
import { open, type Database, type RootDatabase } from 'lmdb';
import { changeMatches, type L2Change, type L2Changes } from './l2-change.js';
import { encodeL2Entry, isL2Entry, l2Tags, l2Version, type L2EntryMeta } from './l2-entry.js';
import { ViewCache } from './view-cache.js';

/** Settings of the L2 tier. */
export type LmdbTierSettings = {
  path: string;
  /** Evict the oldest-written entries when their bytes exceed this. */
  maxBytes: number;
  /** Change-log records kept for other processes' pollers and for stale-load checks. */
  logRetention: number;
};

/** Eviction brings the tier down to this share of `maxBytes`, so it does not run on every write. */
const EVICT_TO = 0.9;
/** Entries evicted per range read during eviction. */
const EVICT_BATCH = 64;
/** Bytes counted per entry beyond key and value: LMDB node headers and the version index. */
const ENTRY_OVERHEAD = 48;
const TAG_MARK = Buffer.from([1]);

/**
 * L2: entries in an LMDB environment, memory-mapped and shared by every thread and process that
 * opens the same path. Besides the entries it keeps
 *
 * - a sequence (`meta.seq`) that numbers every write and invalidation: an entry's version;
 * - `by-version` (version → key): write order, for evicting the oldest entries beyond `maxBytes`
 *   (reads do not reorder: that would turn every read into a write);
 * - `tags` (`tag \0 key`): the entries carrying each tag;
 * - `log` (seq → change): user writes and invalidations, which other processes poll to drop their
 *   L1 copies and which a load checks before storing its result (see {@link writeIfUnchanged}).
 *
 * Writes run in synchronous write transactions, serialised across processes by LMDB's writer
 * lock, so a check and the write it guards are atomic. The environment is opened without fsync
 * (`noSync`): it is a cache, and an entry lost to a machine crash is a miss.
 */
export class LmdbTier {
  readonly #env: RootDatabase;
  readonly #entries: Database<Buffer, string>;
  readonly #byVersion: Database<string, number>;
  readonly #tags: Database<Buffer, string>;
  readonly #log: Database<[L2Change['kind'], string], number>;
  readonly #meta: Database<number, string>;
  readonly #settings: LmdbTierSettings;
  readonly #views = new ViewCache();
  #evictions = 0;

  constructor(settings: LmdbTierSettings) {
    this.#settings = settings;
    try {
      this.#env = open({ path: settings.path, noSync: true, maxDbs: 8 });
      this.#entries = this.#env.openDB<Buffer, string>('entries', { encoding: 'binary' });
      this.#byVersion = this.#env.openDB<string, number>('by-version', { encoding: 'string' });
      this.#tags = this.#env.openDB<Buffer, string>('tags', { encoding: 'binary' });
      this.#log = this.#env.openDB<[L2Change['kind'], string], number>('log', { encoding: 'msgpack' });
      this.#meta = this.#env.openDB<number, string>('meta', { encoding: 'msgpack' });
    } catch (err) {
      throw new StrataError('STORE_FAILURE', `Could not open the L2 cache at '${settings.path}'`, {
        cause: err,
        details: { path: settings.path },
      });
    }
  }

  /** Entries this instance evicted to stay under `maxBytes`. */
  get evictions(): number {
    return this.#evictions;
  }

  /** Bytes held, as accounted against `maxBytes` (all processes' entries). */
  get bytes(): number {
    return this.#meta.get('bytes') ?? 0;
  }

  /** The latest sequence number: a load records it before starting, to detect later changes. */
  head(): number {
    return this.#meta.get('seq') ?? 0;
  }

  /**
   * The raw entry for `key` (layout in `l2-entry.ts`), or undefined. The buffer is lmdb-js's
   * reusable read buffer (or a view of the map for large values), **valid only until the next read
   * of this L2 tier on this thread**: parse or copy it at once.
   */
  readFast(key: string): Buffer | undefined {
    const bytes = this.#entries.getBinaryFast(key);
    return bytes !== undefined && isL2Entry(bytes) ? bytes : undefined;
  }

  /**
   * Like {@link readFast}, but first renews this thread's read snapshot. lmdb-js reuses a snapshot
   * until its next timer turn, so a plain read may miss an entry another thread or process committed
   * a moment ago; a miss is confirmed with this before anything is loaded.
   */
  readFreshFast(key: string): Buffer | undefined {
    this.renewSnapshot();
    return this.readFast(key);
  }

  /** Makes this thread's next read start a new snapshot, which sees every commit made before now. */
  renewSnapshot(): void {
    this.#env.resetReadTxn();
  }

  /**
   * A view of a {@link readFast} entry from `offset` to its end, reused across reads (see
   * `ViewCache`): as short-lived as the entry itself.
   */
  valueView(entry: Buffer, offset: number): Uint8Array {
    return this.#views.view(entry, offset);
  }

  /** Writes an entry unconditionally; `logged` records the change for other processes. Returns its version. */
  write(key: string, value: Uint8Array, meta: L2EntryMeta, logged: boolean): { version: number; evicted: number } {
    return this.#env.transactionSync(() => this.#put(key, value, meta, logged));
  }

  /**
   * Writes a loaded value only if nothing that concerns it happened after sequence `since` (read
   * with {@link head} before the load started): no write or invalidation of the key, no prefix or
   * tag invalidation that matches it. Returns undefined when refused, so a slow load never
   * overwrites a newer value or resurrects an invalidated one.
   */
  writeIfUnchanged(key: string, value: Uint8Array, meta: L2EntryMeta, since: number): { version: number; evicted: number } | undefined {
    return this.#env.transactionSync(() => {
      const head = this.#metaValue('seq');
      if (head !== since) {
        if (since < this.#metaValue('floor')) return undefined;
        const existing = this.#entries.getBinaryFast(key);
        if (existing !== undefined && isL2Entry(existing) && l2Version(existing) > since) return undefined;
        for (const change of this.#changes(since, head, Infinity)) {
          if (changeMatches(change, key, meta.tags)) return undefined;
        }
      }
      return this.#put(key, value, meta, false);
    });
  }

  /** Removes `key` and logs the change; returns its sequence number. */
  invalidateKey(key: string): number {
    return this.#env.transactionSync(() => {
      this.#remove(key);
      return this.#append('k', key);
    });
  }

  /** Removes every key starting with `prefix` and logs the change; returns its sequence number. */
  invalidatePrefix(prefix: string): number {
    return this.#env.transactionSync(() => {
      const keys: string[] = [];
      for (const key of this.#entries.getKeys({ start: prefix })) {
        if (!key.startsWith(prefix)) break;
        keys.push(key);
      }
      for (const key of keys) this.#remove(key);
      return this.#append('p', prefix);
    });
  }

  /** Removes every entry tagged `tag` and logs the change; returns its sequence number. */
  invalidateTag(tag: string): number {
    return this.#env.transactionSync(() => {
      const start = `${tag}\u0000`;
      const keys: string[] = [];
      for (const indexKey of this.#tags.getKeys({ start })) {
        if (!indexKey.startsWith(start)) break;
        keys.push(indexKey.slice(start.length));
      }
      for (const key of keys) {
        const entry = this.#entries.getBinaryFast(key);
        // The index may hold keys whose entry was since rewritten without the tag.
        if (entry !== undefined && isL2Entry(entry) && l2Tags(entry)?.includes(tag)) this.#remove(key);
        else this.#tags.removeSync(`${start}${key}`);
      }
      return this.#append('t', tag);
    });
  }

  /** Changes after sequence `after`, at most `limit` of them. */
  changesSince(after: number, limit: number): L2Changes {
    const head = this.#metaValue('seq');
    if (head === after) return { head, reset: false, changes: [] };
    if (after < this.#metaValue('floor')) return { head, reset: true, changes: [] };
    const changes = this.#changes(after, head, limit);
    const last = changes[changes.length - 1];
    return { head: changes.length === limit && last !== undefined ? last.seq : head, reset: false, changes };
  }

  close(): Promise<void> {
    return this.#env.close();
  }

  #changes(after: number, head: number, limit: number): L2Change[] {
    const changes: L2Change[] = [];
    for (const { key, value } of this.#log.getRange({ start: after + 1, end: head + 1 })) {
      changes.push({ seq: key, kind: value[0], pattern: value[1] });
      if (changes.length >= limit) break;
    }
    return changes;
  }

  #put(key: string, value: Uint8Array, meta: L2EntryMeta, logged: boolean): { version: number; evicted: number } {
    this.#remove(key);
    const version = logged ? this.#append('k', key) : this.#nextSeq();
    const entry = encodeL2Entry(version, meta, value);
    this.#entries.putSync(key, entry);
    this.#byVersion.putSync(version, key);
    if (meta.tags !== undefined) for (const tag of meta.tags) this.#tags.putSync(`${tag}\u0000${key}`, TAG_MARK);
    const bytes = this.#metaValue('bytes') + entrySize(key, entry.length);
    this.#meta.putSync('bytes', bytes);
    return { version, evicted: bytes > this.#settings.maxBytes ? this.#evict(key) : 0 };
  }

  /** Removes an entry and its index records, and discounts its bytes. */
  #remove(key: string): void {
    const entry = this.#entries.getBinaryFast(key);
    if (entry === undefined) return;
    const size = entrySize(key, entry.length);
    if (isL2Entry(entry)) {
      const version = l2Version(entry);
      const tags = l2Tags(entry);
      this.#byVersion.removeSync(version);
      if (tags !== undefined) for (const tag of tags) this.#tags.removeSync(`${tag}\u0000${key}`);
    }
    this.#entries.removeSync(key);
    this.#meta.putSync('bytes', Math.max(0, this.#metaValue('bytes') - size));
  }

  /** Evicts the oldest-written entries (never `keep`, just written) until under the target. */
  #evict(keep: string): number {
    const target = this.#settings.maxBytes * EVICT_TO;
    let evicted = 0;
    let skip = 0;
    while (this.#metaValue('bytes') > target) {
      const oldest = [...this.#byVersion.getRange({ limit: EVICT_BATCH, offset: skip })];
      if (oldest.length === 0) break;
      for (const { value: key } of oldest) {
        if (key === keep) {
          skip = 1;
          continue;
        }
        this.#remove(key);
        evicted++;
        if (this.#metaValue('bytes') <= target) break;
      }
    }
    this.#evictions += evicted;
    return evicted;
  }

  #append(kind: L2Change['kind'], pattern: string): number {
    const seq = this.#nextSeq();
    this.#log.putSync(seq, [kind, pattern]);
    const floor = this.#metaValue('floor');
    const retention = this.#settings.logRetention;
    // Prune in chunks of a quarter of the retention, not on every append.
    if (seq - floor > retention + Math.max(1, retention >> 2)) {
      const newFloor = seq - retention;
      for (const old of [...this.#log.getKeys({ start: floor + 1, end: newFloor + 1 })]) this.#log.removeSync(old);
      this.#meta.putSync('floor', newFloor);
    }
    return seq;
  }

  #nextSeq(): number {
    const seq = this.#metaValue('seq') + 1;
    this.#meta.putSync('seq', seq);
    return seq;
  }

  #metaValue(name: 'seq' | 'bytes' | 'floor'): number {
    return this.#meta.get(name) ?? 0;
  }
}

function entrySize(key: string, entryLength: number): number {
  return key.length + entryLength + ENTRY_OVERHEAD;
}
