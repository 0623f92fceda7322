import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelNames, type QueryMessage } from '@strata/core';
import { createReadModelStore, type Collection, type ReadModelStore } from '../src/index.js';

type Item = { id: string; kind: string; color: string; size: number };

describe('optimizer and plan cache', () => {
  let dir: string;
  let store: ReadModelStore;
  let items: Collection<Item>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-query-opt-'));
    store = await createReadModelStore({ path: dir, durability: 'none' });
    items = store.collection<Item>('items', { indexes: ['kind', 'color', 'size'] });
    await store.transact({ projection: 'items', generation: 0 }, 1, (tx) => {
      const c = tx.collection<Item>('items');
      for (let i = 0; i < 3_000; i++) {
        c.put({ id: `i${String(i).padStart(4, '0')}`, kind: i === 0 ? 'rare' : i % 20 === 0 ? 'uncommon' : 'common', color: `c${i % 40}`, size: i % 300 });
      }
    });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('considers index intersection and uses a union of index scans for an or', () => {
    const both = items.explain({ where: { kind: 'uncommon', color: 'c0' } });
    expect(both.alternatives.map((a) => a.plan.access.type)).toEqual(expect.arrayContaining(['fullScan', 'indexScan', 'indexIntersection']));
    const either = items.explain({ where: { or: [{ kind: 'rare' }, { size: 7 }] } }, { execute: true });
    expect(either.chosen.access.type).toBe('indexUnion');
    const actual = either.alternatives.filter((a) => a.actual !== undefined).map((a) => a.actual!.rows);
    expect(new Set(actual)).toEqual(new Set([11]));
    expect(items.find({ where: { or: [{ kind: 'rare' }, { size: 7 }] } }).items).toHaveLength(11);
  });

  it('re-plans a cached plan whose work far exceeds its estimate', () => {
    store.clearPlanCache();
    const first = items.plan({ where: { kind: 'rare' } });
    expect(first.plan.access).toMatchObject({ type: 'indexScan', index: 'kind' });
    const replansBefore = store.planCacheStats().replans;
    // Same shape, other value: the cached index plan now reads most of the collection.
    expect(items.find({ where: { kind: 'common' } }).items.length).toBe(2_850);
    expect(store.planCacheStats().replans).toBe(replansBefore + 1);
    const replanned = items.plan({ where: { kind: 'common' } });
    expect(replanned.cached).toBe(false);
    expect(replanned.plan.access.type).toBe('fullScan');
  });

  it('publishes QueryMessage on the query channel', () => {
    const messages: QueryMessage[] = [];
    const listener = (message: unknown) => messages.push(message as QueryMessage);
    subscribe(ChannelNames.query, listener);
    try {
      items.find({ where: { color: 'c3' }, limit: 2 });
      items.find({ where: { color: 'c4' }, limit: 2 });
    } finally {
      unsubscribe(ChannelNames.query, listener);
    }
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({ collection: 'items', results: 2 });
    expect(messages[1]!.planCacheHit).toBe(true);
  });

  it('refreshes statistics after enough writes and re-plans', async () => {
    const c = store.collection<{ id: string; flag: string }>('drift', { indexes: ['flag'] });
    for (let i = 0; i < 5; i++) await c.put({ id: `d${i}`, flag: 'x' });
    expect(c.plan({ where: { flag: 'x' } }).plan.estimatedRows).toBeLessThanOrEqual(5);
    await store.transact({ projection: 'drift', generation: 0 }, 1, (tx) => {
      for (let i = 5; i < 400; i++) tx.collection('drift').put({ id: `d${i}`, flag: 'x' });
    });
    const after = c.plan({ where: { flag: 'x' } });
    expect(after.cached).toBe(false);
    expect(after.plan.estimatedRows).toBeGreaterThan(300);
  });
});
