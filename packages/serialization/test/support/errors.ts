import { isStrataError } from '@strata/core';

/**
 * What calling `fn` ends in: `'ok'`, the code of the Strata error it threw, or `'NOT_STRATA'`
 * (with the error kept for the assertion message) for anything else.
 */
export function outcomeOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return isStrataError(error) ? error.code : `NOT_STRATA: ${String(error)}`;
  }
}

/** The Strata error code `fn` throws (fails the test when it returns or throws anything else). */
export function codeOf(fn: () => unknown): string {
  const outcome = outcomeOf(fn);
  if (outcome === 'ok') throw new Error('expected a Strata error, got a return');
  return outcome;
}
