import { describe, expect, it } from 'vitest';
import { codeOf, thrownBy } from '../../test/support/helpers.js';
import { createTieredCache } from './create-tiered-cache.js';

const l1 = { maxEntries: 10 };

describe('createTieredCache options', () => {
  it.each([
    [undefined, 'options'],
    [{}, 'l1'],
    [{ l1: { maxEntries: 0 } }, 'l1.maxEntries'],
    [{ l1: { maxEntries: 10, maxBytes: 0 } }, 'l1.maxBytes'],
    [{ l1: { maxEntries: 10, policy: 'arc' } }, 'l1.policy'],
    [{ l1: { maxEntries: 10, ttlMs: -1 } }, 'l1.ttlMs'],
    [{ l1: { maxEntries: 10, size: 1 } }, 'l1.size'],
    [{ l1, name: '' }, 'name'],
    [{ l1, name: 'a b' }, 'name'],
    [{ l1, l2: { path: '' } }, 'l2.path'],
    [{ l1, l2: { path: 'cache-l2', maxBytes: 1_000 } }, 'l2.maxBytes'],
    [{ l1, l2: { path: 'cache-l2', pollIntervalMs: 0 } }, 'l2.pollIntervalMs'],
    [{ l1, l2: { path: 'cache-l2', logRetention: 0 } }, 'l2.logRetention'],
    [{ l1, l2: { path: 'cache-l2', mapSize: 1 } }, 'l2.mapSize'],
    [{ l1, load: 'fn' }, 'load'],
    [{ l1, write: {} }, 'write'],
    [{ l1, remote: { get() {} } }, 'remote'],
    [{ l1, writePolicy: 'around' }, 'writePolicy'],
    [{ l1, writePolicy: 'behind' }, 'writePolicy'],
    [{ l1, writeBehind: { maxBatchSize: 10 }, write: (): void => undefined }, 'writeBehind'],
    [{ l1, writePolicy: 'behind', write: (): void => undefined, writeBehind: { maxBatchSize: 0 } }, 'writeBehind.maxBatchSize'],
    [{ l1, writePolicy: 'behind', write: (): void => undefined, writeBehind: { retryDelayMs: 0 } }, 'writeBehind.retryDelayMs'],
    [{ l1, ttlMs: Number.NaN }, 'ttlMs'],
    [{ l1, staleWhileRevalidateMs: -1 }, 'staleWhileRevalidateMs'],
    [{ l1, negativeTtlMs: Infinity }, 'negativeTtlMs'],
    [{ l1, maxValueBytes: 0 }, 'maxValueBytes'],
    [{ l1, maxValueBytes: 2 ** 40 }, 'maxValueBytes'],
    [{ l1, serializer: {} }, 'serializer'],
    [{ l1, clock: 5 }, 'clock'],
    [{ l1, broadcast: 'yes' }, 'broadcast'],
    [{ l1, ttl: 5 }, 'ttl'],
  ])('refuses %j naming %s', (options, argument) => {
    const error = thrownBy(() => createTieredCache(options as never));
    expect(codeOf(error)).toBe('INVALID_ARGUMENT');
    expect((error as { details: { argument: string } }).details.argument).toBe(argument);
  });
});
