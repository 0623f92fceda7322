import type { BatchResults } from '../../src/index.js';

type Call<TItem, TResult> = {
  items: TItem[];
  resolve: (results: BatchResults<TResult>) => void;
  reject: (error: unknown) => void;
  settled: boolean;
};

/**
 * An `execute` whose batches stay in flight until the test completes them, so a test decides
 * exactly when capacity frees up. Each item's result comes from `compute`.
 */
export class ControlledSink<TItem, TResult> {
  readonly #calls: Call<TItem, TResult>[] = [];
  readonly #compute: (item: TItem) => TResult | Error;

  constructor(compute: (item: TItem) => TResult | Error) {
    this.#compute = compute;
  }

  /** Pass as the batcher's `execute`. */
  readonly execute = (items: readonly TItem[]): Promise<BatchResults<TResult>> =>
    new Promise((resolve, reject) => this.#calls.push({ items: [...items], resolve, reject, settled: false }));

  /** The items of every batch executed so far, in call order. */
  get batches(): TItem[][] {
    return this.#calls.map((call) => call.items);
  }

  /** Batches executing (called and not yet completed). */
  get inFlight(): number {
    return this.#calls.filter((call) => !call.settled).length;
  }

  /** Completes the oldest executing batch with computed results. */
  complete(): void {
    const call = this.#next();
    call.resolve(call.items.map(this.#compute));
  }

  /** Fails the oldest executing batch as a whole. */
  fail(error: unknown): void {
    this.#next().reject(error);
  }

  #next(): Call<TItem, TResult> {
    const call = this.#calls.find((candidate) => !candidate.settled);
    if (call === undefined) throw new Error('no batch in flight');
    call.settled = true;
    return call;
  }
}
