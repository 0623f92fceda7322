import { describe, expect, it } from 'vitest';
import { normalizeQuery } from './normalize-query.js';

const schema = { collection: 'c', fields: undefined };

describe('normalizeQuery', () => {
  it('gives queries that differ only in literals the same shape', () => {
    const a = normalizeQuery({ where: { owner: 'a', n: { gt: 1, lt: 5 }, or: [{ x: 1 }, { y: { in: [1, 2] } }] }, limit: 3 }, schema);
    const b = normalizeQuery({ where: { owner: 'b', n: { gt: 7, lt: 9 }, or: [{ x: 2 }, { y: { in: [3] } }] }, limit: 50 }, schema);
    expect(a.tokens).toEqual(b.tokens);
    expect(a.hash).toBe(b.hash);
    expect(b.params).toEqual(['b', 7, 9, 2, [3]]);
  });

  it('gives other structures, orders and operators other shapes', () => {
    const base = normalizeQuery({ where: { owner: 'a' } }, schema).hash;
    expect(normalizeQuery({ where: { owner: { ne: 'a' } } }, schema).hash).not.toBe(base);
    expect(normalizeQuery({ where: { owner: 'a' }, orderBy: 'n' }, schema).hash).not.toBe(base);
    expect(normalizeQuery({ where: { owner: 'a' }, limit: 1 }, schema).hash).not.toBe(base);
    expect(normalizeQuery({ where: { other: 'a' } }, schema).hash).not.toBe(base);
  });
});
