/**
 * The worker a stream starts on when the scheduler first sees it (or sees it again after it was
 * idle long enough to be forgotten): an FNV-1a hash of the stream id, mixed (FNV-1a's low bits
 * depend only on the characters' low bits), modulo the worker count.
 * Stealing may move it elsewhere afterwards. Exposed so that load generators and tests can aim
 * at one worker on purpose.
 */
export function streamHomeWorker(streamId: string, workers: number): number {
  if (workers <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) {
    hash ^= streamId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) % workers;
}
