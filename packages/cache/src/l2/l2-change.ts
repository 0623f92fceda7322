/**
 * A change recorded in L2's change log, in sequence order:
 * `k` = the value of key `pattern` changed or was removed; `p` = every key starting with `pattern`
 * was invalidated; `t` = every entry tagged `pattern` was invalidated.
 */
export type L2Change = { readonly seq: number; readonly kind: 'k' | 'p' | 't'; readonly pattern: string };

/** Whether `change` concerns the entry `key` carrying `tags`. */
export function changeMatches(change: L2Change, key: string, tags: readonly string[] | undefined): boolean {
  switch (change.kind) {
    case 'k':
      return change.pattern === key;
    case 'p':
      return key.startsWith(change.pattern);
    case 't':
      return tags !== undefined && tags.includes(change.pattern);
  }
}

/** What {@link LmdbTier.changesSince} returns. */
export type L2Changes = {
  /** The last sequence number the log holds (the next poll starts after it). */
  readonly head: number;
  /** True when changes after the requested point were pruned: the reader must drop everything. */
  readonly reset: boolean;
  readonly changes: readonly L2Change[];
};
