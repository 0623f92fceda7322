import { SerializationError } from '../errors/errors.js';

/** A deep copy of a payload plus an estimate of its encoded size in bytes. */
export type ClonedPayload = { value: unknown; approxBytes: number };

/**
 * Deep-copies an event payload the way a serializer would see it: plain objects, arrays,
 * strings, finite numbers, booleans, null, bigints, Dates and byte arrays. Functions, symbols,
 * cycles, class instances other than those, and `__proto__` keys are rejected with
 * `SERIALIZATION_FAILED`, so the in-memory store refuses exactly what a real store would.
 */
export function clonePayload(value: unknown, path = 'data'): ClonedPayload {
  const state = { bytes: 0 };
  const result = cloneValue(value, path, new Set(), state);
  return { value: result, approxBytes: state.bytes };
}

function cloneValue(value: unknown, path: string, seen: Set<object>, state: { bytes: number }): unknown {
  switch (typeof value) {
    case 'string':
      state.bytes += value.length + 2;
      return value;
    case 'number':
      state.bytes += 9;
      return value;
    case 'boolean':
      state.bytes += 1;
      return value;
    case 'bigint':
      state.bytes += 9;
      return value;
    case 'undefined':
      state.bytes += 1;
      return undefined;
    case 'function':
    case 'symbol':
      throw new SerializationError(`Cannot serialize a ${typeof value} at ${path}`, { details: { path } });
  }
  if (value === null) {
    state.bytes += 1;
    return null;
  }
  const object = value as object;
  if (seen.has(object)) {
    throw new SerializationError(`Cannot serialize a cycle at ${path}`, { details: { path } });
  }
  if (object instanceof Date) {
    state.bytes += 9;
    return new Date(object.getTime());
  }
  if (object instanceof Uint8Array) {
    state.bytes += object.byteLength + 5;
    return new Uint8Array(object);
  }
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      state.bytes += 5;
      const copy = new Array<unknown>(object.length);
      for (let i = 0; i < object.length; i++) copy[i] = cloneValue(object[i], `${path}[${i}]`, seen, state);
      return copy;
    }
    const proto: unknown = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      const name = (object as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
      throw new SerializationError(`Cannot serialize an instance of ${name} at ${path}`, { details: { path } });
    }
    state.bytes += 5;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      if (key === '__proto__') {
        throw new SerializationError(`Refusing the key '__proto__' at ${path}`, { details: { path } });
      }
      state.bytes += key.length + 1;
      copy[key] = cloneValue((object as Record<string, unknown>)[key], `${path}.${key}`, seen, state);
    }
    return copy;
  } finally {
    seen.delete(object);
  }
}
