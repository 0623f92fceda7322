import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabases, type Databases } from '../storage/databases.js';
import { compareStrings } from '../document/value-order.js';
import { DocumentFetch } from './document-fetch.js';

const SID = 7;
const STORED = 2_000;

/** Ids with gaps of every size: `d00000`, then every id whose number is not a multiple of 5 or 7. */
const storedIds = Array.from({ length: STORED * 2 }, (_, i) => `d${String(i).padStart(5, '0')}`).filter((_, i) => i % 5 !== 0 && i % 7 !== 0);
const stored = new Set(storedIds);

describe('DocumentFetch', () => {
  let dir: string;
  let root: RootDatabase;
  let dbs: Databases;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-document-fetch-'));
    root = open({ path: dir, maxDbs: 8, noSync: true });
    dbs = openDatabases(root);
    await root.transaction(() => {
      for (const id of storedIds) void dbs.docs.put([SID, id], { id, n: Number(id.slice(1)) });
      // Neighbouring storages on both sides: a walk never leaves its own.
      void dbs.docs.put([SID - 1, 'd99999'], { id: 'd99999', n: -1 });
      void dbs.docs.put([SID + 1, 'd00000'], { id: 'd00000', n: -2 });
    });
  });

  afterAll(async () => {
    await root.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Fetches `ids` (ascending) and returns what was found, in order, and the documents read. */
  function fetchAll(ids: readonly string[], ascending = true): { found: (string | undefined)[]; reads: number; walked: number } {
    const fetch = new DocumentFetch(dbs, SID, ascending);
    const found = ids.map((id, i) => fetch.get(id, ids.length - i)?.['id'] as string | undefined);
    fetch.close();
    return { found, reads: fetch.reads, walked: fetch.walked };
  }

  it('walks a run of neighbouring ids, reading each document about once', () => {
    const ids = storedIds.slice(100, 400);
    const { found, reads, walked } = fetchAll(ids);
    expect(found).toEqual(ids);
    expect(reads).toBeLessThanOrEqual(ids.length + 1);
    expect(walked).toBe(ids.length - 1);
  });

  it('steps over documents it does not want, and misses ids that are not stored', () => {
    // Every id in a stretch, stored or not: gaps of one and two missing ids between stored ones.
    const ids = Array.from({ length: 300 }, (_, i) => `d${String(1000 + i).padStart(5, '0')}`);
    const { found } = fetchAll(ids);
    expect(found).toEqual(ids.map((id) => (stored.has(id) ? id : undefined)));
    // Every 4th stored id only: the walk steps over 3 documents each time.
    const sparse = storedIds.filter((_, i) => i % 4 === 0).slice(0, 200);
    const walked = fetchAll(sparse);
    expect(walked.found).toEqual(sparse);
    expect(walked.reads).toBeLessThanOrEqual(sparse.length * 4 + 1);
  });

  it('looks up ids scattered over the collection, giving up walks that do not pay off', () => {
    const ids = storedIds.filter((_, i) => i % 37 === 0);
    const { found, reads } = fetchAll(ids);
    expect(found).toEqual(ids);
    // One abandoned walk (its first document and 3 steps), then a lookup per id.
    expect(reads).toBeLessThanOrEqual(ids.length + 4);
  });

  it('looks up a few ids without starting a walk', () => {
    const ids = storedIds.slice(0, 7);
    const { found, reads, walked } = fetchAll(ids);
    expect(found).toEqual(ids);
    expect(reads).toBe(ids.length);
    expect(walked).toBe(0);
  });

  it('finds nothing outside its storage and past the last document', () => {
    const { found } = fetchAll(['d00000', storedIds[storedIds.length - 1] as string, 'd99999', 'e']);
    expect(found).toEqual([undefined, storedIds[storedIds.length - 1], undefined, undefined]);
  });

  it('agrees with a lookup per id for any ascending ids', () => {
    const anyId = fc.integer({ min: 0, max: STORED * 2 + 10 }).map((n) => `d${String(n).padStart(5, '0')}`);
    fc.assert(
      fc.property(fc.uniqueArray(anyId, { maxLength: 120 }), (picked) => {
        const ids = [...picked].sort(compareStrings);
        expect(fetchAll(ids).found).toEqual(ids.map((id) => (stored.has(id) ? id : undefined)));
      }),
      { numRuns: 200 },
    );
  });

  it('walks backward through descending ids, and forward again after they turn', () => {
    const down = storedIds.slice(500, 700).reverse();
    const walked = fetchAll(down, false);
    expect(walked.found).toEqual(down);
    // The first id is looked up (no direction yet), then one walk reads each document about once.
    expect(walked.reads).toBeLessThanOrEqual(down.length + 2);
    expect(walked.walked).toBe(down.length - 2);
    const turning = [...storedIds.slice(800, 850), ...storedIds.slice(800, 850).reverse(), ...storedIds.slice(900, 950)];
    expect(fetchAll(turning, false).found).toEqual(turning);
  });

  it('agrees with a lookup per id for ids in any order', () => {
    const anyId = fc.integer({ min: 0, max: STORED * 2 + 10 }).map((n) => `d${String(n).padStart(5, '0')}`);
    const run = fc.tuple(anyId, fc.integer({ min: 1, max: 30 }), fc.boolean(), fc.integer({ min: 1, max: 3 })).map(([from, length, down, stride]) => {
      const start = Number(from.slice(1));
      return Array.from({ length }, (_, i) => `d${String(Math.max(0, start + (down ? -i : i) * stride)).padStart(5, '0')}`);
    });
    fc.assert(
      fc.property(fc.array(run, { maxLength: 6 }), (runs) => {
        const ids = runs.flat();
        expect(fetchAll(ids, false).found).toEqual(ids.map((id) => (stored.has(id) ? id : undefined)));
      }),
      { numRuns: 200 },
    );
  });

  it('can stop early and be closed more than once', () => {
    const fetch = new DocumentFetch(dbs, SID, true);
    expect(fetch.get(storedIds[0] as string, 10)?.['id']).toBe(storedIds[0]);
    fetch.close();
    fetch.close();
    expect(dbs.docs.get([SID, storedIds[1] as string])).toEqual({ id: storedIds[1], n: Number((storedIds[1] as string).slice(1)) });
  });
});
