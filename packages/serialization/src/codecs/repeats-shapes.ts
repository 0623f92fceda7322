import { isPlainObject } from '@strata/core';
import { MAX_DEPTH } from './value-check.js';

/**
 * Whether a value holds an array with at least two plain objects (at any depth): the payloads in
 * which records defined inline, whose keys are written once per shape, are smaller than maps,
 * whose keys are written once per object. Stops at the first such array. Runs after the
 * encodability check, which refuses cycles and values nested deeper than {@link MAX_DEPTH}.
 */
export function repeatsShapes(value: unknown): boolean {
  return typeof value === 'object' && value !== null && holdsObjectArray(value, 0);
}

function holdsObjectArray(value: object, depth: number): boolean {
  if (depth >= MAX_DEPTH) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const array = value as unknown[];
    let objects = 0;
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      if (typeof item !== 'object' || item === null) continue;
      if (isPlainObject(item) && ++objects >= 2) return true;
      if (holdsObjectArray(item, depth + 1)) return true;
    }
    return false;
  }
  // Dates and byte arrays hold no objects.
  if (proto !== Object.prototype && proto !== null) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'object' && item !== null && holdsObjectArray(item, depth + 1)) return true;
  }
  return false;
}
