/** Settings of a {@link WriteBehindQueue}. */
export type WriteBehindSettings = {
  /** Items per call of the sink. A full batch is written at the end of the event-loop turn. */
  maxBatchSize: number;
  /** The longest an item waits for its batch to fill, in ms. */
  maxDelayMs: number;
  /** First delay before retrying a failed background write, doubled per failure up to 30 s. */
  retryDelayMs: number;
};

/** Counters of a {@link WriteBehindQueue}. */
export type WriteBehindCounters = { pending: number; written: number; batches: number; failures: number };

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Write-behind: items are acknowledged at once and written to the sink later, in batches, one batch
 * at a time (so writes of a key reach the sink in order). Items of the same key coalesce while
 * waiting: only the latest is written. A failed batch goes back to the front of the queue (except
 * keys written again meanwhile) and is retried with backoff; nothing is dropped. `flush()` and
 * `close()` write everything and reject with the sink's error if it fails, leaving the items queued.
 */
export class WriteBehindQueue<T extends { readonly key: string }> {
  readonly #settings: WriteBehindSettings;
  readonly #sink: (items: T[]) => Promise<void>;
  #pending = new Map<string, T>();
  #inFlight: Map<string, T> | undefined;
  #running: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retryDelayMs: number;
  #written = 0;
  #batches = 0;
  #failures = 0;

  constructor(settings: WriteBehindSettings, sink: (items: T[]) => Promise<void>) {
    this.#settings = settings;
    this.#sink = sink;
    this.#retryDelayMs = settings.retryDelayMs;
  }

  get counters(): WriteBehindCounters {
    return {
      pending: this.#pending.size + (this.#inFlight?.size ?? 0),
      written: this.#written,
      batches: this.#batches,
      failures: this.#failures,
    };
  }

  /** Queues `item`, replacing a waiting item of the same key. */
  add(item: T): void {
    this.#pending.delete(item.key);
    this.#pending.set(item.key, item);
    if (this.#pending.size >= this.#settings.maxBatchSize) this.#schedule(0);
    else this.#schedule(this.#settings.maxDelayMs);
  }

  /** The latest item for `key` not yet written (waiting or being written). */
  latest(key: string): T | undefined {
    return this.#pending.get(key) ?? this.#inFlight?.get(key);
  }

  /** Writes everything queued (including items added while it runs); rejects if the sink fails. */
  async flush(): Promise<void> {
    this.#cancelTimer();
    while (this.#running !== undefined || this.#pending.size > 0) await this.#run();
  }

  #run(): Promise<void> {
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #drain(): Promise<void> {
    while (this.#pending.size > 0) {
      const batch: T[] = [];
      for (const item of this.#pending.values()) {
        batch.push(item);
        if (batch.length >= this.#settings.maxBatchSize) break;
      }
      for (const item of batch) this.#pending.delete(item.key);
      this.#inFlight = new Map(batch.map((item) => [item.key, item]));
      try {
        await this.#sink(batch);
        this.#written += batch.length;
        this.#batches++;
      } catch (err) {
        this.#failures++;
        this.#requeue(batch);
        throw err;
      } finally {
        this.#inFlight = undefined;
      }
    }
  }

  #requeue(batch: T[]): void {
    const merged = new Map<string, T>();
    for (const item of batch) if (!this.#pending.has(item.key)) merged.set(item.key, item);
    for (const [key, item] of this.#pending) merged.set(key, item);
    this.#pending = merged;
  }

  #schedule(delayMs: number): void {
    if (this.#timer !== undefined) {
      if (delayMs > 0) return;
      this.#cancelTimer();
    }
    this.#timer = setTimeout(this.#onTimer, delayMs);
    this.#timer.unref();
  }

  #cancelTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#run().then(
      () => {
        this.#retryDelayMs = this.#settings.retryDelayMs;
      },
      () => {
        // The batch is queued again; retry later rather than hammering a failing sink.
        this.#schedule(this.#retryDelayMs);
        this.#retryDelayMs = Math.min(MAX_RETRY_DELAY_MS, this.#retryDelayMs * 2);
      },
    );
  };
}
