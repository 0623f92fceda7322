/**
 * Which keys carry each tag, for invalidation by tag without scanning every entry. Only tagged
 * entries pay for it (on set, delete and eviction).
 */
export class TagIndex {
  readonly #keysByTag = new Map<string, Set<string>>();

  /** Records that `key` carries `tags`. */
  add(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      let keys = this.#keysByTag.get(tag);
      if (keys === undefined) {
        keys = new Set();
        this.#keysByTag.set(tag, keys);
      }
      keys.add(key);
    }
  }

  /** Forgets that `key` carries `tags`. */
  remove(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.#keysByTag.get(tag);
      if (keys === undefined) continue;
      keys.delete(key);
      if (keys.size === 0) this.#keysByTag.delete(tag);
    }
  }

  /** A snapshot of the keys carrying `tag`. */
  keysOf(tag: string): string[] {
    const keys = this.#keysByTag.get(tag);
    return keys === undefined ? [] : [...keys];
  }

  clear(): void {
    this.#keysByTag.clear();
  }
}
