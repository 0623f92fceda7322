import type { StrataError } from '@strata/core';

// Captured at import, before any test installs fake timers, so awaiting it always lets the real
// event loop run every pending microtask (promise continuations) first.
const realSetImmediate = globalThis.setImmediate;

/** Resolves on the next real event-loop turn, after all queued microtasks have run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/** How a promise settled, observed without awaiting it. */
export type Observed<T> =
  | { state: 'pending' }
  | { state: 'fulfilled'; value: T }
  | { state: 'rejected'; reason: unknown };

/** Tracks a promise's settlement so a test can inspect it at any point. */
export function observe<T>(promise: Promise<T>): { readonly current: Observed<T> } {
  const box: { current: Observed<T> } = { current: { state: 'pending' } };
  promise.then(
    (value) => {
      box.current = { state: 'fulfilled', value };
    },
    (reason: unknown) => {
      box.current = { state: 'rejected', reason };
    },
  );
  return box;
}

/** The `code` of a rejection reason, for asserting error codes rather than messages. */
export function codeOf(reason: unknown): string | undefined {
  return (reason as Partial<StrataError> | undefined)?.code;
}
