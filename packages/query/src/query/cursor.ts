import { InvalidArgumentError } from '@strata/core';
import { compareStrings, compareValues, isScalar, readField } from '../document/value-order.js';
import type { SortKey } from './predicate-tree.js';

/** The position of a row in a result order: its sort values, then its id. */
export type SortPosition = { readonly values: readonly unknown[]; readonly id: string };

/** The sort values of a document, missing fields as `null` (as indexes store them). */
export function sortValues(doc: unknown, orderBy: readonly SortKey[]): unknown[] {
  return orderBy.map((key) => readField(doc, key.field, key.path) ?? null);
}

/**
 * Compares two positions in the query's order; the id breaks ties in the direction of the last key
 * (ascending without keys), as a reverse index scan delivers them.
 */
export function comparePositions(a: SortPosition, b: SortPosition, orderBy: readonly SortKey[]): number {
  for (let i = 0; i < orderBy.length; i++) {
    const c = compareValues(a.values[i], b.values[i]);
    if (c !== 0) return orderBy[i]!.desc ? -c : c;
  }
  const c = compareStrings(a.id, b.id);
  return orderBy.length > 0 && orderBy[orderBy.length - 1]!.desc ? -c : c;
}

/** An opaque cursor for the row at `position`. */
export function encodeCursor(position: SortPosition): string {
  return Buffer.from(JSON.stringify([...position.values, position.id]), 'utf8').toString('base64url');
}

/** Decodes a cursor of a query with `orderBy`; a cursor of another order or a mangled one is `INVALID_ARGUMENT`. */
export function decodeCursor(cursor: string, orderBy: readonly SortKey[]): SortPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new InvalidArgumentError('after', 'is not a cursor returned by find()', { cause: error });
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== orderBy.length + 1 ||
    typeof parsed[parsed.length - 1] !== 'string' ||
    !parsed.every(isScalar)
  ) {
    throw new InvalidArgumentError('after', 'is not a cursor of a query with this orderBy');
  }
  return { values: parsed.slice(0, -1), id: parsed[parsed.length - 1] as string };
}
