import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore, isStrataError, type EventStore } from '@strata/core';
import { resolveContractOptions } from './contract-options.js';
import { StoreHarness } from './store-harness.js';
import { describeEventStoreContract } from './describe-event-store-contract.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isStrataError(error) ? error.code : 'OTHER';
  }
  return undefined;
};

describe('StoreHarness', () => {
  it('gives each store a unique identifier-safe id, closes it, then runs teardown and cleanups in reverse order', async () => {
    const calls: string[] = [];
    const ids: string[] = [];
    const harness = new StoreHarness(
      ({ id, onTeardown }) => {
        ids.push(id);
        onTeardown(() => void calls.push(`cleanup 1 ${id}`));
        onTeardown(() => void calls.push(`cleanup 2 ${id}`));
        return createInMemoryEventStore();
      },
      resolveContractOptions({ teardown: async (store) => void calls.push(`teardown closed=${await isClosed(store)}`) }),
    );
    await harness.withStore(async (store) => void (await store.append('a-1', [{ type: 'A', data: 1 }])));
    await harness.openCurrent();
    await harness.releaseCurrent();
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9_]{0,47}$/);
    expect(calls).toEqual([
      'teardown closed=true',
      `cleanup 2 ${ids[0]}`,
      `cleanup 1 ${ids[0]}`,
      'teardown closed=true',
      `cleanup 2 ${ids[1]}`,
      `cleanup 1 ${ids[1]}`,
    ]);
  });

  it('refuses a factory that returns a store with events, and still cleans up', async () => {
    let cleaned = false;
    const used = createInMemoryEventStore();
    await used.append('a-1', [{ type: 'A', data: 1 }]);
    const harness = new StoreHarness(({ onTeardown }) => {
      onTeardown(() => void (cleaned = true));
      return used;
    }, resolveContractOptions());
    await expect(harness.openCurrent()).rejects.toThrow(/fresh, empty store/);
    expect(cleaned).toBe(true);
  });

  it('reports the failure of the body, not of teardown, when both fail', async () => {
    const harness = new StoreHarness(
      ({ onTeardown }) => {
        onTeardown(() => {
          throw new Error('cleanup failed');
        });
        return createInMemoryEventStore();
      },
      resolveContractOptions(),
    );
    await expect(harness.withStore(() => Promise.reject(new Error('body failed')))).rejects.toThrow('body failed');
    await expect(harness.withStore(async () => undefined)).rejects.toThrow('cleanup failed');
  });
});

describe('describeEventStoreContract options', () => {
  it('refuses bad arguments with INVALID_ARGUMENT before registering anything', () => {
    const factory = () => createInMemoryEventStore();
    expect(code(() => describeEventStoreContract('', factory))).toBe('INVALID_ARGUMENT');
    expect(code(() => describeEventStoreContract('x', 'store' as never))).toBe('INVALID_ARGUMENT');
    for (const options of [{ propertyRuns: 0 }, { maxEventBytes: 1.5 }, { concurrentAppends: 1 }, { teardown: 'no' }, { propertySeed: Number.NaN }]) {
      expect(code(() => describeEventStoreContract('x', factory, options as never)), JSON.stringify(options)).toBe('INVALID_ARGUMENT');
    }
  });

  it('applies defaults', () => {
    expect(resolveContractOptions()).toMatchObject({ maxEventBytes: 4 * 1024 * 1024, concurrentAppends: 32, propertyRuns: 40, maxOperations: 30 });
  });
});

async function isClosed(store: EventStore): Promise<boolean> {
  try {
    await store.headPosition();
    return false;
  } catch (error) {
    return isStrataError(error, 'STORE_CLOSED');
  }
}
