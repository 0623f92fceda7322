/** The two ends of one caller's `add` promise. */
export type Settler<TResult> = {
  resolve: (value: TResult) => void;
  reject: (error: unknown) => void;
};

/**
 * One item on its way through the batcher, with the caller waiting for it and, under
 * deduplication, the further callers that share its result.
 */
export type PendingEntry<TItem, TResult> = Settler<TResult> & {
  item: TItem;
  /** Deduplication key, or `undefined` when the item is not deduplicated. */
  key: unknown;
  /** Admission order; `flush` waits for every entry up to a sequence number. */
  seq: number;
  /** Callers deduplicated onto this entry; created on the first one. */
  followers: Settler<TResult>[] | undefined;
};
