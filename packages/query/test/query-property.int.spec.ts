import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createReadModelStore, type Collection, type ReadModelStore, type Where } from '../src/index.js';

type Doc = { id: string; a?: number | null; b?: string; c: number; u: number };

const rank = (v: unknown): number => (v === null || v === undefined ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 3 : 4);
function cmp(x: unknown, y: unknown): number {
  const d = rank(x) - rank(y);
  if (d !== 0) return d;
  if (typeof x === 'number') return x - (y as number);
  if (typeof x === 'string') return x < (y as string) ? -1 : x > (y as string) ? 1 : 0;
  return 0;
}
function matches(doc: Doc, where: Where): boolean {
  return Object.entries(where).every(([key, cond]) => {
    if (key === 'and') return (cond as Where[]).every((w) => matches(doc, w));
    if (key === 'or') return (cond as Where[]).some((w) => matches(doc, w));
    if (key === 'not') return !matches(doc, cond as Where);
    const value = (doc as Record<string, unknown>)[key];
    const eq = (lit: unknown) => (lit === null ? value === null || value === undefined : value === lit);
    if (cond === null || typeof cond !== 'object') return eq(cond);
    return Object.entries(cond).every(([op, lit]) => {
      const same = typeof value === typeof lit;
      switch (op) {
        case 'eq': return eq(lit);
        case 'ne': return !eq(lit);
        case 'in': return (lit as unknown[]).some(eq);
        case 'prefix': return typeof value === 'string' && value.startsWith(lit as string);
        case 'gt': return same && cmp(value, lit) > 0;
        case 'gte': return same && cmp(value, lit) >= 0;
        case 'lt': return same && cmp(value, lit) < 0;
        case 'lte': return same && cmp(value, lit) <= 0;
      }
      return false;
    });
  });
}

const aValue = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(null));
const bValue = fc.constantFrom('ab', 'abc', 'b', 'ba', 'c', '');
const cValue = fc.integer({ min: -5, max: 40 });
const uValue = fc.integer({ min: 0, max: 950 });
const cond = fc.oneof(
  fc.record({ f: fc.constant('a'), w: fc.oneof(aValue, fc.record({ in: fc.array(aValue, { maxLength: 3 }) }), fc.record({ ne: aValue }), fc.record({ gte: fc.integer({ min: 0, max: 6 }), lt: fc.integer({ min: 0, max: 7 }) })) }),
  fc.record({ f: fc.constant('b'), w: fc.oneof(bValue, fc.record({ prefix: fc.constantFrom('a', 'ab', 'b', '') }), fc.record({ gt: bValue })) }),
  fc.record({ f: fc.constant('c'), w: fc.oneof(cValue, fc.record({ gt: cValue }), fc.record({ lte: cValue }), fc.record({ gte: cValue, lte: cValue })) }),
  fc.record({ f: fc.constant('u'), w: fc.oneof(uValue, fc.record({ in: fc.array(uValue, { maxLength: 4 }) }), fc.record({ gte: uValue, lt: uValue }), fc.record({ gt: uValue })) }),
).map(({ f, w }) => ({ [f]: w }) as Where);
const where: fc.Arbitrary<Where> = fc.oneof(
  cond,
  fc.tuple(cond, cond).map(([x, y]) => ({ ...y, ...x })),
  fc.array(cond, { minLength: 1, maxLength: 3 }).map((items) => ({ or: items })),
  fc.tuple(cond, fc.array(cond, { minLength: 1, maxLength: 2 })).map(([x, items]) => ({ and: [x, { or: items }] })),
  cond.map((w) => ({ not: w })),
);
const orderBy = fc.oneof(
  fc.constant(undefined),
  fc.record({ field: fc.constantFrom('a', 'b', 'c', 'u'), direction: fc.constantFrom('asc' as const, 'desc' as const) }),
);

describe('queries agree with brute force', () => {
  let dir: string;
  let store: ReadModelStore;
  let docs: Doc[];
  let collection: Collection<Doc>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-query-prop-'));
    store = await createReadModelStore({ path: dir, durability: 'none' });
    collection = store.collection<Doc>('docs', { indexes: ['a', 'b', { fields: ['a', 'c'] }, { fields: ['c'], covering: true }, { fields: ['u'], unique: true }] });
    docs = fc.sample(fc.record({ a: fc.option(aValue, { nil: undefined }), b: fc.option(bValue, { nil: undefined }), c: cValue }), { numRuns: 300, seed: 7 })
      .map((d, i) => {
        const doc: Doc = { id: `d${String(i).padStart(3, '0')}`, c: d.c, u: (i * 7) % 953 };
        if (d.a !== undefined) doc.a = d.a;
        if (d.b !== undefined) doc.b = d.b;
        return doc;
      });
    await store.transact({ projection: 'docs', generation: 0 }, 1, (tx) => docs.forEach((d) => tx.collection<Doc>('docs').put(d)));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('find, pagination and count', () => {
    fc.assert(
      fc.property(where, orderBy, fc.integer({ min: 1, max: 40 }), (w, order, limit) => {
        const expected = docs.filter((d) => matches(d, w));
        const desc = order?.direction === 'desc';
        expected.sort((x, y) => {
          const byField = order === undefined ? 0 : cmp((x as Record<string, unknown>)[order.field] ?? null, (y as Record<string, unknown>)[order.field] ?? null);
          const c = byField !== 0 ? byField : x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
          return desc ? -c : c;
        });
        expect(collection.count(w)).toBe(expected.length);
        expect(collection.find({ where: w, ...(order ? { orderBy: order } : {}) }).items.map((d) => d.id)).toEqual(expected.map((d) => d.id));
        const paged: string[] = [];
        let after: string | undefined;
        for (let page = 0; page < 400; page++) {
          const result = collection.find({ where: w, ...(order ? { orderBy: order } : {}), limit, ...(after ? { after } : {}) });
          paged.push(...result.items.map((d) => d.id));
          after = result.cursor;
          if (after === undefined) break;
        }
        expect(paged).toEqual(expected.map((d) => d.id));
      }),
      { numRuns: 150, seed: 42 },
    );
  });
});
