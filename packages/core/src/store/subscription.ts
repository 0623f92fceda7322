/** A running subscription. */
export interface Subscription {
  /** Position of the last delivered event (-1 before the first). Persist `position + 1` to resume. */
  readonly position: number;
  /** True once caught up with the log and delivering live. */
  readonly isLive: boolean;
  /** Stops delivery; resolves once the handler in flight (if any) has settled. Idempotent. */
  stop(): Promise<void>;
  /** Settles when the subscription stops: resolves on `stop()`/store close, rejects on a handler error. */
  readonly closed: Promise<void>;
  /** Resolves once every event at or below `position` that matches the filter has been delivered. */
  waitFor(position: number): Promise<void>;
}
