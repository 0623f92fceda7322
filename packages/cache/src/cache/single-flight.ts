/** One load in flight for a key, shared by every caller that missed while it ran. */
export type Flight<V> = {
  readonly key: string;
  /** L2's sequence number when the load started (undefined without L2). */
  readonly l2Since: number | undefined;
  promise: Promise<V | undefined>;
  /**
   * Set when the key was written or invalidated after the load started: its callers still get its
   * result, but nothing stores it, and later callers start a fresh load.
   */
  detached: boolean;
};

/**
 * Single flight: at most one attached load per key. Writes and invalidations detach the loads they
 * concern, so a load that began before them can neither be joined after them nor store its result.
 */
export class FlightRegistry<V> {
  readonly #flights = new Map<string, Flight<V>>();
  readonly #running = new Set<Promise<unknown>>();

  get size(): number {
    return this.#flights.size;
  }

  /** The attached flight for `key`. */
  get(key: string): Flight<V> | undefined {
    return this.#flights.get(key);
  }

  /** Starts and attaches a flight; `run` receives it before its first await. */
  start(key: string, l2Since: number | undefined, run: (flight: Flight<V>) => Promise<V | undefined>): Flight<V> {
    const flight: Flight<V> = { key, l2Since, promise: Promise.resolve(undefined), detached: false };
    this.#flights.set(key, flight);
    const promise = run(flight);
    flight.promise = promise;
    const settled: Promise<void> = promise.then(
      () => this.#finish(flight, settled),
      () => this.#finish(flight, settled),
    );
    this.#running.add(settled);
    return flight;
  }

  /**
   * Detaches the flight of `key`. With `version` (an L2 sequence number of a change), only a flight
   * that started before that change: one that started after it already sees it.
   */
  detach(key: string, version?: number): void {
    const flight = this.#flights.get(key);
    if (flight === undefined) return;
    if (version !== undefined && flight.l2Since !== undefined && flight.l2Since >= version) return;
    flight.detached = true;
    this.#flights.delete(key);
  }

  /** Detaches every flight whose key starts with `prefix` (see {@link detach} for `version`). */
  detachPrefix(prefix: string, version?: number): void {
    for (const key of [...this.#flights.keys()]) if (key.startsWith(prefix)) this.detach(key, version);
  }

  /** Detaches every flight (a tag invalidation: a loaded value's tags are unknown until it arrives). */
  detachAll(version?: number): void {
    for (const key of [...this.#flights.keys()]) this.detach(key, version);
  }

  /** Resolves when every flight started so far (attached or not) has settled. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  #finish(flight: Flight<V>, settled: Promise<unknown>): void {
    if (this.#flights.get(flight.key) === flight) this.#flights.delete(flight.key);
    this.#running.delete(settled);
  }
}
