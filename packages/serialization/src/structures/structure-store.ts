/**
 * msgpackr record structures: for each shared record shape, the list of its property names. A
 * record's index in this list is the id its encoded form refers to, so stored bytes can only be
 * decoded with the structures they were written with (or a later version of them: structures are
 * only ever appended).
 */
export type Structures = readonly (readonly string[])[];

/**
 * Where a MessagePack serializer keeps its shared record structures, so that a reopened store can
 * decode the bytes it wrote before. This mirrors msgpackr's `getStructures`/`saveStructures` hooks;
 * a store implements it over its own database (the LMDB store keeps them under one key of its
 * environment, in the same environment as the events).
 *
 * Both methods are synchronous and are called from inside `encode`/`decode` calls:
 * - `load` when the serializer is created, and again whenever a decode meets a record id it does
 *   not know (another process sharing the store may have added structures).
 * - `save` when an encode meets a new shape and there is room for another shared structure
 *   (`maxSharedStructures`). The bytes returned by that encode refer to the new structure, so
 *   `save` must make it durable before it returns, and never after the bytes are committed.
 */
export interface StructureStore {
  /** The stored structures, or undefined when none were saved yet. */
  load(): Structures | undefined;
  /**
   * Replaces the stored structures with `structures` (which extends what was loaded), atomically
   * with a check: read the stored structures, call `isCompatible(stored)`, and when it returns
   * false store nothing and return false (another writer saved in between; the serializer then
   * reloads and encodes again). Return true once saved.
   */
  save(structures: Structures, isCompatible: (stored: Structures | undefined) => boolean): boolean;
}
