import { InvalidArgumentError } from '../errors/errors.js';
import type { EventData } from '../events/event-data.js';
import type { ExpectedVersion } from '../events/expected-version.js';

/** Limits every store enforces on appends (each store lets users raise or lower them). */
export type AppendLimits = {
  /** Most events in one append. */
  maxBatchSize: number;
  /** Largest encoded event (data + metadata), in bytes. */
  maxEventBytes: number;
};

/** Defaults shared by the stores: 10,000 events per append, 4 MiB per event. */
export const DEFAULT_APPEND_LIMITS: Readonly<AppendLimits> = Object.freeze({
  maxBatchSize: 10_000,
  maxEventBytes: 4 * 1024 * 1024,
});

const MAX_TYPE_LENGTH = 200;
const MAX_ID_LENGTH = 200;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Validates an expected version. Throws `INVALID_ARGUMENT`. */
export function validateExpectedVersion(expected: unknown): asserts expected is ExpectedVersion {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= -1) return;
  throw new InvalidArgumentError(
    'expectedVersion',
    `expected 'any', 'no_stream', 'stream_exists' or an integer >= -1, got ${describe(expected)}`,
  );
}

/**
 * Validates the shape of an append's events (not their serialisability: the store's serializer
 * checks that). Throws `INVALID_ARGUMENT` naming the offending event.
 */
export function validateEvents(events: unknown, limits: AppendLimits): asserts events is readonly EventData[] {
  if (!Array.isArray(events)) {
    throw new InvalidArgumentError('events', `expected an array, got ${describe(events)}`);
  }
  if (events.length === 0) throw new InvalidArgumentError('events', 'an append needs at least one event');
  if (events.length > limits.maxBatchSize) {
    throw new InvalidArgumentError('events', `${events.length} events exceed the maximum of ${limits.maxBatchSize} per append`, {
      details: { reason: 'batch_too_large', limit: limits.maxBatchSize },
    });
  }
  let ids: Set<string> | undefined;
  for (let i = 0; i < events.length; i++) {
    const event: unknown = events[i];
    if (typeof event !== 'object' || event === null) {
      throw new InvalidArgumentError(`events[${i}]`, `expected an object, got ${describe(event)}`);
    }
    const { type, id, metadata, schemaVersion } = event as Record<string, unknown>;
    if (typeof type !== 'string' || type.length === 0 || type.length > MAX_TYPE_LENGTH || CONTROL.test(type)) {
      throw new InvalidArgumentError(
        `events[${i}].type`,
        `expected a non-empty string of at most ${MAX_TYPE_LENGTH} printable characters`,
      );
    }
    if (!('data' in (event as object)) || (event as { data: unknown }).data === undefined) {
      throw new InvalidArgumentError(`events[${i}].data`, 'is missing (use null for an empty payload)');
    }
    if (id !== undefined) {
      if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || CONTROL.test(id)) {
        throw new InvalidArgumentError(`events[${i}].id`, `expected a non-empty string of at most ${MAX_ID_LENGTH} printable characters`);
      }
      ids ??= new Set();
      if (ids.has(id)) throw new InvalidArgumentError(`events[${i}].id`, `'${id}' appears twice in one append`);
      ids.add(id);
    }
    if (metadata !== undefined && !isPlainObject(metadata)) {
      throw new InvalidArgumentError(`events[${i}].metadata`, 'expected a plain object');
    }
    if (schemaVersion !== undefined && !(Number.isSafeInteger(schemaVersion) && (schemaVersion as number) >= 1)) {
      throw new InvalidArgumentError(`events[${i}].schemaVersion`, 'expected an integer >= 1');
    }
  }
}

/** True for `{}`-style objects and `Object.create(null)` objects. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.slice(0, 40)}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}
