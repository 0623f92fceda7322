import { describe, expect, it } from 'vitest';
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
