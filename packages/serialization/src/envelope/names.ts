import { InvalidArgumentError } from '@strata/core';
import { isWellFormed, utf8Length } from '../internal/bytes.js';
import { MAX_NAME_BYTES } from './layout.js';

/** Throws `INVALID_ARGUMENT` naming `argument` unless `value` is a non-empty string. */
export function checkName(value: unknown, argument: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError(argument, 'expected a non-empty string');
  }
}

/**
 * UTF-8 length of a name for an envelope header. Throws `INVALID_ARGUMENT` for a lone surrogate
 * (stored as U+FFFD it would read back as another name) or more than 65535 bytes.
 */
export function nameBytes(value: string, argument: string): number {
  if (!isWellFormed(value)) throw new InvalidArgumentError(argument, 'holds a lone surrogate');
  const length = utf8Length(value);
  if (length > MAX_NAME_BYTES) throw new InvalidArgumentError(argument, `longer than ${MAX_NAME_BYTES} bytes`);
  return length;
}

/**
 * UTF-8 length of a name whose header is all ASCII (the caller measured the names together: one
 * native length check for all of them, see the serializer), checking only the size limit.
 */
export function asciiNameBytes(value: string, argument: string): number {
  if (value.length > MAX_NAME_BYTES) throw new InvalidArgumentError(argument, `longer than ${MAX_NAME_BYTES} bytes`);
  return value.length;
}
