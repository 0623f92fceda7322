import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createTieredCache, type CacheStats, type TieredCache } from '../src/index.js';
import { builtPackageUrl, eventually, fixturePath, nextSnapshot, tempDir } from './support/helpers.js';

const run = promisify(execFile);
type ChildReport = { results: unknown[]; loads: number; stats: CacheStats };

/** Runs `steps` in a separate Node.js process on the same L2 path. */
async function inChild(path: string, steps: object[]): Promise<ChildReport> {
  const { stdout } = await run(process.execPath, [fixturePath('l2-child.mjs'), builtPackageUrl(), path, JSON.stringify(steps)]);
  return JSON.parse(stdout) as ChildReport;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openParent(path: string, load?: () => unknown): TieredCache<unknown> {
  const cache = createTieredCache<unknown>({
    name: 'shared',
    l1: { maxEntries: 100 },
    l2: { path, pollIntervalMs: 10 },
    ...(load === undefined ? {} : { load }),
  });
  cleanups.push(() => cache.close());
  return cache;
}

describe('L2 shared between processes', () => {
  it('serves a value written by this process to another process, from L2', async () => {
    const dir = tempDir('processes');
    cleanups.push(dir.remove);
    const parent = openParent(dir.path);
    await parent.set('greeting', { text: 'hello from the parent', at: [1, 2, 3] });
    const child = await inChild(dir.path, [{ op: 'getSync', key: 'greeting' }]);
    expect(child.results).toEqual([{ text: 'hello from the parent', at: [1, 2, 3] }]);
    expect(child.stats.l2).toMatchObject({ hits: 1, misses: 0 });
    expect(child.loads).toBe(0);
  });

  it('makes a value computed in another process a hit here, without loading it again', async () => {
    const dir = tempDir('processes');
    cleanups.push(dir.remove);
    const parent = openParent(dir.path, () => {
      throw new Error('must not load: the child computed it');
    });
    const child = await inChild(dir.path, [{ op: 'get', key: 'report' }]);
    expect(child.loads).toBe(1);
    await nextSnapshot();
    const value = (await parent.get('report')) as { key: string; computedBy: number };
    expect(value).toEqual(child.results[0]);
    expect(value.computedBy).not.toBe(process.pid);
    expect(parent.stats().l2?.hits).toBe(1);
  });

  it('drops this process\'s L1 copies when another process invalidates or rewrites them', async () => {
    const dir = tempDir('processes');
    cleanups.push(dir.remove);
    const parent = openParent(dir.path);
    await parent.set('a', 'parent a');
    await parent.set('p:1', 'parent p1');
    expect(parent.peekL1('a')).toBe('parent a');
    await inChild(dir.path, [
      { op: 'set', key: 'a', value: 'child a' },
      { op: 'invalidatePrefix', prefix: 'p:' },
    ]);
    await eventually(() => parent.peekL1('a') === undefined && parent.peekL1('p:1') === undefined);
    expect(parent.getSync('a')).toBe('child a');
    expect(parent.getSync('p:1')).toBeUndefined();
  });
});
