import { InvalidArgumentError } from '@strata/core';
import { objectOption, optionalFunction, positiveInteger, rejectUnknown } from '../internal/validate.js';
import type { L1Policy, L1Store, L1StoreOptions } from './l1-store.js';
import { LruStore } from './lru-store.js';
import { WTinyLfuStore } from './w-tiny-lfu-store.js';

const KNOWN = new Set(['policy', 'maxEntries', 'maxBytes', 'onEvict']);

/**
 * Creates a bounded in-process store with the given eviction policy: the storage of a tiered
 * cache's L1, exported for use on its own and for measuring policies.
 *
 * @throws InvalidArgumentError (`INVALID_ARGUMENT`) naming the offending option.
 *
 * @example
 * const store = createL1Store<Session>({ policy: 'w-tinylfu', maxEntries: 10_000 });
 * store.set('session-1', session, 512);
 * store.get('session-1');
 */
export function createL1Store<V extends object>(options: L1StoreOptions<V>): L1Store<V> {
  const validated = validateL1StoreOptions(options, '');
  return validated.policy === 'lru' ? new LruStore<V>(validated) : new WTinyLfuStore<V>(validated);
}

/** Validates {@link L1StoreOptions}; `prefix` qualifies option names in errors (`l1.`). */
export function validateL1StoreOptions<V>(options: L1StoreOptions<V>, prefix: string): L1StoreOptions<V> & { policy: L1Policy } {
  const record = objectOption(options, prefix === '' ? 'options' : prefix.slice(0, -1));
  rejectUnknown(record, KNOWN, prefix);
  const policy = record['policy'] ?? 'lru';
  if (policy !== 'lru' && policy !== 'w-tinylfu') {
    throw new InvalidArgumentError(`${prefix}policy`, "expected 'lru' or 'w-tinylfu'");
  }
  const maxEntries = positiveInteger(record['maxEntries'], `${prefix}maxEntries`);
  const maxBytes = record['maxBytes'] === undefined ? undefined : positiveInteger(record['maxBytes'], `${prefix}maxBytes`);
  const onEvict = optionalFunction<(key: string, value: V) => void>(record['onEvict'], `${prefix}onEvict`, '(key, value) => void');
  return {
    policy,
    maxEntries,
    ...(maxBytes === undefined ? {} : { maxBytes }),
    ...(onEvict === undefined ? {} : { onEvict }),
  };
}
