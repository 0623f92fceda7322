/** Views kept per buffer position; past it the cache starts over (values come in few sizes). */
const MAX_VIEWS = 1_024;

/**
 * Reusable `Uint8Array` views into the buffer lmdb-js reads values into.
 *
 * lmdb-js copies a small value into one reusable buffer, so the value part of every L2 entry
 * starts at the same place of the same memory; only its length varies. Creating a view per read
 * costs an allocation, and msgpackr then creates (and caches on the view) a `DataView` for every new
 * source object: together they cost as much as decoding a small value. Keeping one view per length
 * makes both one-time costs. A view is as short-lived as the buffer it looks into: valid until the
 * next L2 read on this thread.
 */
export class ViewCache {
  #buffer: ArrayBufferLike | undefined;
  #start = -1;
  readonly #views = new Map<number, Uint8Array>();

  /** A view of `bytes` from `offset` to its (lmdb-js-reported) length. */
  view(bytes: Buffer, offset: number): Uint8Array {
    const start = bytes.byteOffset + offset;
    const length = bytes.length - offset;
    if (bytes.buffer !== this.#buffer || start !== this.#start) {
      this.#buffer = bytes.buffer;
      this.#start = start;
      this.#views.clear();
    }
    let view = this.#views.get(length);
    if (view === undefined) {
      if (this.#views.size >= MAX_VIEWS) this.#views.clear();
      view = new Uint8Array(bytes.buffer, start, length);
      this.#views.set(length, view);
    }
    return view;
  }
}
