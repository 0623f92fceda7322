import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as lmdb from 'lmdb';
import { compareValues } from './value-order.js';

const encode = (lmdb as unknown as { keyValueToBuffer(key: unknown): Buffer }).keyValueToBuffer;
const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.integer(),
  fc.string({ unit: 'grapheme-ascii', minLength: 1 }).filter((s) => !s.includes('\u0000') && s.charCodeAt(0) > 0x1b),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }).filter((s) => !/[\u0000-\u001f]/.test(s)),
);

describe('compareValues', () => {
  it('orders values as lmdb-js orders their index keys', () => {
    fc.assert(
      fc.property(scalar, scalar, (a, b) => {
        const byKey = Math.sign(Buffer.compare(encode([1, 1, a, 'id']), encode([1, 1, b, 'id'])));
        expect(Math.sign(compareValues(a, b))).toBe(byKey);
      }),
      { numRuns: 2_000, seed: 3 },
    );
  });
});
