import fc from 'fast-check';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * True when `value` holds a key the serializers refuse (fast-check may generate one). `__proto_`
 * is refused only by MessagePack, whose decoder reads a stored `__proto__` key as `__proto_`.
 */
export function hasForbiddenKey(value: unknown, msgpack = true): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => hasForbiddenKey(item, msgpack));
  if (ArrayBuffer.isView(value) || value instanceof Date) return false;
  return Object.keys(value).some(
    (key) => FORBIDDEN_KEYS.has(key) || (msgpack && key === '__proto_') || hasForbiddenKey((value as Record<string, unknown>)[key], msgpack),
  );
}

/** -0 becomes 0: neither JSON nor MessagePack keeps the sign of zero (documented). */
function withoutNegativeZero(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** JSON values, full Unicode strings included. */
export const jsonValue: fc.Arbitrary<unknown> = fc.jsonValue().map(withoutNegativeZero);

const msgpackLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.double().map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.integer(),
  fc.bigInt(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
  fc.uint8Array({ maxLength: 32 }),
);

/** What MessagePack carries beyond JSON: bigints, Dates, bytes, undefined, NaN and ±Infinity. */
export const msgpackValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, msgpackLeaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), tie('value'), { maxKeys: 5 }),
})).value;

/** Plain-object metadata. */
export const metadataValue: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.string({ maxLength: 10 }),
  fc.oneof(fc.string(), fc.integer(), fc.boolean()),
  { maxKeys: 4 },
);

/** Data matching the sample protobuf schema (formats.ts), every field set. */
export const moneyDeposited = fc.record({
  accountId: fc.string({ unit: 'binary' }),
  amount: fc.double(),
  currency: fc.string(),
  approved: fc.boolean(),
  tags: fc.array(fc.string(), { maxLength: 4 }),
});

/** Names for record headers: non-empty, well-formed UTF-16. */
export const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
