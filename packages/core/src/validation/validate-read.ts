import { InvalidArgumentError } from '../errors/errors.js';
import type { ReadAllOptions, ReadStreamOptions } from '../store/event-store.js';

/** Validates `readStream` options. Throws `INVALID_ARGUMENT`. */
export function validateReadStreamOptions(options: ReadStreamOptions): void {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  if (options.direction !== undefined && options.direction !== 'forward' && options.direction !== 'backward') {
    throw new InvalidArgumentError('direction', `expected 'forward' or 'backward'`);
  }
  checkCount('from', options.from);
  checkCount('maxCount', options.maxCount);
}

/** Validates `readAll` options. Throws `INVALID_ARGUMENT`. */
export function validateReadAllOptions(options: ReadAllOptions): void {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  checkCount('from', options.from);
  checkCount('maxCount', options.maxCount);
}

function checkCount(name: string, value: unknown): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 0)) {
    throw new InvalidArgumentError(name, 'expected a non-negative integer');
  }
}
