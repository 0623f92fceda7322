import { join } from 'node:path';
import { createTieredCache, type TieredCache } from '@strata/cache';
import { createSerializer } from '@strata/serialization';
import { open, type Database, type RootDatabase } from 'lmdb';
import { LRUCache } from 'lru-cache';
import type { BenchCase, Suite, Target } from '../harness/types.js';

/**
 * Read hits of the tiered cache against the raw libraries its tiers wrap, in the same run.
 *
 * - **L1**: `getSync` (the synchronous fast path) and `get` (the Promise API, awaited per call)
 *   against `lru-cache`'s `get`, on the same keys and values, every lookup a hit.
 * - **L2**: the cache's L2 read paths against lmdb-js on the same bytes: `peekL2EncodedFast` (the
 *   entry's value without copying) against `getBinaryFast` of a database holding exactly those
 *   bytes, and `peekL2` (read and decode) against `getBinaryFast` plus the same serializer's
 *   `decodeValue`, and against lmdb-js's own msgpack `get` of the value for reference.
 * - `getSync` through a one-entry L1, so every call misses L1 and is served by L2 (then promoted):
 *   the full cost of an L2 hit on the cache's normal path.
 *
 * A call does `OPS` lookups over distinct keys, because a single lookup is shorter than the
 * harness's per-call timing.
 */

const OPS = 100;
const KEYS = 10_000;
const KEYS_QUICK = 2_000;

type Account = { id: number; name: string; balance: number; currency: string; tags: string[]; updatedAt: number };

function account(i: number): Account {
  return { id: i, name: `account-${i}`, balance: 1_000 + i / 100, currency: 'EUR', tags: ['retail', 'eu'], updatedAt: 1_700_000_000_000 + i };
}

let keys: string[] = [];
let cursor = 0;

function prepareKeys(quick: boolean): void {
  if (keys.length > 0) return;
  keys = Array.from({ length: quick ? KEYS_QUICK : KEYS }, (_, i) => `account-${i}`);
}

/** The next `OPS` keys, wrapping around. */
function batchStart(): number {
  const start = cursor;
  cursor = (cursor + OPS) % (keys.length - OPS);
  return start;
}

/** Results land here, a module variable the engine cannot prove dead, so no lookup is optimised away. */
let _sink: unknown;
let lru: LRUCache<string, Account>;
let l1Cache: TieredCache<Account>;
let tinyLfuCache: TieredCache<Account>;
let l2Cache: TieredCache<Account>;
let rawEnv: RootDatabase;
let rawBytes: Database<Buffer, string>;
let rawMsgpack: Database<Account, string>;
const serializer = createSerializer({ format: 'msgpack' });

async function fillL1(cache: TieredCache<Account>): Promise<void> {
  for (let i = 0; i < keys.length; i++) await cache.set(keys[i] as string, account(i));
}

