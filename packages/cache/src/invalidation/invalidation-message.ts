/**
 * A change announced to the other threads' L1 tiers: `key` (one key's value changed or was
 * removed), `prefix` or `tag` (invalidated). `version` is L2's sequence number of the change when
 * the cache has an L2: receivers then drop only copies older than it.
 */
export type InvalidationMessage = {
  readonly kind: 'key' | 'prefix' | 'tag';
  readonly pattern: string;
  readonly version: number | undefined;
};

/** Whether `data` is an {@link InvalidationMessage} (messages cross thread boundaries untyped). */
export function isInvalidationMessage(data: unknown): data is InvalidationMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as Record<string, unknown>;
  return (
    (message['kind'] === 'key' || message['kind'] === 'prefix' || message['kind'] === 'tag') &&
    typeof message['pattern'] === 'string' &&
    (message['version'] === undefined || typeof message['version'] === 'number')
  );
}
