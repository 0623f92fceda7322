import { META_KEYS, type Databases } from '../layout/databases.js';
import { decodeNumber } from '../layout/number-value.js';
import { readCounter } from '../layout/meta-counter.js';

/**
 * The first visible version of every stream that was ever deleted, for filtering the global log.
 * Deletes are rare, so the map is cached and reloaded only when the `deletes` counter of the
 * committed state has moved (any process bumps it with each delete): readers check it once per
 * page, and the common case of a store without deletes costs one branch per event.
 */
export class HiddenStreams {
  readonly #dbs: Databases;
  #generation = -1;
  #visibleFrom: Map<string, number> | undefined;

  constructor(dbs: Databases) {
    this.#dbs = dbs;
  }

  /** Stream id → first visible version, or `undefined` when no stream has hidden events. */
  current(): ReadonlyMap<string, number> | undefined {
    const generation = readCounter(this.#dbs, META_KEYS.deletes);
    if (generation !== this.#generation) {
      const map = new Map<string, number>();
      for (const { key, value } of this.#dbs.deleted.getRange({})) {
        const visibleFrom = decodeNumber(value);
        if (visibleFrom > 0) map.set(key, visibleFrom);
      }
      this.#visibleFrom = map.size === 0 ? undefined : map;
      this.#generation = generation;
    }
    return this.#visibleFrom;
  }
}
