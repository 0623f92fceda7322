import { isStrataError, type EventStore } from '@strata/core';

/**
 * Optimistic concurrency by hand: append with the version you read; on WRONG_EXPECTED_VERSION,
 * someone else appended first, so read again and decide again.
 */
export async function appendWithExpectedVersion(store: EventStore): Promise<{ winner: number; loser: string }> {
  const first = await store.append('order-7', [{ type: 'OrderPlaced', data: { total: 40 } }], { expectedVersion: 'no_stream' });

  // Two writers both read version 0 and try to append after it: exactly one succeeds.
  const attempts = await Promise.allSettled([
    store.append('order-7', [{ type: 'OrderPaid', data: { by: 'card' } }], { expectedVersion: first.nextExpectedVersion }),
    store.append('order-7', [{ type: 'OrderCancelled', data: null }], { expectedVersion: first.nextExpectedVersion }),
  ]);
  const winner = attempts.findIndex((attempt) => attempt.status === 'fulfilled');
  const failed = attempts.find((attempt) => attempt.status === 'rejected');
  const reason = failed?.status === 'rejected' ? failed.reason : undefined;
  if (isStrataError(reason, 'WRONG_EXPECTED_VERSION')) {
    // details.actual is the version the stream really has: reload from there.
    return { winner, loser: `expected ${String(reason.details['expected'])}, actual ${String(reason.details['actual'])}` };
  }
  throw new Error('exactly one append should have lost');
}

/** Idempotent appends: an id per event makes a retry after a timeout harmless. */
export async function retrySafely(store: EventStore): Promise<{ first: number; retry: number; events: number }> {
  const events = [{ id: 'payment-8812', type: 'PaymentReceived', data: { amount: 25 } }];
  const first = await store.append('invoice-3', events, { expectedVersion: 'no_stream' });
  // The network failed before the answer arrived: send the same append again.
  const retry = await store.append('invoice-3', events, { expectedVersion: 'no_stream' });
  let count = 0;
  for await (const _event of store.readStream('invoice-3')) count++;
  return { first: first.position, retry: retry.position, events: count };
}
