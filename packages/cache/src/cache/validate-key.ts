import { InvalidArgumentError } from '@strata/core';

/** Longest key, in UTF-8 bytes: LMDB keys are at most 1,978 bytes, and the tag index adds a tag. */
export const MAX_KEY_BYTES = 1024;
/** Longest tag, in UTF-8 bytes. */
export const MAX_TAG_BYTES = 256;
/** Most tags per entry. */
export const MAX_TAGS = 32;

// A string of this many UTF-16 units is at most MAX_KEY_BYTES of UTF-8 (3 bytes per unit at most).
const SAFE_KEY_LENGTH = Math.floor(MAX_KEY_BYTES / 3);

type WellFormed = { isWellFormed(): boolean };

/**
 * Throws `INVALID_ARGUMENT` (naming `argument`) unless `key` is a non-empty, well-formed string of
 * at most {@link MAX_KEY_BYTES} UTF-8 bytes. A lone surrogate would be stored as U+FFFD and collide
 * with another key, so it is refused rather than mangled.
 */
export function validateKey(key: unknown, argument = 'key'): asserts key is string {
  if (typeof key !== 'string') throw new InvalidArgumentError(argument, `expected a string, got ${describe(key)}`);
  if (key.length === 0) throw new InvalidArgumentError(argument, 'expected a non-empty string');
  if (key.length > SAFE_KEY_LENGTH && Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new InvalidArgumentError(argument, `longer than ${MAX_KEY_BYTES} UTF-8 bytes`);
  }
  if (!(key as unknown as WellFormed).isWellFormed()) {
    throw new InvalidArgumentError(argument, 'contains a lone surrogate (not encodable as UTF-8)');
  }
}

/** Validates a prefix: like a key, but may be empty (the empty prefix matches every key). */
export function validatePrefix(prefix: unknown): asserts prefix is string {
  if (prefix === '') return;
  validateKey(prefix, 'prefix');
}

/** Validates a tag: a key that contains no NUL (the L2 tag index separates tag and key with one). */
export function validateTag(tag: unknown, argument = 'tag'): asserts tag is string {
  validateKey(tag, argument);
  if (Buffer.byteLength(tag, 'utf8') > MAX_TAG_BYTES) {
    throw new InvalidArgumentError(argument, `longer than ${MAX_TAG_BYTES} UTF-8 bytes`);
  }
  if (tag.includes('\u0000')) throw new InvalidArgumentError(argument, 'contains NUL');
}

/** Validates a list of tags; returns a frozen, de-duplicated copy (or undefined when empty/absent). */
export function validateTags(tags: unknown, argument = 'tags'): readonly string[] | undefined {
  if (tags === undefined) return undefined;
  if (!Array.isArray(tags)) throw new InvalidArgumentError(argument, 'expected an array of strings');
  if (tags.length > MAX_TAGS) throw new InvalidArgumentError(argument, `at most ${MAX_TAGS} tags per entry`);
  if (tags.length === 0) return undefined;
  for (let i = 0; i < tags.length; i++) validateTag(tags[i], `${argument}[${i}]`);
  return Object.freeze([...new Set(tags as string[])]);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
