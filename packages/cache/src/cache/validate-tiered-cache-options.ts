import { InvalidArgumentError } from '@strata/core';
import { createSerializer, type Serializer } from '@strata/serialization';
import { systemClock, type Clock } from '../internal/clock.js';
import { durationMs, objectOption, optionalFunction, positiveInteger, rejectUnknown } from '../internal/validate.js';
import { validateL1StoreOptions } from '../l1/create-l1-store.js';
import type { L1Policy } from '../l1/l1-store.js';
import type { RemoteTier } from '../remote/remote-tier.js';
import type { Loader, TieredCacheOptions, Writer } from './tiered-cache-options.js';

/** {@link TieredCacheOptions} after validation, with defaults applied. */
export type ResolvedCacheOptions<V> = {
  name: string;
  l1: { maxEntries: number; maxBytes: number | undefined; policy: L1Policy; ttlMs: number | undefined };
  l2: { path: string; maxBytes: number; ttlMs: number | undefined; pollIntervalMs: number; logRetention: number } | undefined;
  remote: RemoteTier | undefined;
  load: Loader<V> | undefined;
  write: Writer<V> | undefined;
  writePolicy: 'through' | 'behind';
  writeBehind: { maxBatchSize: number; maxDelayMs: number; retryDelayMs: number };
  ttlMs: number | undefined;
  staleWhileRevalidateMs: number;
  negativeTtlMs: number | undefined;
  maxValueBytes: number;
  serializer: Serializer;
  clock: Clock;
  broadcast: boolean;
};

const KNOWN = new Set([
  'name', 'l1', 'l2', 'remote', 'load', 'write', 'writePolicy', 'writeBehind', 'ttlMs',
  'staleWhileRevalidateMs', 'negativeTtlMs', 'maxValueBytes', 'serializer', 'clock', 'broadcast',
]);
const KNOWN_L1 = new Set(['maxEntries', 'maxBytes', 'policy', 'ttlMs']);
const KNOWN_L2 = new Set(['path', 'maxBytes', 'ttlMs', 'pollIntervalMs', 'logRetention']);
const KNOWN_WRITE_BEHIND = new Set(['maxBatchSize', 'maxDelayMs', 'retryDelayMs']);
const REMOTE_METHODS = ['get', 'setMany', 'setIfUnchanged', 'invalidate', 'invalidatePrefix', 'invalidateTag', 'close'];
const NAME = /^[A-Za-z0-9_.:-]{1,100}$/;
const DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
/** Largest value accepted at all: LMDB and PostgreSQL both handle more, memory budgets rarely do. */
const MAX_VALUE_BYTES_LIMIT = 256 * 1024 * 1024;
const DEFAULT_L2_MAX_BYTES = 1024 * 1024 * 1024;
// Node clamps larger timer delays to 1 ms with a warning: a typo would become a busy loop.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Validates every option of `createTieredCache`: each failure is `INVALID_ARGUMENT` whose
 * `details.argument` names the option (`l2.maxBytes` for nested ones). Unknown keys are refused.
 */
