import { InvalidArgumentError } from '@strata/core';
import type { Serializer } from '@strata/serialization';

/**
 * Encodes and decodes cache values with the cache's serializer, enforcing `maxValueBytes`.
 * Every value is encoded on the way in, even for an L1-only cache: its encoded size is what the
 * byte bounds weigh, and a value the shared tiers could not carry is refused the same way everywhere.
 */
export class ValueCodec {
  readonly #serializer: Serializer;
  readonly #maxValueBytes: number;

  constructor(serializer: Serializer, maxValueBytes: number) {
    this.#serializer = serializer;
    this.#maxValueBytes = maxValueBytes;
  }

  /**
   * The value's envelope. Throws `SERIALIZATION_FAILED` for values the format cannot carry
   * (functions, symbols, cycles …) and `INVALID_ARGUMENT` (argument `value`) for `undefined` and
   * for values whose encoding exceeds `maxValueBytes`.
   */
  encode(value: unknown): Uint8Array {
    if (value === undefined) {
      throw new InvalidArgumentError('value', 'undefined cannot be cached: it means "no value" (use delete or invalidate)');
    }
    const bytes = this.#serializer.encodeValue(value);
    if (bytes.length > this.#maxValueBytes) {
      throw new InvalidArgumentError('value', `encodes to ${bytes.length} bytes, more than maxValueBytes (${this.#maxValueBytes})`, {
        details: { bytes: bytes.length, maxValueBytes: this.#maxValueBytes },
      });
    }
    return bytes;
  }

  /** Decodes an envelope; throws `SERIALIZATION_FAILED` for corrupt or foreign bytes. */
  decode(bytes: Uint8Array): unknown {
    return this.#serializer.decodeValue(bytes);
  }
}
