import { WrongExpectedVersionError } from '../errors/errors.js';
import type { ExpectedVersion } from './expected-version.js';

/**
 * Throws `WRONG_EXPECTED_VERSION` unless `expected` holds for a stream whose last event has
 * version `current` (-1 when it has no visible events). Shared by every store so they agree exactly.
 */
export function checkExpectedVersion(streamId: string, expected: ExpectedVersion, current: number): void {
  if (expected === 'any') return;
  if (expected === 'no_stream' ? current === -1 : expected === 'stream_exists' ? current >= 0 : current === expected) {
    return;
  }
  throw new WrongExpectedVersionError(streamId, expected, current);
}

/**
 * Whether an idempotent retry whose events were first stored at versions starting with
 * `firstVersion` was sent with the same expected version as the original request: one under which
 * the original append lands exactly there. `landedOnEmpty` says the stream had no visible events
 * when the original was appended (version 0, or the first append after a soft delete, which
 * continues at a later version number); then only `'no_stream'`, -1 and `'any'` match.
 */
export function expectedVersionMatchesOriginal(
  expected: ExpectedVersion,
  firstVersion: number,
  landedOnEmpty: boolean = firstVersion === 0,
): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return landedOnEmpty;
  if (expected === 'stream_exists') return !landedOnEmpty;
  return expected === (landedOnEmpty ? -1 : firstVersion - 1);
}
