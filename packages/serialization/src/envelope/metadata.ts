import { InvalidArgumentError, isPlainObject, type EventMetadata } from '@strata/core';

/**
 * Metadata to write: undefined for absent or empty metadata (stored as a header flag, no bytes,
 * and decoded as `{}`), the object otherwise. Throws `INVALID_ARGUMENT` for anything but a plain
 * object.
 */
export function metadataToWrite(metadata: unknown): EventMetadata | undefined {
  if (metadata === undefined) return undefined;
  if (!isPlainObject(metadata)) throw new InvalidArgumentError('metadata', 'expected a plain object');
  for (const _ in metadata) return metadata;
  return undefined;
}
