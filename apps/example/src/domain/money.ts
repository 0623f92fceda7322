import { InvalidArgumentError } from '@strata/core';

/** Largest amount one command may move, in minor units (ten billion units of currency). */
export const MAX_AMOUNT = 1_000_000_000_000;

/** Ids of accounts and transfers: what a stream id suffix and a URL segment can carry safely. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Fails with `INVALID_ARGUMENT` unless `amount` is a positive integer number of minor units. */
export function assertAmount(amount: unknown, argument = 'amount'): asserts amount is number {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_AMOUNT) {
    throw new InvalidArgumentError(argument, `expected an integer of minor units between 1 and ${MAX_AMOUNT}`);
  }
}

/** Fails with `INVALID_ARGUMENT` unless `id` matches {@link ID_PATTERN}. */
export function assertId(id: unknown, argument: string): asserts id is string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new InvalidArgumentError(argument, 'expected 1-64 letters, digits, "_" or "-"');
  }
}
