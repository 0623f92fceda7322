import type { RecordedEvent } from '../events/event-data.js';
import type { SubscribeOptions } from '../store/event-store.js';
import type { Subscription } from '../store/subscription.js';
import { InvalidArgumentError, StoreClosedError } from '../errors/errors.js';

/** One page read by a subscription. */
export type SubscriptionPage = {
  /** Matching events at or after the requested cursor, in position order. */
  events: readonly RecordedEvent[];
  /** Where the next page starts (one past the last position scanned, matching or not). */
  next: number;
};

/**
 * What a store gives {@link startCatchUpSubscription}: paged reads of the log from a position
 * (already filtered) and a wake-up on commit. Reading always goes through the log, so the switch
 * from catch-up to live cannot skip or repeat an event: live delivery is catch-up that waits.
 */
export interface SubscriptionSource {
  /** Reads up to `max` matching events at positions >= `from`. */
  readPage(from: number, max: number): Promise<SubscriptionPage>;
  /** One past the last committed position (where `'end'` starts). */
  endPosition(): Promise<number>;
  /** Registers a wake-up called after each commit; returns the unregister function. */
  onCommit(listener: () => void): () => void;
  /** Reports a delivered page (for diagnostics). */
  onDelivered?(events: number, position: number, live: boolean): void;
}

type Waiter = { position: number; resolve: () => void; reject: (error: Error) => void };

/**
 * Runs a subscription over a {@link SubscriptionSource}: reads pages from the cursor, delivers
 * each event to the handler in order (awaiting it: that is the backpressure, memory stays bounded
 * at one page), and when a read comes back empty waits for the next commit instead of polling.
 */
export function startCatchUpSubscription(source: SubscriptionSource, options: SubscribeOptions): Subscription {
  if (typeof options?.handler !== 'function') throw new InvalidArgumentError('handler', 'expected a function');
  const batchSize = options.batchSize ?? 512;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError('batchSize', 'expected a positive integer');
  const from = options.from ?? 'start';
  if (!(from === 'start' || from === 'end' || (Number.isSafeInteger(from) && from >= 0))) {
    throw new InvalidArgumentError('from', `expected 'start', 'end' or a non-negative integer position`);
  }
  return new CatchUpSubscription(source, options, batchSize, from);
}

class CatchUpSubscription implements Subscription {
  #source: SubscriptionSource;
  #options: SubscribeOptions;
  #batchSize: number;
  #position = -1;
  #cursor = 0;
  #live = false;
  #stopped = false;
  #dirty = true;
  #wake: (() => void) | undefined;
  #waiters: Waiter[] = [];
  #unregister: () => void;
  #loop: Promise<void>;
  readonly closed: Promise<void>;

  constructor(source: SubscriptionSource, options: SubscribeOptions, batchSize: number, from: number | 'start' | 'end') {
    this.#source = source;
    this.#options = options;
    this.#batchSize = batchSize;
    // Registered before the first read, so a commit racing the first read still wakes us.
    this.#unregister = source.onCommit(() => {
      this.#dirty = true;
      const wake = this.#wake;
      this.#wake = undefined;
      wake?.();
    });
    this.#loop = this.#run(from);
    this.closed = this.#loop;
    // The loop's rejection is reported through `closed` and `onError`; keep it from being unhandled.
    this.#loop.catch(() => undefined);
  }

  get position(): number {
    return this.#position;
  }

  get isLive(): boolean {
    return this.#live;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
    await this.#loop.catch(() => undefined);
  }

  waitFor(position: number): Promise<void> {
    if (this.#cursor > position) return Promise.resolve();
    if (this.#stopped) return Promise.reject(new StoreClosedError('subscription'));
    return new Promise((resolve, reject) => this.#waiters.push({ position, resolve, reject }));
  }

  async #run(from: number | 'start' | 'end'): Promise<void> {
    try {
      this.#cursor = from === 'start' ? 0 : from === 'end' ? await this.#source.endPosition() : from;
      while (!this.#stopped) {
        this.#dirty = false;
        const page = await this.#source.readPage(this.#cursor, this.#batchSize);
        const handler = this.#options.handler;
        for (const event of page.events) {
          if (this.#stopped) return;
          // Only a handler's promise is awaited: a synchronous handler gets the page without a
          // microtask hop per event, which is most of what a catch-up costs.
          const result = handler(event);
          if (result !== undefined && typeof (result as Promise<void>).then === 'function') await result;
          this.#position = event.position;
          this.#cursor = event.position + 1;
          if (this.#waiters.length > 0) this.#release();
        }
        if (this.#stopped) return;
        this.#cursor = Math.max(this.#cursor, page.next);
        this.#release();
        if (page.events.length > 0) this.#source.onDelivered?.(page.events.length, this.#position, this.#live);
        if (page.events.length < this.#batchSize && !this.#dirty) {
          if (!this.#live) {
            this.#live = true;
            this.#options.onCaughtUp?.(this.#cursor - 1);
          }
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
            if (this.#dirty || this.#stopped) {
              this.#wake = undefined;
              resolve();
            }
          });
        }
      }
    } catch (error) {
      this.#stopped = true;
      this.#options.onError?.(error);
      throw error;
    } finally {
      this.#unregister();
      this.#release();
      for (const waiter of this.#waiters.splice(0)) waiter.reject(new StoreClosedError('subscription'));
    }
  }

  #release(): void {
    if (this.#waiters.length === 0) return;
    const cursor = this.#cursor;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (waiter.position < cursor) {
        waiter.resolve();
        return false;
      }
      return true;
    });
  }
}
