import { describe, expect, it } from 'vitest';
import { GeneratedIds, isStoreId, newStoreId } from './generated-ids.js';

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('generated ids', () => {
  it('are RFC 9562 version 8 UUIDs that encode the store and the position', () => {
    const ids = new GeneratedIds(newStoreId());
    for (const position of [0, 1, 4095, 4096, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      const id = ids.idFor(position);
      expect(id).toMatch(UUID_V8);
      expect(ids.positionOf(id)).toBe(position);
    }
    expect(ids.template).toBe(ids.idFor(0));
  });

  it('do not claim ids of other stores or other formats', () => {
    const ids = new GeneratedIds('0123456789abcde');
    const other = new GeneratedIds('0123456789abcdf');
    expect(ids.positionOf(other.idFor(5))).toBeUndefined();
    expect(ids.positionOf(crypto.randomUUID())).toBeUndefined();
    expect(ids.positionOf('my-id')).toBeUndefined();
    expect(ids.positionOf(ids.idFor(5).toUpperCase())).toBeUndefined();
    expect(ids.positionOf(ids.idFor(5).replace(/-8(?=[0-9a-f]{3}-[0-9a-f]{12}$)/, '-9'))).toBeUndefined();
  });

  it('come from random store ids', () => {
    const a = newStoreId();
    expect(isStoreId(a)).toBe(true);
    expect(newStoreId()).not.toBe(a);
    expect(isStoreId('XYZ')).toBe(false);
    expect(() => new GeneratedIds('short')).toThrow(RangeError);
  });
});
