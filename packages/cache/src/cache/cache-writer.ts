import { InvalidArgumentError } from '@strata/core';
import type { InvalidationBus } from '../invalidation/invalidation-bus.js';
import type { InvalidationMessage } from '../invalidation/invalidation-message.js';
import { durationMs, objectOption } from '../internal/validate.js';
import type { RemoteEntry, RemoteTier } from '../remote/remote-tier.js';
import type { WriteBehindCounters, WriteBehindQueue } from '../write-behind/write-behind-queue.js';
import { l2Meta, valueEntry, type CacheContext } from './cache-context.js';
import { deadlines } from './cache-entry.js';
import type { FlightRegistry } from './single-flight.js';
import type { SetOptions } from './tiered-cache.js';
import type { WriteOperation, Writer } from './tiered-cache-options.js';
import { validateKey, validatePrefix, validateTag, validateTags } from './validate-key.js';

/** A write on its way to the source and the remote tier (one per key while queued). */
export type QueuedWrite<V> = {
  readonly key: string;
  readonly operation: WriteOperation<V>;
  /** The remote tier's entry, for a `set`. */
  readonly remote: RemoteEntry | undefined;
};

/**
 * Changes the cache: `set`, `delete` and invalidations, in every tier, announced to the other
 * threads (bus) and processes (L2's log), forwarded to the source and the remote tier under the
 * write policy.
 *
 * Order within a write: the source first (write-through: if it fails, nothing changed), then the
 * local tiers and the announcement in one synchronous step (the flights of the key are detached in
 * that same step, so no load that started earlier can store over the write), then — write-behind —
 * the queue.
 */
export class CacheWriter<V> {
  readonly #context: CacheContext<V>;
  readonly #flights: FlightRegistry<V>;
  readonly #write: Writer<V> | undefined;
  readonly #queue: WriteBehindQueue<QueuedWrite<V>> | undefined;
  readonly #bus: () => InvalidationBus | undefined;
  readonly #sinks: boolean;

  constructor(
    context: CacheContext<V>,
    flights: FlightRegistry<V>,
    write: Writer<V> | undefined,
    queue: WriteBehindQueue<QueuedWrite<V>> | undefined,
    bus: () => InvalidationBus | undefined,
  ) {
    this.#context = context;
    this.#flights = flights;
    this.#write = write;
    this.#queue = queue;
    this.#bus = bus;
    this.#sinks = write !== undefined || context.remote !== undefined;
  }

  async set(key: string, value: V, options: SetOptions | undefined): Promise<void> {
    validateKey(key);
    const { ttlMs, tags } = validateSetOptions(options, this.#context.ttlMs);
    const context = this.#context;
    const encoded = context.codec.encode(value);
    const queued: QueuedWrite<V> = {
      key,
      operation: { type: 'set', key, value },
      remote: { key, value: encoded, ...deadlines(context.clock(), ttlMs, context.staleWhileRevalidateMs), tags: tags ?? [] },
    };
    if (this.#queue === undefined && this.#sinks) await writeToSinks(this.#write, this.#context.remote, [queued]);
    const now = context.clock();
    const entryDeadlines = deadlines(now, ttlMs, context.staleWhileRevalidateMs);
    this.#flights.detach(key);
    let version: number | undefined;
    if (context.l2 !== undefined) {
      const written = context.l2.write(key, encoded, l2Meta(context, entryDeadlines, tags, now), true);
      version = written.version;
      if (written.evicted > 0) context.counters.evicted('l2', written.evicted);
    }
    context.l1.put(key, valueEntry(context, key, value, version ?? context.nextLocalVersion(), entryDeadlines, tags, encoded.length, now));
    this.#announce({ kind: 'key', pattern: key, version });
    this.#queue?.add(queued);
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    const queued: QueuedWrite<V> = { key, operation: { type: 'delete', key }, remote: undefined };
    if (this.#queue === undefined && this.#sinks) await writeToSinks(this.#write, this.#context.remote, [queued]);
    this.#invalidateLocally('key', key);
    this.#queue?.add(queued);
  }

  async invalidate(kind: InvalidationMessage['kind'], pattern: string): Promise<void> {
    if (kind === 'key') validateKey(pattern);
    else if (kind === 'prefix') validatePrefix(pattern);
    else validateTag(pattern);
    this.#invalidateLocally(kind, pattern);
    const remote = this.#context.remote;
    if (remote === undefined) return;
    if (kind === 'key') await remote.invalidate([pattern]);
    else if (kind === 'prefix') await remote.invalidatePrefix(pattern);
    else await remote.invalidateTag(pattern);
  }

  /** The latest write of `key` still queued for the source (write-behind), if any. */
  pending(key: string): WriteOperation<V> | undefined {
    return this.#queue?.latest(key)?.operation;
  }

  flush(): Promise<void> {
    return this.#queue?.flush() ?? Promise.resolve();
  }

  counters(): WriteBehindCounters {
    return this.#queue?.counters ?? { pending: 0, written: 0, batches: 0, failures: 0 };
  }

  #invalidateLocally(kind: InvalidationMessage['kind'], pattern: string): void {
    const { l1, l2, counters } = this.#context;
    let version: number | undefined;
    switch (kind) {
      case 'key':
        this.#flights.detach(pattern);
        l1.remove(pattern);
        version = l2?.invalidateKey(pattern);
        break;
      case 'prefix':
        this.#flights.detachPrefix(pattern);
        l1.removePrefix(pattern);
        version = l2?.invalidatePrefix(pattern);
        break;
      case 'tag':
        this.#flights.detachAll();
        l1.removeTag(pattern);
        version = l2?.invalidateTag(pattern);
        break;
    }
    counters.invalidated(l2 !== undefined, this.#context.remote !== undefined);
    this.#announce({ kind, pattern, version });
  }

  #announce(message: InvalidationMessage): void {
    this.#bus()?.publish(message);
  }
}

/** Writes a batch to the source (`write`), then to the remote tier. */
export async function writeToSinks<V>(
  write: Writer<V> | undefined,
  remote: RemoteTier | undefined,
  items: readonly QueuedWrite<V>[],
): Promise<void> {
  if (write !== undefined) await write(items.map((item) => item.operation));
  if (remote === undefined) return;
  const sets: RemoteEntry[] = [];
  const deletes: string[] = [];
  for (const item of items) {
    if (item.remote !== undefined) sets.push(item.remote);
    else deletes.push(item.key);
  }
  if (sets.length > 0) await remote.setMany(sets);
  if (deletes.length > 0) await remote.invalidate(deletes);
}

function validateSetOptions(options: SetOptions | undefined, defaultTtlMs: number | undefined): { ttlMs: number | undefined; tags: readonly string[] | undefined } {
  if (options === undefined) return { ttlMs: defaultTtlMs, tags: undefined };
  const record = objectOption(options, 'options');
  for (const name of Object.keys(record)) {
    if (name !== 'ttlMs' && name !== 'tags') throw new InvalidArgumentError(`options.${name}`, 'unknown option');
  }
  return {
    ttlMs: durationMs(record['ttlMs'], 'options.ttlMs', defaultTtlMs),
    tags: validateTags(record['tags'], 'options.tags'),
  };
}
