import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import { createInMemoryStructureStore } from '../structures/in-memory-structure-store.js';
import { createSerializer } from '../serializer/create-serializer.js';
import { MSGPACKR_NATIVE_STRING_LENGTH } from './value-check.js';
import { codeOf } from '../../test/support/errors.js';

const lone = '\ud834';
const long = 'x'.repeat(MSGPACKR_NATIVE_STRING_LENGTH);

describe('MessagePack strings', () => {
  for (const [name, structures] of [
    ['self-describing', undefined],
    ['shared structures', createInMemoryStructureStore()],
  ] as const) {
    describe(name, () => {
      const serializer = createSerializer({ format: 'msgpack', ...(structures ? { structures } : {}) });

      it.each([
        ['a short string', { s: `a${lone}` }],
        ['a long string', { s: `${long}${lone}` }],
        ['a string in an array', [1, `${lone}b`]],
        ['a short key', { [`k${lone}`]: 1 }],
        ['a long key', { [`${long}${lone}`]: 1 }],
        ['a nested key of a new shape', { outer: { [`${lone}x`]: true } }],
        ['a metadata value', undefined],
      ])('refuses a lone surrogate in %s', (_what, data) => {
        const event = data === undefined ? { type: 'T', data: 1, metadata: { m: `${lone}` } } : { type: 'T', data };
        expect(codeOf(() => serializer.encodeEvent(event))).toBe('SERIALIZATION_FAILED');
        if (data !== undefined) expect(codeOf(() => serializer.encodeValue(data))).toBe('SERIALIZATION_FAILED');
      });

      it('keeps well-formed surrogate pairs and data whose bytes look like one', () => {
        const data = { emoji: '😀 music 𝄞', bytes: new Uint8Array([0xed, 0xa0, 0x80, 0xed, 0xbf]), n: -1.2e-300 };
        const decoded = serializer.decodeEvent(serializer.encodeEvent({ type: 'T', data })).data as typeof data;
        expect(decoded.emoji).toBe(data.emoji);
        expect([...decoded.bytes]).toEqual([...data.bytes]);
        expect(decoded.n).toBe(data.n);
      });

      it('stays usable after refusing a value', () => {
        expect(codeOf(() => serializer.encodeEvent({ type: 'T', data: { [`k${lone}`]: 1 } }))).toBe('SERIALIZATION_FAILED');
        const bytes = serializer.encodeEvent({ type: 'T', data: { k: 1 } });
        expect(serializer.decodeEvent(bytes).data).toEqual({ k: 1 });
      });
    });
  }
});

describe('self-describing MessagePack payloads', () => {
  const serializer = createSerializer({ format: 'msgpack' });
  const endsWith = (bytes: Uint8Array, tail: Uint8Array): boolean =>
    bytes.length >= tail.length && Buffer.from(bytes.subarray(bytes.length - tail.length)).equals(Buffer.from(tail));
  const maps = new Packr({ useRecords: false });
  const inlineRecords = (): Packr => new Packr({ useRecords: true });

  it.each([
    ['a flat object', { amount: 1, currency: 'EUR' }],
    ['nested objects', { from: { x: 1, y: 2 }, to: { x: 3, y: 4 } }],
    ['an array with one object', { lines: [{ sku: 'a' }], tags: ['t', 'u'] }],
  ])('writes %s as maps', (_what, value) => {
    expect(endsWith(serializer.encodeValue(value), maps.pack(value))).toBe(true);
  });

  it.each([
    ['an array of objects', { lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }] }],
    ['an array of objects deeper down', { order: { lines: [[{ sku: 'a' }, { sku: 'b' }]] } }],
  ])('writes %s as records defined inline, each shape once', (_what, value) => {
    const bytes = serializer.encodeValue(value);
    expect(endsWith(bytes, inlineRecords().pack(value))).toBe(true);
    expect(serializer.decodeValue(bytes)).toEqual(value);
  });

  it('is smaller with records when many objects share a shape', () => {
    const value = { lines: Array.from({ length: 20 }, (_, i) => ({ sku: `sku-${i}`, quantity: i, unitPrice: 9.5 })) };
    expect(serializer.encodeValue(value).length).toBeLessThan(maps.pack(value).length * 0.7);
  });

  it('decides per event, looking at data and metadata but not at the pair that holds them', () => {
    const flat = serializer.encodeEvent({ type: 'T', data: { a: 1 }, metadata: { b: 'c' } });
    expect(endsWith(flat, maps.pack([{ a: 1 }, { b: 'c' }]))).toBe(true);
    const repeated = { items: [{ a: 1 }, { a: 2 }] };
    const withRecords = serializer.encodeEvent({ type: 'T', data: { a: 1 }, metadata: repeated });
    expect(endsWith(withRecords, inlineRecords().pack([{ a: 1 }, repeated]))).toBe(true);
    expect(serializer.decodeEvent(withRecords)).toMatchObject({ data: { a: 1 }, metadata: repeated });
  });

  it('reads payloads written as inline records throughout, as earlier versions wrote them', () => {
    const value = { amount: 1, nested: { currency: 'EUR', at: new Date(5) }, tags: ['a'] };
    const envelope = serializer.encodeValue(value);
    const payload = inlineRecords().pack(value);
    const header = envelope.subarray(0, envelope.length - maps.pack(value).length);
    const earlier = Buffer.concat([header, payload]);
    expect(serializer.decodeValue(earlier)).toEqual(value);
  });
});
