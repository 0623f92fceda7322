import { SerializationError } from '@strata/core';
import { isWellFormed } from '../internal/bytes.js';
import type { StructureStore } from './structure-store.js';

const FORBIDDEN_KEYS = new Set(['__proto__', '__proto_', 'constructor', 'prototype']);

/**
 * A mutable deep copy of structures, checked for shape. msgpackr annotates and extends the arrays
 * it is given, so it never gets the store's own (possibly frozen, possibly shared) arrays. Throws
 * `SERIALIZATION_FAILED` when the value is not a list of property-name lists, or holds a prototype
 * key or a name with a lone surrogate (the encoder refuses both, see value-check.ts; shared shapes
 * never pass through the payload, so their names are checked here).
 */
export function copyStructures(stored: unknown, source: string): string[][] {
  if (!Array.isArray(stored)) {
    throw new SerializationError(`${source}: expected an array of structures`, { details: { reason: 'corrupt' } });
  }
  const copy: string[][] = new Array<string[]>(stored.length);
  for (let i = 0; i < stored.length; i++) {
    const keys: unknown = stored[i];
    if (!Array.isArray(keys)) {
      throw new SerializationError(`${source}: structure ${i} is not an array of property names`, {
        details: { reason: 'corrupt', index: i },
      });
    }
    const names = new Array<string>(keys.length);
    for (let k = 0; k < keys.length; k++) {
      const key: unknown = keys[k];
      if (typeof key !== 'string' || FORBIDDEN_KEYS.has(key) || !isWellFormed(key)) {
        throw new SerializationError(`${source}: structure ${i} holds an invalid property name`, {
          details: { reason: 'corrupt', index: i },
        });
      }
      names[k] = key;
    }
    copy[i] = names;
  }
  return copy;
}

/** The hooks msgpackr's `Packr` takes for shared structures. */
export type PackrStructureHooks = {
  getStructures(): string[][];
  saveStructures(structures: string[][], isCompatible: (stored: unknown) => boolean): boolean;
};

/** Adapts a {@link StructureStore} to msgpackr's `getStructures`/`saveStructures` options. */
export function structureHooks(store: StructureStore): PackrStructureHooks {
  return {
    getStructures: () => {
      const stored = store.load();
      return stored === undefined ? [] : copyStructures(stored, 'stored structures');
    },
    saveStructures: (structures, isCompatible) => {
      // msgpackr hands over its live array, annotated with its own bookkeeping properties. Throwing
      // here fails the encode that met the shape, before its bytes are returned.
      const snapshot = copyStructures(structures, 'new structures');
      const saved = store.save(snapshot, (stored) =>
        isCompatible(stored === undefined ? undefined : copyStructures(stored, 'stored structures')),
      );
      return saved !== false;
    },
  };
}
