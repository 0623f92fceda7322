import { InvalidArgumentError } from '@strata/core';
import type { PendingEntry } from './pending-entry.js';

/** How a batch came out, as seen by the settling step. */
export type BatchOutcome = { ok: true; results: unknown } | { ok: false; error: unknown };

/**
 * Settles every caller of a batch from `execute`'s outcome and returns how many entries failed.
 *
 * A malformed result (not an array aligned with the items) is a bug in `execute`; every item
 * rejects with `INVALID_ARGUMENT` naming `execute` rather than resolving with `undefined`.
 */
export function settleBatch<TItem, TResult>(
  entries: readonly PendingEntry<TItem, TResult>[],
  outcome: BatchOutcome,
  atomic: boolean,
): number {
  if (!outcome.ok) return rejectAll(entries, outcome.error);
  const results = outcome.results;
  if (!Array.isArray(results) || results.length !== entries.length) {
    const got = Array.isArray(results) ? `${results.length} results` : typeof results;
    return rejectAll(entries, new InvalidArgumentError('execute', `returned ${got} for ${entries.length} items`));
  }
  if (atomic) {
    const failure: unknown = results.find((result) => result instanceof Error);
    if (failure !== undefined) return rejectAll(entries, failure);
  }
  let failed = 0;
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index] as PendingEntry<TItem, TResult>;
    const result: unknown = results[index];
    if (result instanceof Error) {
      failed++;
      rejectEntry(entry, result);
    } else {
      resolveEntry(entry, result as TResult);
    }
  }
  return failed;
}

function rejectAll<TItem, TResult>(entries: readonly PendingEntry<TItem, TResult>[], error: unknown): number {
  for (const entry of entries) rejectEntry(entry, error);
  return entries.length;
}

function resolveEntry<TItem, TResult>(entry: PendingEntry<TItem, TResult>, value: TResult): void {
  entry.resolve(value);
  if (entry.followers !== undefined) for (const follower of entry.followers) follower.resolve(value);
}

function rejectEntry<TItem, TResult>(entry: PendingEntry<TItem, TResult>, error: unknown): void {
  entry.reject(error);
  if (entry.followers !== undefined) for (const follower of entry.followers) follower.reject(error);
}
