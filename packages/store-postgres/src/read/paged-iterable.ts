/** Produces the next page of a read, or `undefined` when the read is over. */
export type PageSource<T> = () => Promise<readonly T[] | undefined>;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * An async iterable over pages, written by hand: an event already fetched costs one resolved
 * promise, where a chain of async generators costs a promise and a suspension per layer. Nothing
 * runs until the first `next()`, so argument errors surface on iteration, as with an async
 * generator. `onEnd` gets the number of items once the read is over.
 */
export function pagedIterable<T>(source: PageSource<T>, onEnd?: (count: number) => void): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => new PagedIterator(source, onEnd) };
}

class PagedIterator<T> implements AsyncIterator<T> {
  readonly #source: PageSource<T>;
  readonly #onEnd: ((count: number) => void) | undefined;
  #page: readonly T[] = [];
  #index = 0;
  #count = 0;
  #done = false;

  constructor(source: PageSource<T>, onEnd: ((count: number) => void) | undefined) {
    this.#source = source;
    this.#onEnd = onEnd;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#index < this.#page.length) {
      this.#count++;
      return Promise.resolve({ value: this.#page[this.#index++]!, done: false });
    }
    if (this.#done) return Promise.resolve(DONE);
    return this.#refill();
  }

  return(): Promise<IteratorResult<T>> {
    this.#done = true;
    this.#page = [];
    return Promise.resolve(DONE);
  }

  async #refill(): Promise<IteratorResult<T>> {
    for (;;) {
      let page: readonly T[] | undefined;
      try {
        page = await this.#source();
      } catch (error) {
        this.#done = true;
        throw error;
      }
      // Stopped by `return()` while the page was on its way.
      if (this.#done) return DONE;
      if (page === undefined) {
        this.#done = true;
        this.#page = [];
        this.#onEnd?.(this.#count);
        return DONE;
      }
      if (page.length > 0) {
        this.#page = page;
        this.#index = 1;
        this.#count++;
        return { value: page[0]!, done: false };
      }
    }
  }
}
