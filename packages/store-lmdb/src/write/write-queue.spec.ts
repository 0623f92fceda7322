import { describe, expect, it } from 'vitest';
import type { RootDatabase } from 'lmdb';
import { WrongExpectedVersionError } from '@strata/core';
import type { WriteOp } from './write-op.js';
import { WriteQueue } from './write-queue.js';
import type { WriteTransaction } from './write-transaction.js';

/**
 * A stand-in for lmdb-js's root database: `childTransaction` runs the callback on a later turn
 * (as lmdb-js does, once its write thread holds the lock) and "commits" by keeping its writes, or
 * drops them when the callback throws. `flushed` resolves when the test says so.
 */
function fakeRoot() {
  const state = { transactions: 0, committed: [] as string[][], flushes: [] as (() => void)[] };
  const root = {
    childTransaction<T>(callback: () => T): Promise<T> {
      state.transactions++;
      return new Promise((resolve, reject) =>
        setImmediate(() => {
          written = [];
          try {
            const result = callback();
            state.committed.push(written);
            resolve(result);
          } catch (error) {
            reject(error as Error);
          }
        }),
      );
    },
    flushed: { then: (resolve: () => void) => void state.flushes.push(resolve) },
  };
  let written: string[] = [];
  const txn = {
    finish: () => undefined,
    wroteEvents: true,
    nextPosition: 0,
    write: (value: string) => written.push(value),
  };
  return { root: root as unknown as RootDatabase, txn: txn as unknown as WriteTransaction & { write(value: string): void }, state };
}

function op(name: string, outcome: 'ok' | 'conflict' | 'throw' = 'ok'): WriteOp<string> {
  return {
    events: 1,
    bytes: 10,
    apply: (txn) => {
      if (outcome === 'throw') throw new Error('disk on fire');
      if (outcome === 'conflict') return new WrongExpectedVersionError('s-1', 1, 2);
      (txn as unknown as { write(value: string): void }).write(name);
      return name;
    },
  };
}

describe('group commit', () => {
  it('runs everything queued in one turn in one transaction, each caller getting its own outcome', async () => {
    const { root, txn, state } = fakeRoot();
    const queue = new WriteQueue({ root, durability: 'commit', begin: () => txn, onCommit: () => undefined, onFailure: () => undefined });
    const outcomes = await Promise.allSettled([queue.enqueue(op('a')), queue.enqueue(op('b', 'conflict')), queue.enqueue(op('c'))]);
    expect(state.transactions).toBe(1);
    expect(state.committed).toEqual([['a', 'c']]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as { code: string }).code))).toEqual(['a', 'WRONG_EXPECTED_VERSION', 'c']);
  });

  it('gathers what arrives while a transaction is pending into the next one', async () => {
    const { root, txn, state } = fakeRoot();
    const queue = new WriteQueue({ root, durability: 'commit', begin: () => txn, onCommit: () => undefined, onFailure: () => undefined });
    const first = queue.enqueue(op('a'));
    await new Promise((resolve) => setImmediate(resolve));
    const later = [queue.enqueue(op('b')), queue.enqueue(op('c'))];
    await Promise.all([first, ...later]);
    expect(state.committed).toEqual([['a'], ['b', 'c']]);
  });

  it('rolls a group back when an operation throws: every caller gets STORE_FAILURE, nothing is kept', async () => {
    const { root, txn, state } = fakeRoot();
    const queue = new WriteQueue({ root, durability: 'commit', begin: () => txn, onCommit: () => undefined, onFailure: () => undefined });
    const outcomes = await Promise.allSettled([queue.enqueue(op('a')), queue.enqueue(op('b', 'throw'))]);
    expect(state.committed).toEqual([]);
    expect(outcomes.map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(['STORE_FAILURE', 'STORE_FAILURE']);
    expect(await queue.enqueue(op('c'))).toBe('c');
  });

  it("acknowledges in 'flush' mode only once the group's flush is done, one flush per group", async () => {
    const { root, txn, state } = fakeRoot();
    const queue = new WriteQueue({ root, durability: 'flush', begin: () => txn, onCommit: () => undefined, onFailure: () => undefined });
    let settled = 0;
    const all = Promise.all([queue.enqueue(op('a')), queue.enqueue(op('b'))].map((p) => p.then(() => settled++)));
    while (state.flushes.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(0);
    expect(state.flushes).toHaveLength(1);
    state.flushes[0]!();
    await all;
    expect(settled).toBe(2);
    await queue.drained();
  });
});
