/**
 * The request ids and transfer steps an account has applied, with their outcome. Two levels keep
 * `evolve` pure and cheap on hot accounts: each event copies only the small `recent` level, and
 * every {@link RECENT_LIMIT} entries `recent` is merged into `older` in one copy, so an event costs
 * O(RECENT_LIMIT + n / RECENT_LIMIT) instead of O(n).
 */
export type AppliedSteps = {
  older: Record<string, string>;
  recent: Record<string, string>;
  recentCount: number;
};

/** How many entries the small level holds before it is merged. */
export const RECENT_LIMIT = 64;

/** No steps applied. */
export function noSteps(): AppliedSteps {
  return { older: {}, recent: {}, recentCount: 0 };
}

/** The outcome recorded for `key` (`ok` or a rejection reason), if any. */
export function appliedOutcome(steps: AppliedSteps, key: string): string | undefined {
  return Object.hasOwn(steps.recent, key) ? steps.recent[key] : Object.hasOwn(steps.older, key) ? steps.older[key] : undefined;
}

/** `steps` with `key` recorded as `outcome`; never modifies `steps`. */
export function withStep(steps: AppliedSteps, key: string, outcome: string): AppliedSteps {
  if (steps.recentCount + 1 < RECENT_LIMIT) {
    return { older: steps.older, recent: { ...steps.recent, [key]: outcome }, recentCount: steps.recentCount + 1 };
  }
  return { older: { ...steps.older, ...steps.recent, [key]: outcome }, recent: {}, recentCount: 0 };
}
