import { describe, expect, it } from 'vitest';
import { WriteBehind } from './write-behind.js';

/**
 * lmdb-js's asynchronous write transaction, scripted: queued callbacks run, in order, when the
 * test calls `runTransaction`, each as a child transaction (a throw discards its writes and
 * rejects its promise); the transaction then commits, or fails and keeps nothing.
 */
class ScriptedRoot {
  stored: number | undefined;
  #staged: number | undefined;
  #queued: { callback: () => void; resolve(): void; reject(error: unknown): void }[] = [];

  childTransaction(callback: () => void): Promise<void> {
    return new Promise((resolve, reject) => this.#queued.push({ callback, resolve, reject }));
  }

  /** A write of the batch: its checkpoint, visible to later callbacks of the same transaction. */
  write(position: number): void {
    this.#staged = position;
  }

  get current(): number | undefined {
    return this.#staged ?? this.stored;
  }

  /**
   * Runs the queued callbacks and commits (or fails) their transaction; returns what settles
   * their promises, which lmdb-js may do after it has already run the next transaction.
   */
  execute(failCommit?: Error): () => void {
    const queued = this.#queued.splice(0);
    const ran: typeof queued = [];
    for (const entry of queued) {
      const before = this.#staged;
      try {
        entry.callback();
        ran.push(entry);
      } catch (error) {
        this.#staged = before;
        entry.reject(error);
      }
    }
    if (failCommit === undefined) this.stored = this.current;
    this.#staged = undefined;
    return () => {
      for (const entry of ran) {
        if (failCommit === undefined) entry.resolve();
        else entry.reject(failCommit);
      }
    };
  }

  async runTransaction(failCommit?: Error): Promise<void> {
    this.execute(failCommit)();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function setup() {
  const root = new ScriptedRoot();
  let failures = 0;
  const behind = new WriteBehind({
    root: root as never,
    storedCheckpoint: () => root.current,
    onCommitFailure: () => failures++,
  });
  return { root, behind, failures: () => failures };
}

const scope = { projection: 'p', generation: 3 };

describe('WriteBehind', () => {
  it('resolves once a batch has run in its transaction, before the commit; settled waits for the commit', async () => {
    const { root, behind } = setup();
    const first = behind.queue(scope, 10, () => root.write(10));
    let settled = false;
    void behind.settled(scope).then(() => (settled = true));
    await root.runTransaction();
    await first;
    expect(root.stored).toBe(10);
    expect(settled).toBe(true);

    // The next batch resolves while its transaction is still to commit.
    let ran = false;
    const second = behind.queue(scope, 20, () => {
      ran = true;
      root.write(20);
    });
    const commit = root.runTransaction();
    await second;
    expect(ran).toBe(true);
    await commit;
    await behind.settled(scope);
    expect(root.stored).toBe(20);
  });

  it('rejects a batch whose writes throw with their error; nothing of it is stored and the next batch commits', async () => {
    const { root, behind, failures } = setup();
    const first = behind.queue(scope, 10, () => root.write(10));
    await root.runTransaction();
    await first;
    const broken = behind.queue(scope, 20, () => {
      root.write(20);
      throw new Error('unique violation');
    });
    const refused = expect(broken).rejects.toThrow('unique violation');
    const next = behind.queue(scope, 30, () => root.write(30));
    await root.runTransaction();
    await refused;
    await next;
    await behind.settled(scope);
    expect(root.stored).toBe(30);
    expect(failures()).toBe(0);
  });

  it('never commits a batch on top of a failed commit: later batches and settled reject with SINK_WRITES_LOST', async () => {
    const { root, behind, failures } = setup();
    await Promise.all([behind.queue(scope, 10, () => root.write(10)), root.runTransaction()]);
    const lost = behind.queue(scope, 20, () => root.write(20));
    await root.runTransaction(new Error('MDB_MAP_FULL'));
    await lost; // It had run: the loss shows up from here on.
    expect(root.stored).toBe(10);
    expect(failures()).toBe(1);
    await expect(behind.settled(scope)).rejects.toMatchObject({ code: 'SINK_WRITES_LOST', details: { projection: 'p', generation: 3 } });
    await expect(behind.queue(scope, 30, () => root.write(30))).rejects.toMatchObject({ code: 'SINK_WRITES_LOST' });
    await root.runTransaction();
    expect(root.stored).toBe(10);
    // Other generations are not affected.
    const other = { projection: 'p', generation: 4 };
    await Promise.all([behind.queue(other, 40, () => root.write(40)), root.runTransaction()]);
    await behind.settled(other);
    expect(root.stored).toBe(40);
  });

  it('refuses a batch whose transaction runs before the failure of the one before it is known', async () => {
    const { root, behind, failures } = setup();
    await Promise.all([behind.queue(scope, 10, () => root.write(10)), root.runTransaction()]);
    const lost = behind.queue(scope, 20, () => root.write(20));
    const settleLost = root.execute(new Error('disk full'));
    await lost;
    let ran = false;
    const behindIt = behind.queue(scope, 30, () => {
      ran = true;
      root.write(30);
    });
    // The next transaction runs first: its check finds checkpoint 10 stored, where the batch before it set 20.
    const settleNext = root.execute();
    settleLost();
    settleNext();
    await expect(behindIt).rejects.toMatchObject({ code: 'SINK_WRITES_LOST', details: { expectedCheckpoint: 20, storedCheckpoint: 10 } });
    expect(ran).toBe(false);
    expect(root.stored).toBe(10);
    await expect(behind.settled(scope)).rejects.toMatchObject({ code: 'SINK_WRITES_LOST' });
    expect(failures()).toBe(1);
  });
});
