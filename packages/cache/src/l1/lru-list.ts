/** A node of an intrusive doubly linked list. */
export type ListNode = { prev: ListNode | null; next: ListNode | null };

/**
 * An intrusive doubly linked list ordered from least to most recently used: O(1) push, removal and
 * move, no allocation (the nodes are the entries themselves).
 */
export class LruList<N extends ListNode> {
  #head: N | null = null;
  #tail: N | null = null;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** The least recently used node. */
  get lru(): N | null {
    return this.#head;
  }

  /** Appends `node` as the most recently used. */
  push(node: N): void {
    node.prev = this.#tail;
    node.next = null;
    if (this.#tail === null) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
    this.#length++;
  }

  /** Unlinks `node`, which must be in this list. */
  remove(node: N): void {
    const { prev, next } = node;
    if (prev === null) this.#head = next as N | null;
    else prev.next = next;
    if (next === null) this.#tail = prev as N | null;
    else next.prev = prev;
    node.prev = null;
    node.next = null;
    this.#length--;
  }

  /** Marks `node`, which must be in this list, as the most recently used. */
  touch(node: N): void {
    if (node === this.#tail) return;
    this.remove(node);
    this.push(node);
  }

  /** Forgets every node. */
  clear(): void {
    this.#head = null;
    this.#tail = null;
    this.#length = 0;
  }
}
