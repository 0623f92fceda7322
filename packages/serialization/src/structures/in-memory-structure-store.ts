import { InvalidArgumentError } from '@strata/core';
import type { Structures, StructureStore } from './structure-store.js';
import { copyStructures } from './structures-adapter.js';

/**
 * A {@link StructureStore} that keeps the structures in memory: for tests, for caches and
 * messages that never outlive the process, and for several serializers of one process that must
 * read each other's bytes. Data encoded with it cannot be decoded after a restart unless the
 * structures were persisted elsewhere (see {@link InMemoryStructureStore.load}).
 */
export class InMemoryStructureStore implements StructureStore {
  #stored: Structures | undefined;
  #saves = 0;

  constructor(initial: Structures | undefined) {
    this.#stored = initial === undefined ? undefined : freeze(initial);
  }

  /** The current structures (frozen), or undefined when none were saved. */
  load(): Structures | undefined {
    return this.#stored;
  }

  save(structures: Structures, isCompatible: (stored: Structures | undefined) => boolean): boolean {
    if (!isCompatible(this.#stored)) return false;
    this.#stored = freeze(structures);
    this.#saves++;
    return true;
  }

  /** How many times structures were saved (each save follows an encode that met a new shape). */
  get saves(): number {
    return this.#saves;
  }
}

function freeze(structures: Structures): Structures {
  return Object.freeze(copyStructures(structures, 'structures').map((keys) => Object.freeze(keys)));
}

/**
 * Creates an in-memory {@link StructureStore}, optionally seeded with structures saved earlier.
 * Throws `INVALID_ARGUMENT` when `initial` is not a list of property-name lists.
 */
export function createInMemoryStructureStore(initial?: Structures): InMemoryStructureStore {
  if (initial !== undefined) {
    try {
      copyStructures(initial, 'initial');
    } catch (err) {
      throw new InvalidArgumentError('initial', 'expected an array of property-name arrays', { cause: err });
    }
  }
  return new InMemoryStructureStore(initial);
}
