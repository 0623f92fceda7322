import { describe, expect, it } from 'vitest';
import { checkDecoded, checkJsonEncodable, checkMsgpackEncodable, MAX_DEPTH } from './value-check.js';
import { codeOf, outcomeOf } from '../../test/support/errors.js';

class Money {
  amount = 1;
}

function cyclic(): object {
  const value: Record<string, unknown> = { a: 1 };
  value['self'] = value;
  return value;
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { v: value };
  return value;
}

function holey(): unknown[] {
  const array = [1];
  array[2] = 3;
  return array;
}

const protoKey = JSON.parse('{"__proto__": {"polluted": true}}') as object;

const refusedByBoth: [string, unknown][] = [
  ['a function', { f: () => 1 }],
  ['a symbol', { s: Symbol('s') }],
  ['a cycle', cyclic()],
  ['a class instance', { m: new Money() }],
  ['a Map', { m: new Map([[1, 2]]) }],
  ['a Set', { s: new Set([1]) }],
  ['a Float32Array', { f: new Float32Array([1]) }],
  ['a RegExp', { r: /x/ }],
  ['an Error', { e: new Error('x') }],
  ['a boxed string', { s: new String('x') }],
  ['an Array subclass', { a: new (class extends Array {})() }],
  ['a __proto__ key', protoKey],
  ['a constructor key', { constructor: { prototype: { polluted: true } } }],
  ['a prototype key', { nested: { prototype: 1 } }],
  ['nesting deeper than the limit', nested(MAX_DEPTH + 1)],
];

describe('JSON domain', () => {
  it.each([
    ...refusedByBoth,
    ['undefined at the root', undefined],
    ['undefined in an array', [1, undefined]],
    ['a hole in an array', holey()],
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Infinity]],
    ['a bigint', { b: 1n }],
    ['a Date', { d: new Date(0) }],
    ['a Uint8Array', { b: new Uint8Array(1) }],
  ] as [string, unknown][])('refuses %s', (_name, value) => {
    expect(codeOf(() => checkJsonEncodable(value, 'data'))).toBe('SERIALIZATION_FAILED');
  });

  it('accepts JSON values, null-prototype objects and undefined properties', () => {
    const value = { a: [1, 'x', true, null, { b: -2.5 }], c: undefined, d: Object.assign(Object.create(null), { e: 1 }) };
    expect(outcomeOf(() => checkJsonEncodable(value, 'data'))).toBe('ok');
    expect(outcomeOf(() => checkJsonEncodable(nested(MAX_DEPTH - 1), 'data'))).toBe('ok');
  });

  it('names the offending path', () => {
    try {
      checkJsonEncodable({ a: [{ ok: 1 }, { bad: () => 1 }] }, 'data');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'SERIALIZATION_FAILED', details: { path: 'data.a[1].bad' } });
    }
  });
});

describe('MessagePack domain', () => {
  it.each([
    ...refusedByBoth,
    ['a __proto_ key (msgpackr reads __proto__ as __proto_)', { __proto_: 1 }],
    ['a lone surrogate in a string', { s: 'a\ud800' }],
    ['a lone surrogate in a key', { ['k\udc00']: 1 }],
  ] as [string, unknown][])('refuses %s', (_name, value) => {
    expect(codeOf(() => checkMsgpackEncodable(value, 'data'))).toBe('SERIALIZATION_FAILED');
  });

  it('accepts Dates, byte arrays, bigints, undefined and non-finite numbers', () => {
    const value = {
      at: new Date(0),
      bytes: new Uint8Array([1]),
      buffer: Buffer.from([2]),
      big: 2n ** 70n,
      missing: undefined,
      list: [undefined, Number.NaN, -Infinity, '😀'],
    };
    expect(outcomeOf(() => checkMsgpackEncodable(value, 'data'))).toBe('ok');
  });

  it('reports a cycle as a cycle', () => {
    try {
      checkMsgpackEncodable({ wrapper: cyclic() }, 'data');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('a cycle');
    }
  });
});

describe('decoded values', () => {
  it('refuses forbidden keys and foreign object kinds', () => {
    expect(codeOf(() => checkDecoded(protoKey, 'data', 'json'))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => checkDecoded({ a: { constructor: 1 } }, 'data', 'json'))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => checkDecoded({ __proto_: 1 }, 'data', 'msgpack'))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => checkDecoded([new Map()], 'data', 'msgpack'))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => checkDecoded({ d: new Date(0) }, 'data', 'json'))).toBe('SERIALIZATION_FAILED');
  });

  it('accepts what the decoders build', () => {
    expect(outcomeOf(() => checkDecoded({ a: [1, { b: new Date(0), c: Buffer.from([1]) }] }, 'data', 'msgpack'))).toBe('ok');
    expect(outcomeOf(() => checkDecoded({ __proto_: 1 }, 'data', 'json'))).toBe('ok');
  });
});