export function validateTieredCacheOptions<V>(options: TieredCacheOptions<V>): ResolvedCacheOptions<V> {
  const record = objectOption(options, 'options');
  rejectUnknown(record, KNOWN, '');
  const name = record['name'] ?? 'cache';
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new InvalidArgumentError('name', 'expected 1 to 100 letters, digits or _ . : -');
  }
  if (record['l1'] === undefined) throw new InvalidArgumentError('l1', 'required: { maxEntries } at least');
  const l1Record = objectOption(record['l1'], 'l1');
  rejectUnknown(l1Record, KNOWN_L1, 'l1.');
  const { ttlMs: l1TtlMs, ...storeOptions } = l1Record;
  const store = validateL1StoreOptions(storeOptions as { maxEntries: number }, 'l1.');
  const load = optionalFunction<Loader<V>>(record['load'], 'load', '(key, context) => value');
  const write = optionalFunction<Writer<V>>(record['write'], 'write', '(operations) => void');
  const remote = validateRemote(record['remote']);
  const writePolicy = record['writePolicy'] ?? 'through';
  if (writePolicy !== 'through' && writePolicy !== 'behind') {
    throw new InvalidArgumentError('writePolicy', "expected 'through' or 'behind'");
  }
  if (writePolicy === 'behind' && write === undefined && remote === undefined) {
    throw new InvalidArgumentError('writePolicy', "'behind' needs a write function or a remote tier to write to");
  }
  if (record['writeBehind'] !== undefined && writePolicy !== 'behind') {
    throw new InvalidArgumentError('writeBehind', "only used with writePolicy: 'behind'");
  }
  const maxValueBytes = positiveInteger(record['maxValueBytes'], 'maxValueBytes', DEFAULT_MAX_VALUE_BYTES);
  if (maxValueBytes > MAX_VALUE_BYTES_LIMIT) throw new InvalidArgumentError('maxValueBytes', `at most ${MAX_VALUE_BYTES_LIMIT}`);
  const serializer = record['serializer'] ?? createSerializer({ format: 'msgpack' });
  if (!isSerializer(serializer)) {
    throw new InvalidArgumentError('serializer', 'expected a serializer from createSerializer()');
  }
  const clock = optionalFunction<Clock>(record['clock'], 'clock', '() => ms since the epoch') ?? systemClock;
  const broadcast = record['broadcast'] ?? true;
  if (typeof broadcast !== 'boolean') throw new InvalidArgumentError('broadcast', 'expected a boolean');
  return {
    name,
    l1: {
      maxEntries: store.maxEntries,
      maxBytes: store.maxBytes,
      policy: store.policy,
      ttlMs: durationMs(l1TtlMs, 'l1.ttlMs', undefined),
    },
    l2: record['l2'] === undefined ? undefined : validateL2(record['l2'], maxValueBytes),
    remote,
    load,
    write,
    writePolicy,
    writeBehind: validateWriteBehind(record['writeBehind']),
    ttlMs: durationMs(record['ttlMs'], 'ttlMs', undefined),
    staleWhileRevalidateMs: durationMs(record['staleWhileRevalidateMs'], 'staleWhileRevalidateMs', 0),
    negativeTtlMs: durationMs(record['negativeTtlMs'], 'negativeTtlMs', undefined),
    maxValueBytes,
    serializer,
    clock,
    broadcast,
  };
}

function validateL2(value: unknown, maxValueBytes: number): NonNullable<ResolvedCacheOptions<unknown>['l2']> {
  const record = objectOption(value, 'l2');
  rejectUnknown(record, KNOWN_L2, 'l2.');
  const path = record['path'];
  if (typeof path !== 'string' || path.length === 0) throw new InvalidArgumentError('l2.path', 'expected a directory path');
  const maxBytes = positiveInteger(record['maxBytes'], 'l2.maxBytes', DEFAULT_L2_MAX_BYTES);
  if (maxBytes < 2 * maxValueBytes) {
    throw new InvalidArgumentError('l2.maxBytes', `must hold at least two of the largest values (2 × maxValueBytes = ${2 * maxValueBytes})`);
  }
  const pollIntervalMs = durationMs(record['pollIntervalMs'], 'l2.pollIntervalMs', 100);
  if (pollIntervalMs < 1 || pollIntervalMs > MAX_TIMER_MS) {
    throw new InvalidArgumentError('l2.pollIntervalMs', `expected 1 to ${MAX_TIMER_MS} ms`);
  }
  return {
    path,
    maxBytes,
    ttlMs: durationMs(record['ttlMs'], 'l2.ttlMs', undefined),
    pollIntervalMs,
    logRetention: positiveInteger(record['logRetention'], 'l2.logRetention', 100_000),
  };
}

function validateWriteBehind(value: unknown): ResolvedCacheOptions<unknown>['writeBehind'] {
  const record = value === undefined ? {} : objectOption(value, 'writeBehind');
  rejectUnknown(record, KNOWN_WRITE_BEHIND, 'writeBehind.');
  const maxDelayMs = durationMs(record['maxDelayMs'], 'writeBehind.maxDelayMs', 50);
  const retryDelayMs = durationMs(record['retryDelayMs'], 'writeBehind.retryDelayMs', 100);
  if (maxDelayMs > MAX_TIMER_MS) throw new InvalidArgumentError('writeBehind.maxDelayMs', `at most ${MAX_TIMER_MS} ms`);
  if (retryDelayMs < 1 || retryDelayMs > MAX_TIMER_MS) {
    throw new InvalidArgumentError('writeBehind.retryDelayMs', `expected 1 to ${MAX_TIMER_MS} ms`);
  }
  return { maxBatchSize: positiveInteger(record['maxBatchSize'], 'writeBehind.maxBatchSize', 100), maxDelayMs, retryDelayMs };
}

function validateRemote(value: unknown): RemoteTier | undefined {
  if (value === undefined) return undefined;
  const record = objectOption(value, 'remote');
  for (const method of REMOTE_METHODS) {
    if (typeof record[method] !== 'function') throw new InvalidArgumentError('remote', `expected a RemoteTier (missing ${method}())`);
  }
  return value as RemoteTier;
}

function isSerializer(value: unknown): value is Serializer {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['encodeValue'] === 'function' && typeof candidate['decodeValue'] === 'function';
}