const cases: BenchCase[] = [
  {
    name: 'lru-cache get',
    role: 'baseline',
    opsPerCall: OPS,
    setup(ctx) {
      prepareKeys(ctx.quick);
      lru = new LRUCache<string, Account>({ max: keys.length * 2 });
      for (let i = 0; i < keys.length; i++) lru.set(keys[i] as string, account(i));
    },
    fn() {
      const start = batchStart();
      for (let i = start; i < start + OPS; i++) _sink = lru.get(keys[i] as string);
    },
  },
  {
    name: 'cache getSync, L1 hit',
    role: 'subject',
    opsPerCall: OPS,
    async setup(ctx) {
      prepareKeys(ctx.quick);
      l1Cache = createTieredCache<Account>({ name: 'bench-l1', l1: { maxEntries: keys.length * 2 }, broadcast: false });
      await fillL1(l1Cache);
    },
    fn() {
      const start = batchStart();
      for (let i = start; i < start + OPS; i++) _sink = l1Cache.getSync(keys[i] as string);
    },
  },
  {
    name: 'cache get (Promise), L1 hit',
    role: 'subject',
    opsPerCall: OPS,
    async fn() {
      const start = batchStart();
      for (let i = start; i < start + OPS; i++) _sink = await l1Cache.get(keys[i] as string);
    },
    teardown: () => l1Cache.close(),
  },
  {
    name: 'cache getSync, L1 hit, w-tinylfu',
    role: 'subject',
    opsPerCall: OPS,
    async setup(ctx) {
      prepareKeys(ctx.quick);
      tinyLfuCache = createTieredCache<Account>({
        name: 'bench-tinylfu',
        l1: { maxEntries: keys.length * 2, policy: 'w-tinylfu' },
        broadcast: false,
      });
      await fillL1(tinyLfuCache);
    },
    fn() {
      const start = batchStart();
      for (let i = start; i < start + OPS; i++) _sink = tinyLfuCache.getSync(keys[i] as string);
    },
    teardown: () => tinyLfuCache.close(),
  },
  {
    name: 'lmdb-js getBinaryFast',
    role: 'baseline',
    opsPerCall: OPS,
    async setup(ctx) {
      prepareKeys(ctx.quick);
      l2Cache = createTieredCache<Account>({ name: 'bench-l2', l1: { maxEntries: 1 }, l2: { path: join(ctx.tmpDir, 'l2') }, broadcast: false });
      for (let i = 0; i < keys.length; i++) await l2Cache.set(keys[i] as string, account(i));
      rawEnv = open({ path: join(ctx.tmpDir, 'raw'), noSync: true });
      rawBytes = rawEnv.openDB<Buffer, string>('bytes', { encoding: 'binary' });
      rawMsgpack = rawEnv.openDB<Account, string>('msgpack', {});
      // The same bytes the cache's L2 holds for each value: the serializer's value envelope.
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        rawBytes.putSync(key, Buffer.from(l2Cache.peekL2EncodedFast(key) as Uint8Array));
        rawMsgpack.putSync(key, account(i));
      }
    },
    fn() {
      const start = batchStart();
      for (let i = start; i < start + OPS; i++) _sink = rawBytes.getBinaryFast(keys[i] as string);
    },
  },
  {
    name: 'cache peekL2EncodedFast',
    role: 'subject',
    opsPerCall: OPS,
    fn() {
      const start = batchStart();
      for (let i = start; i < start + OPS; i++) _sink = l2Cache.peekL2EncodedFast(keys[i] as string);
    },
  },
  {
    name: 'lmdb-js getBinaryFast + decodeValue',
    role: 'baseline',
    opsPerCall: OPS,
    fn() {
      const start = batchStart();
      for (let i = start; i < start + OPS; i++) _sink = serializer.decodeValue(rawBytes.getBinaryFast(keys[i] as string) as Buffer);
    },
  },
  {
    name: 'lmdb-js get (msgpack)',
    role: 'baseline',
    opsPerCall: OPS,
    fn() {
      const start = batchStart();
      for (let i = start; i < start + OPS; i++) _sink = rawMsgpack.get(keys[i] as string);
    },
  },
  {
    name: 'cache peekL2',
    role: 'subject',
    opsPerCall: OPS,
    fn() {
      const start = batchStart();
      for (let i = start; i < start + OPS; i++) _sink = l2Cache.peekL2(keys[i] as string);
    },
  },
  {
    name: 'cache getSync, L1 miss, L2 hit',
    role: 'subject',
    opsPerCall: OPS,
    fn() {
      const start = batchStart();
      for (let i = start; i < start + OPS; i++) _sink = l2Cache.getSync(keys[i] as string);
    },
    async teardown() {
      await l2Cache.close();
      await rawEnv.close();
    },
  },
];

const targets: Target[] = [
  { kind: 'ratio', subject: 'cache getSync, L1 hit', baseline: 'lru-cache get', min: 0.8, description: 'L1 get hit (sync fast path)' },
  { kind: 'ratio', subject: 'cache peekL2EncodedFast', baseline: 'lmdb-js getBinaryFast', min: 0.8, description: 'L2 get hit, same bytes' },
  {
    kind: 'ratio',
    subject: 'cache peekL2',
    baseline: 'lmdb-js getBinaryFast + decodeValue',
    min: 0.8,
    description: 'L2 get hit, decoded',
  },
];

const suite: Suite = {
  id: 'cache',
  title: 'Tiered cache: read hits',
  description:
    'L1 hits (getSync and the Promise get, LRU and W-TinyLFU) against lru-cache get; L2 hits (encoded view and decoded) against lmdb-js reading the same bytes; 100 lookups per call.',
  cases,
  targets,
  // Interleaved 50 ms slices: the L1 cases run at tens of millions of calls a second, where a
  // noisy neighbour's second would otherwise decide the ratio.
  sliceMs: 50,
};

export default suite;
