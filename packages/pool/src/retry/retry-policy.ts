import type { PgErrorClass } from '../errors/classify-pg-error.js';

/** How transient failures are retried. */
export type RetryOptions = {
  /** Attempts in all, the first included (default 3; 1 turns retries off). */
  maxAttempts?: number;
  /** Upper bound of the first pause, in ms (default 20). Each retry doubles it, up to `maxDelayMs`. */
  baseDelayMs?: number;
  /** Upper bound of any pause, in ms (default 1,000). */
  maxDelayMs?: number;
};

/** Retry settings with defaults applied. */
export type RetryPolicy = Readonly<Required<RetryOptions>>;

/** Where an attempt failed: before a statement was sent, or after. */
export type FailurePhase = 'acquire' | 'execute';

/** What makes repeating a piece of work safe. */
export type RetrySafety = {
  /** The caller declared the work idempotent: running it twice has the effect of running it once. */
  idempotent: boolean;
  /**
   * A conflict (serialization failure, deadlock) rolled back everything the work did: true for a
   * single statement and for a whole transaction, false for several autocommit statements.
   */
  conflictRollsBack: boolean;
};

/**
 * Whether a failed attempt may be repeated. Only transient failures are retried, and only when
 * repeating is safe: the failure came before anything was sent, the server rolled the work back
 * (a serialization failure or deadlock), or the caller declared the work idempotent (a lost
 * connection leaves the outcome of a sent statement unknown).
 */
export function mayRetry(classified: PgErrorClass, phase: FailurePhase, safety: RetrySafety): boolean {
  if (!classified.transient) return false;
  if (phase === 'acquire' || safety.idempotent) return true;
  return classified.kind === 'conflict' && safety.conflictRollsBack;
}

/**
 * The pause before retry number `retry` (1 for the first retry): "full jitter", a uniformly random
 * delay between 0 and `min(maxDelayMs, baseDelayMs * 2^(retry-1))`, so callers that failed together
 * do not come back together.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** Resolves after `ms` (0 resolves on the next macrotask turn). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
