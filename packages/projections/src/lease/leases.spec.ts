import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryEventStore, type RecordedEvent } from '@strata/core';
import { createInMemoryLeaseStore, createProjectionRunner, defineProjection, partitionOf, type LeaseStore, type ProjectionRunner } from '../index.js';
import { MemoryCheckpoints } from '../../test/support/memory-checkpoints.js';
import { MemorySink, type MemoryTx } from '../../test/support/memory-sink.js';
import { appendMany, until } from '../../test/support/helpers.js';

let runners: ProjectionRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  runners = [];
});

describe('in-memory lease store', () => {
  it('grants a lease to one owner at a time, bumps the token on takeover, and fences the old holder', async () => {
    let now = 1_000;
    const leases = createInMemoryLeaseStore({ clock: () => now });
    const a = await leases.acquire('p', 'a', 100);
    expect(a).toMatchObject({ name: 'p', owner: 'a', token: 1 });
    expect(await leases.acquire('p', 'b', 100)).toBeUndefined();
    now += 50;
    const renewed = await leases.renew(a!, 100);
    expect(renewed?.expiresAt).toBe(1_150);
    now += 150;
    const b = await leases.acquire('p', 'b', 100);
    expect(b).toMatchObject({ owner: 'b', token: 2 });
    expect(await leases.renew(renewed!, 100)).toBeUndefined();
    await expect(leases.verify(renewed!)).rejects.toMatchObject({ code: 'LEASE_LOST' });
    await leases.verify(b!);
    await leases.release(b!);
    expect(await leases.acquire('p', 'c', 100)).toMatchObject({ owner: 'c', token: 3 });
    await expect(leases.acquire('p', 'c', 0)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

type Applied = { node: string; event: RecordedEvent };

function node(name: string, shared: { store: ReturnType<typeof createInMemoryEventStore>; leases: LeaseStore; checkpoints: MemoryCheckpoints; applied: Applied[] }, partitions = 1): ProjectionRunner {
  const projection = defineProjection({
    name: 'ledger',
    handles: ['Deposited'],
    partitions,
    batch: { maxSize: 4 },
    handle: (event) => void shared.applied.push({ node: name, event }),
  });
  const runner = createProjectionRunner({
    store: shared.store,
    checkpoints: shared.checkpoints,
    projections: [projection],
    leases: { store: shared.leases, owner: name, ttlMs: 400, renewIntervalMs: 40 },
    metricsIntervalMs: 0,
  });
  runners.push(runner);
  return runner;
}

describe('competing consumers in one process', () => {
  it('single active: one node applies, the other takes over when it stops', async () => {
    const shared = { store: createInMemoryEventStore(), leases: createInMemoryLeaseStore(), checkpoints: new MemoryCheckpoints(), applied: [] as Applied[] };
    const a = node('a', shared);
    const b = node('b', shared);
    await a.start();
    await b.start();
    await appendMany(shared.store, 20);
    await until(() => shared.applied.length === 20, '20 applied');
    expect(new Set(shared.applied.map((x) => x.node))).toEqual(new Set(['a']));
    expect((await b.status())[0]).toMatchObject({ state: 'standby' });
    await a.stop();
    await appendMany(shared.store, 10);
    await until(() => shared.applied.length === 30, '30 applied');
    expect(shared.applied.slice(20).every((x) => x.node === 'b')).toBe(true);
    expect(shared.applied.map((x) => x.event.position)).toEqual([...Array(30).keys()]);
  });

  it('partitioned: partitions are shared out, each event is applied once, in order per stream', async () => {
    const shared = { store: createInMemoryEventStore(), leases: createInMemoryLeaseStore(), checkpoints: new MemoryCheckpoints(), applied: [] as Applied[] };
    const a = node('a', shared, 4);
    const b = node('b', shared, 4);
    await a.start();
    await b.start();
    await until(async () => (await a.status())[0]!.partitions.filter((p) => p.held).length === 2 && (await b.status())[0]!.partitions.filter((p) => p.held).length === 2, 'two partitions each');
    const last = await appendMany(shared.store, 60, { streams: 12 });
    await until(() => shared.applied.length === 60, '60 applied');
    expect(shared.applied.map((x) => x.event.position).sort((x, y) => x - y)).toEqual([...Array(last + 1).keys()]);
    expect(new Set(shared.applied.map((x) => x.node))).toEqual(new Set(['a', 'b']));
    for (const { node: by, event } of shared.applied) {
      const owner = (await (by === 'a' ? a : b).status())[0]!.partitions[partitionOf(event.streamId, 4)]!;
      expect(owner.held).toBe(true);
    }
    for (let s = 0; s < 12; s++) {
      const versions = shared.applied.filter((x) => x.event.streamId === `account-${s}`).map((x) => x.event.version);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
    }
  });
});

describe('fencing', () => {
  it('a node cut off from the lease store stops committing once its lease expires, and the other takes over', async () => {
    const store = createInMemoryEventStore();
    const inner = createInMemoryLeaseStore();
    let cutOff = false;
    // Node a's requests to the lease store never return once it is cut off (a network partition).
    const forA: LeaseStore = {
      ...inner,
      acquire: (...args) => (cutOff ? new Promise(() => undefined) : inner.acquire(...args)),
      renew: (...args) => (cutOff ? new Promise(() => undefined) : inner.renew(...args)),
      verify: (...args) => (cutOff ? new Promise(() => undefined) : inner.verify(...args)),
      release: (...args) => inner.release(...args),
      list: (...args) => inner.list(...args),
      close: () => inner.close(),
    };
    const sink = new MemorySink();
    const appliedBy: Record<string, string[]> = { a: [], b: [] };
    const make = (owner: 'a' | 'b', leases: LeaseStore): ProjectionRunner => {
      const runner = createProjectionRunner({
        store,
        checkpoints: new MemoryCheckpoints(),
        projections: [
          defineProjection<MemoryTx>({
            name: 'counter',
            handles: ['Deposited'],
            sink,
            retry: { attempts: 1 },
            onError: 'stop',
            handle(event, tx) {
              appliedBy[owner]!.push(event.id);
              tx.put('counts', event.streamId, ((tx.get('counts', event.streamId) as number | undefined) ?? 0) + 1);
            },
          }),
        ],
        leases: { store: leases, owner, ttlMs: 300, renewIntervalMs: 30 },
        metricsIntervalMs: 0,
      });
      runners.push(runner);
      return runner;
    };
    const a = make('a', forA);
    await a.start();
    const b = make('b', inner);
    await b.start();
    await appendMany(store, 10, { streams: 2 });
    await until(async () => (await sink.status('counter')).checkpoint === 9, 'a applies the first 10');
    cutOff = true;
    const last = await appendMany(store, 10, { streams: 2 });
    await until(async () => (await sink.status('counter')).checkpoint === last, 'b applies the rest', 20_000);
    expect(sink.read('counter', 'counts')).toEqual({ 'account-0': 10, 'account-1': 10 });
    expect(appliedBy.a!.length).toBeGreaterThanOrEqual(10);
    expect((await b.status())[0]).toMatchObject({ state: 'running' });
  });
});
