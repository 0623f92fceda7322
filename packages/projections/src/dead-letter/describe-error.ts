import { isStrataError } from '@strata/core';
import type { DeadLetter } from './dead-letter-store.js';

/** What a dead letter keeps of an error: name, message and Strata code. */
export function describeError(error: unknown): DeadLetter['error'] {
  const described: DeadLetter['error'] = {
    name: error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
  };
  if (isStrataError(error)) described.code = error.code;
  return described;
}
