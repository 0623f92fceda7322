import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { open } from 'lmdb';
import { openDatabases } from '../storage/databases.js';
import { compileIndex } from '../storage/index-definition.js';
import { buildStatistics, estimateEqual, estimateRange } from './statistics.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-query-stats-'));
const root = open({ path: dir, noSync: true, maxDbs: 4 });
afterAll(async () => {
  await root.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('statistics', () => {
  it('counts distinct prefixes exactly and estimates equality and ranges from the histogram', () => {
    const dbs = openDatabases(root);
    const index = compileIndex({ id: 1, name: 'k_n', fields: ['k', 'n'], unique: false });
    root.transactionSync(() => {
      for (let i = 0; i < 1_000; i++) dbs.index.put([7, 1, i < 500 ? 'hot' : `k${i % 100}`, i, `d${i}`], null);
    });
    const stats = buildStatistics(dbs, 7, 1_000, [index]);
    const indexStats = stats.indexes.get(1)!;
    expect(indexStats.entries).toBe(1_000);
    expect(indexStats.distinctPrefixes).toEqual([101, 1_000]);
    const histogram = stats.fields.get('k')!;
    expect(estimateEqual(histogram, 'hot')).toBe(500);
    expect(estimateEqual(histogram, 'k42')).toBeGreaterThan(1);
    expect(estimateEqual(histogram, 'k42')).toBeLessThan(20);
    const range = estimateRange(histogram, 'k10', 'k19');
    expect(range).toBeGreaterThan(20);
    expect(range).toBeLessThan(200);
  });
});
