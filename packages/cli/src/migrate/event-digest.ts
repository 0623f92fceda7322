import { createHash, type Hash } from 'node:crypto';
import type { RecordedEvent } from '@strata/core';

/**
 * A 64-bit digest of what a migration must preserve of an event: stream, version, id, type,
 * schema version, data, metadata and (when `withRecordedAt`) the recorded time. Not the global
 * position, which the target assigns. Data and metadata are hashed in a canonical form (object
 * keys sorted, Dates, bigints, byte arrays, Maps and Sets tagged), so a store that does not keep
 * key order (jsonb) digests equal values equally.
 */
export function eventDigest(event: RecordedEvent, withRecordedAt: boolean): bigint {
  const hash = createHash('sha256');
  hash.update(`${event.streamId}\u0000${event.version}\u0000${event.id}\u0000${event.type}\u0000${event.schemaVersion}\u0000`);
  if (withRecordedAt) hash.update(`${event.recordedAt.getTime()}\u0000`);
  canonical(event.data, hash);
  canonical(event.metadata, hash);
  return hash.digest().readBigUInt64BE(0);
}

/** Feeds a canonical, type-tagged form of `value` into `hash`. */
export function canonical(value: unknown, hash: Hash): void {
  if (value === null) return void hash.update('n');
  switch (typeof value) {
    case 'undefined':
      return void hash.update('u');
    case 'boolean':
      return void hash.update(value ? 't' : 'f');
    case 'number':
      return void hash.update(`d${Object.is(value, -0) ? '-0' : String(value)};`);
    case 'bigint':
      return void hash.update(`i${value.toString()};`);
    case 'string':
      return void hash.update(`s${value.length}:${value}`);
    case 'object':
      break;
    default:
      return void hash.update(`?${typeof value}`);
  }
  if (value instanceof Date) return void hash.update(`D${value.getTime()};`);
  if (value instanceof Uint8Array) {
    hash.update(`b${value.byteLength}:`);
    return void hash.update(value);
  }
  if (Array.isArray(value)) {
    hash.update(`a${value.length}[`);
    for (const item of value) canonical(item, hash);
    return void hash.update(']');
  }
  if (value instanceof Map) {
    hash.update(`m${value.size}{`);
    for (const [key, item] of value) {
      canonical(key, hash);
      canonical(item, hash);
    }
    return void hash.update('}');
  }
  if (value instanceof Set) {
    hash.update(`S${value.size}[`);
    for (const item of value) canonical(item, hash);
    return void hash.update(']');
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  hash.update(`o${keys.length}{`);
  for (const key of keys) {
    hash.update(`${key.length}:${key}`);
    canonical(record[key], hash);
  }
  hash.update('}');
}
