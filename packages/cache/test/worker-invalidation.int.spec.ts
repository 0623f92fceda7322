import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createTieredCache } from '../src/index.js';
import { builtPackageUrl, eventually, fixturePath, tempDir } from './support/helpers.js';

/** A worker thread running `fixtures/cache-worker.mjs`, driven by request/response messages. */
class CacheWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly ready: Promise<void>;
  #next = 0;

  constructor(name: string, l2Path?: string) {
    this.#worker = new Worker(fixturePath('cache-worker.mjs'), { workerData: { packageUrl: builtPackageUrl(), name, l2Path } });
    this.ready = new Promise((resolve, reject) => {
      this.#worker.once('error', reject);
      this.#worker.on('message', (message: { ready?: boolean; id?: number; value?: unknown; error?: string }) => {
        if (message.ready === true) return resolve();
        const waiter = this.#pending.get(message.id as number);
        this.#pending.delete(message.id as number);
        if (message.error !== undefined) waiter?.reject(new Error(message.error));
        else waiter?.resolve(message.value);
      });
    });
  }

  call(op: string, fields: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, op, ...fields });
    });
  }

  async stop(): Promise<void> {
    await this.call('close');
    await this.#worker.terminate();
  }
}

const workers: CacheWorker[] = [];
const cleanups: Array<() => void> = [];

async function startWorkers(name: string, l2Path?: string): Promise<[CacheWorker, CacheWorker]> {
  const pair: [CacheWorker, CacheWorker] = [new CacheWorker(name, l2Path), new CacheWorker(name, l2Path)];
  workers.push(...pair);
  await Promise.all(pair.map((w) => w.ready));
  return pair;
}

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('invalidation across worker threads', () => {
  it('reaches the L1 of the other worker thread, which then loads again', async () => {
    const [a, b] = await startWorkers('threads-key');
    const fromA = await a.call('get', { key: 'k' });
    const fromB = await b.call('get', { key: 'k' });
    expect(fromA).not.toBe(fromB); // each thread loaded into its own L1
    expect(await b.call('peekL1', { key: 'k' })).toBe(fromB);

    await a.call('invalidate', { key: 'k' });
    expect(await a.call('peekL1', { key: 'k' })).toBeNull();
    await eventually(async () => (await b.call('peekL1', { key: 'k' })) === null);
    const reloaded = await b.call('get', { key: 'k' });
    expect(reloaded).not.toBe(fromB);
    expect(await b.call('loads')).toBe(2);
  });

  it('propagates prefix and tag invalidations, and a set() drops the other thread\'s older copy', async () => {
    const [a, b] = await startWorkers('threads-wide');
    for (const key of ['p:1', 'p:2', 'q:1', 't:1']) await b.call('get', { key });
    await b.call('set', { key: 'x', value: 'old', tags: ['group'] });

    await a.call('invalidatePrefix', { prefix: 'p:' });
    await eventually(async () => (await b.call('peekL1', { key: 'p:1' })) === null && (await b.call('peekL1', { key: 'p:2' })) === null);
    expect(await b.call('peekL1', { key: 'q:1' })).not.toBeNull();

    await a.call('invalidateTag', { tag: 'loaded' });
    await eventually(async () => (await b.call('peekL1', { key: 'q:1' })) === null);
    expect(await b.call('peekL1', { key: 'x' })).toBe('old');

    await a.call('set', { key: 'x', value: 'new' });
    await eventually(async () => (await b.call('peekL1', { key: 'x' })) === null);
  });

  it('reaches a cache of the same name in the main thread too', async () => {
    const [a] = await startWorkers('threads-main');
    const main = createTieredCache<string>({ name: 'threads-main', l1: { maxEntries: 10 } });
    await main.set('k', 'main value');
    await a.call('invalidate', { key: 'k' });
    await eventually(() => main.peekL1('k') === undefined);
    await main.close();
  });

  it('with a shared L2, a value computed in one worker is a hit in the other, and its update reaches both', async () => {
    const dir = tempDir('threads-l2');
    cleanups.push(dir.remove);
    const [a, b] = await startWorkers('threads-l2', dir.path);
    const computed = await a.call('get', { key: 'k' });
    expect(await b.call('get', { key: 'k' })).toBe(computed);
    expect(await b.call('loads')).toBe(0);

    await a.call('set', { key: 'k', value: 'updated' });
    await eventually(async () => (await b.call('getSync', { key: 'k' })) === 'updated');
  });
});
