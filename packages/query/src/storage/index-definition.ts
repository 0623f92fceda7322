import type { Key } from 'lmdb';
import { InvalidArgumentError } from '@strata/core';
import { fieldPath, isScalar, readField } from '../document/value-order.js';
import type { StorageId } from './databases.js';

/**
 * A secondary index as the caller declares it: one field, or several (compound), optionally
 * unique. A `covering` index (non-unique only) also stores each document in its entries, so range
 * scans read no document separately, at the price of writing every document once more.
 */
export type IndexSpec = string | { name?: string; fields: readonly string[]; unique?: boolean; covering?: boolean };

/** A secondary index as stored in the catalog. */
export type IndexDefinition = {
  /** Number used in index keys; never reused within a collection, so a dropped index leaves no stale keys behind. */
  readonly id: number;
  readonly name: string;
  readonly fields: readonly string[];
  readonly unique: boolean;
  /** Entries hold the document (see {@link IndexSpec}). */
  readonly covering?: boolean;
};

/** An index definition with what reads and writes need precomputed. */
export type CompiledIndex = IndexDefinition & { readonly paths: readonly (readonly string[] | undefined)[] };

/** Adds precomputed field paths to a definition. */
export function compileIndex(definition: IndexDefinition): CompiledIndex {
  return Object.freeze({ ...definition, paths: Object.freeze(definition.fields.map(fieldPath)) });
}

/** Validates an index spec and resolves its name (default: the fields joined by `_`). */
export function normalizeIndexSpec(spec: unknown, at: string): { name: string; fields: string[]; unique: boolean; covering: boolean } {
  const raw = typeof spec === 'string' ? { fields: [spec] } : spec;
  if (raw === null || typeof raw !== 'object') throw new InvalidArgumentError(at, 'must be a field name or { fields, unique?, name? }');
  const { name, fields, unique, covering } = raw as { name?: unknown; fields?: unknown; unique?: unknown; covering?: unknown };
  if (!Array.isArray(fields) || fields.length === 0 || fields.length > 8)
    throw new InvalidArgumentError(`${at}.fields`, 'must list 1 to 8 field names');
  fields.forEach((field, i) => {
    if (typeof field !== 'string' || field.length === 0 || field === 'id')
      throw new InvalidArgumentError(`${at}.fields[${i}]`, 'must be a non-empty field name other than id');
  });
  if (new Set(fields).size !== fields.length) throw new InvalidArgumentError(`${at}.fields`, 'must not repeat a field');
  if (unique !== undefined && typeof unique !== 'boolean') throw new InvalidArgumentError(`${at}.unique`, 'must be a boolean');
  if (covering !== undefined && typeof covering !== 'boolean') throw new InvalidArgumentError(`${at}.covering`, 'must be a boolean');
  if (covering === true && unique === true) throw new InvalidArgumentError(`${at}.covering`, 'is supported on non-unique indexes only');
  if (name !== undefined && (typeof name !== 'string' || name.length === 0 || name.length > 200))
    throw new InvalidArgumentError(`${at}.name`, 'must be a non-empty string of at most 200 characters');
  return {
    name: (name as string | undefined) ?? (fields as string[]).join('_'),
    fields: fields as string[],
    unique: unique === true,
    covering: covering === true,
  };
}

/** The values an index holds for a document: missing fields as `null`. Objects and arrays cannot be indexed. */
export function indexValues(index: CompiledIndex, doc: unknown, collection: string): unknown[] {
  const values = new Array<unknown>(index.fields.length);
  for (let i = 0; i < index.fields.length; i++) {
    const value = readField(doc, index.fields[i]!, index.paths[i]) ?? null;
    if (!isScalar(value))
      throw new InvalidArgumentError(
        `document.${index.fields[i]!}`,
        `indexed by '${index.name}' of collection '${collection}': must be a string, finite number, boolean or null`,
      );
    values[i] = value;
  }
  return values;
}

/** The key of a document's entry in an index. */
export function entryKey(sid: StorageId, index: CompiledIndex, values: readonly unknown[], id: string): Key[] {
  return (index.unique ? [sid, index.id, ...values] : [sid, index.id, ...values, id]) as Key[];
}

/** True when two value lists are the same key. */
export function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
