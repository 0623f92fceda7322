/** Resolves after `ms` (an unref'd timer: a backoff never keeps the process alive by itself). */
export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Exponential backoff with full jitter between half and all of the step, so retrying nodes spread out. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const step = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(step / 2 + (Math.random() * step) / 2);
}
