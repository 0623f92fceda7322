/** Circuit breaker settings (see `createPgPool`). */
export type BreakerOptions = {
  /** Percentage of failed calls in the rolling window at which the breaker opens (default 50). */
  errorThresholdPercentage?: number;
  /** Fewest calls in the window before the failure rate is judged at all (default 10). */
  volumeThreshold?: number;
  /** Length of the rolling window in ms (default 10,000). */
  windowMs?: number;
  /** How long the breaker stays open before it lets one trial call through (half-open), in ms (default 2,000). */
  resetTimeoutMs?: number;
};

/** Breaker settings with defaults applied. */
export type ResolvedBreakerOptions = Readonly<Required<BreakerOptions>>;

/** Counts of transitions into each state since the breaker was created. */
export type BreakerTransitions = { open: number; halfOpen: number; closed: number };
