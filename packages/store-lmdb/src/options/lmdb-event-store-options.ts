import { DEFAULT_APPEND_LIMITS, InvalidArgumentError } from '@strata/core';
import type { Serializer, SerializerOptions } from '@strata/serialization';

/**
 * When an append is acknowledged, named for what it gives:
 * - `'flush'` (default): after its transaction is flushed to disk (fsync). Survives a process
 *   crash and a power loss.
 * - `'commit'`: at commit, while the flush runs in the background. Survives a process crash
 *   (kill -9); a power loss may lose the last moments of acknowledged appends (the store stays
 *   consistent: it opens at an earlier commit).
 * - `'none'`: never flushes. Survives a process crash; a power loss or OS crash can lose or
 *   corrupt the whole store. For tests and throwaway data.
 */
export type Durability = 'flush' | 'commit' | 'none';

/** Options of the serializer the store creates (its structure store is the store's own). */
export type StoreSerializerOptions = Omit<SerializerOptions, 'structures'>;

/** Options of `createLmdbEventStore`. */
export type LmdbEventStoreOptions = {
  /** Directory of the LMDB environment; created when missing. */
  path: string;
  /** When appends are acknowledged (default `'flush'`). */
  durability?: Durability;
  /**
   * How events are encoded. Default: MessagePack with shared record structures persisted in the
   * store. Pass serializer options (format, registry, checksum, maxSharedStructures) to have the
   * store create the serializer with its own structure store, or a ready `Serializer` (JSON or
   * Protocol Buffers; a MessagePack one must persist its structures itself, or data written with
   * it cannot be read after a restart). A store is always opened with the format it was created with.
   */
  serializer?: Serializer | StoreSerializerOptions;
  /**
   * Initial size of the memory map in bytes. The map and the file grow on demand whatever this
   * is; a larger value avoids remapping while a store grows quickly.
   */
  mapSize?: number;
  /** Largest encoded event (data + metadata) in bytes (default 4 MiB). */
  maxEventBytes?: number;
  /** Most events in one append (default 10,000). */
  maxBatchSize?: number;
  /**
   * How often (ms) a live, idle subscription checks for commits of other processes sharing the
   * store (default 50). Commits of this store object wake subscriptions at once.
   */
  crossProcessPollMs?: number;
  /**
   * Most appends the stream index keeps in memory (its tail) before it writes their extents to the
   * extents database in one transaction (default 65,536). Lower it to use less memory and scan less
   * of the log when a store opens; raise it to write fewer index pages per append.
   */
  maxIndexTail?: number;
};

/** Options after validation, with defaults applied. */
export type ResolvedLmdbEventStoreOptions = {
  path: string;
  durability: Durability;
  serializer: Serializer | StoreSerializerOptions;
  mapSize: number | undefined;
  maxEventBytes: number;
  maxBatchSize: number;
  crossProcessPollMs: number;
  maxIndexTail: number;
};

const KNOWN = new Set(['path', 'durability', 'serializer', 'mapSize', 'maxEventBytes', 'maxBatchSize', 'crossProcessPollMs', 'maxIndexTail']);
const DURABILITIES: readonly Durability[] = ['flush', 'commit', 'none'];

/** Validates every option and applies defaults. Throws `INVALID_ARGUMENT` naming the first bad option. */
export function resolveLmdbEventStoreOptions(options: unknown): ResolvedLmdbEventStoreOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'expected an object such as { path }');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new InvalidArgumentError(key, `unknown option of createLmdbEventStore`);
  }
  const { path, durability = 'flush', serializer, mapSize, maxEventBytes, maxBatchSize, crossProcessPollMs, maxIndexTail } = options as Record<string, unknown>;
  if (typeof path !== 'string' || path.length === 0) throw new InvalidArgumentError('path', 'expected a non-empty string');
  if (!DURABILITIES.includes(durability as Durability)) {
    throw new InvalidArgumentError('durability', `expected 'flush', 'commit' or 'none'`);
  }
  return {
    path,
    durability: durability as Durability,
    serializer: resolveSerializerOption(serializer),
    mapSize: mapSize === undefined ? undefined : integer('mapSize', mapSize, 4096, Number.MAX_SAFE_INTEGER),
    maxEventBytes: integer('maxEventBytes', maxEventBytes ?? DEFAULT_APPEND_LIMITS.maxEventBytes, 1, 0xffffffff),
    maxBatchSize: integer('maxBatchSize', maxBatchSize ?? DEFAULT_APPEND_LIMITS.maxBatchSize, 1, 1_000_000),
    crossProcessPollMs: integer('crossProcessPollMs', crossProcessPollMs ?? 50, 1, 60_000),
    maxIndexTail: integer('maxIndexTail', maxIndexTail ?? 65_536, 1, 16_777_216),
  };
}

function resolveSerializerOption(value: unknown): Serializer | StoreSerializerOptions {
  if (value === undefined) return { format: 'msgpack' };
  if (typeof value !== 'object' || value === null) {
    throw new InvalidArgumentError('serializer', 'expected a Serializer or serializer options such as { format }');
  }
  if (typeof (value as Partial<Serializer>).encodeRecord === 'function') {
    const candidate = value as Partial<Serializer>;
    if (typeof candidate.decodeRecord !== 'function' || typeof candidate.encodeValue !== 'function' || typeof candidate.decodeValue !== 'function') {
      throw new InvalidArgumentError('serializer', 'expected a Serializer from createSerializer()');
    }
    return value as Serializer;
  }
  if ('structures' in value) {
    throw new InvalidArgumentError('serializer.structures', 'the store keeps MessagePack structures in its own database');
  }
  return value as StoreSerializerOptions;
}

function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(name, `expected an integer from ${min} to ${max}`);
  }
  return value;
}
