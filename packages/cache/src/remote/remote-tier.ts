/** An entry as a remote tier stores it: the value already encoded by the cache's serializer. */
export type RemoteEntry = {
  readonly key: string;
  /** The serializer's value envelope. */
  readonly value: Uint8Array;
  /** Wall-clock ms since the epoch; `Infinity` = never. */
  readonly freshUntil: number;
  readonly staleUntil: number;
  readonly tags: readonly string[];
};

/** What {@link RemoteTier.get} returns. */
export type RemoteRead = {
  /** The entry, or undefined when the tier holds none for the key. */
  readonly entry: RemoteEntry | undefined;
  /**
   * An opaque token that identifies what the read saw, for a later
   * {@link RemoteTier.setIfUnchanged} of a value loaded after this read. The cache never looks inside.
   */
  readonly token: unknown;
};

/**
 * A cache tier shared by several machines (L3, in front of the source), such as the PostgreSQL
 * implementation from `createPostgresRemoteTier`. Implementations must make
 * {@link RemoteTier.setIfUnchanged} refuse a value when anything that concerns its key changed after
 * the read that produced the token: a write, a key, prefix or tag invalidation. That is what keeps
 * a slow load from overwriting a newer value on another machine.
 */
export interface RemoteTier {
  /** Reads the entry for `key`, expired or not (the cache judges freshness). */
  get(key: string): Promise<RemoteRead>;
  /** Writes entries unconditionally (user writes, write-behind batches); later entries of a key win. */
  setMany(entries: readonly RemoteEntry[]): Promise<void>;
  /** Writes a loaded entry unless its key changed since the read that returned `token`; true when written. */
  setIfUnchanged(entry: RemoteEntry, token: unknown): Promise<boolean>;
  /** Removes the entries of `keys`. */
  invalidate(keys: readonly string[]): Promise<void>;
  /** Removes every entry whose key starts with `prefix`. */
  invalidatePrefix(prefix: string): Promise<void>;
  /** Removes every entry tagged `tag`. */
  invalidateTag(tag: string): Promise<void>;
  /** Releases what the tier holds (not a connection pool it was given). */
  close(): Promise<void>;
}
