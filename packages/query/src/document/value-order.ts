/**
 * The total order of indexable values, the same order lmdb-js's ordered-binary key encoding gives
 * index keys: `null` (and missing) < `false` < `true` < numbers < strings (by code point). Sorting in
 * memory and scanning an index must agree, or keyset pagination would skip or repeat rows.
 */
export type Scalar = string | number | boolean | null;

function rank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case 'boolean':
      return value ? 2 : 1;
    case 'number':
      return 3;
    case 'string':
      return 4;
    default:
      return 5;
  }
}

/** Compares strings by code point (UTF-8 byte order), which differs from `<` for surrogate pairs. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // A surrogate (astral code point) sorts above every BMP code unit at or above U+E000.
      const xs = x < 0xe000 ? 1 : 0;
      const ys = y < 0xe000 ? 1 : 0;
      if (xs !== ys) return xs - ys;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Compares two indexable values in index order. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 3) return (a as number) - (b as number);
  if (ra === 4) return compareStrings(a as string, b as string);
  return 0;
}

/** True for the values an index can hold. */
export function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** Reads a field by name; a dotted name walks nested objects. Missing is `undefined`. */
export function readField(doc: unknown, field: string, path: readonly string[] | undefined): unknown {
  if (path === undefined) return (doc as Record<string, unknown>)[field];
  let current: unknown = doc;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The path of a dotted field name, or `undefined` for a plain one. */
export function fieldPath(field: string): readonly string[] | undefined {
  return field.includes('.') ? field.split('.') : undefined;
}
