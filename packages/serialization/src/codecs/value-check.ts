import { Buffer } from 'node:buffer';
import { SerializationError } from '@strata/core';
import { isWellFormed } from '../internal/bytes.js';

/**
 * The value domains of the schemaless codecs, enforced before encoding and after decoding.
 *
 * Neither `JSON.stringify` nor msgpackr refuses what it cannot carry: both drop functions, JSON
 * turns `NaN` and Dates into other values, msgpackr turns a `Set` into an array and a typed array
 * into bytes, and both recurse until the stack overflows on a cycle. An event store keeps data for
 * years, so a value that would come back different is refused when it is written
 * (`SERIALIZATION_FAILED`), and stored bytes that decode to something outside the domain are
 * refused when read.
 *
 * The keys `__proto__`, `constructor` and `prototype` are refused in both directions: decoding
 * never alters a prototype (JSON.parse and msgpackr both create own properties), but objects
 * carrying these keys are the gadgets of prototype pollution in the merge utilities applications
 * run over event data, and the store is a long-lived boundary where such input should stop.
 * msgpackr reads a stored `__proto__` key as `__proto_`, so that key is refused for MessagePack
 * as well: refusing it on write keeps every value the codec accepts readable.
 *
 * Each check is a fast boolean walk without bookkeeping (it runs on every encode and decode);
 * only when it fails does a second walk find the offending path for the error message.
 */

/** Deepest nesting accepted; deeper values (and cycles, which are infinitely deep) are refused. */
export const MAX_DEPTH = 256;

type Format = 'json' | 'msgpack' | 'protobuf';

/** First characters of the forbidden keys. */
const UNDERSCORE = 0x5f;
const LOWER_C = 0x63;
const LOWER_P = 0x70;

function isForbiddenKey(key: string, msgpack: boolean): boolean {
  // The length and the first character keep ordinary keys to two comparisons, without a string
  // comparison (a builtin call).
  const length = key.length;
  if (length < 8 || length > 11) return false;
  const first = key.charCodeAt(0);
  if (first !== UNDERSCORE && first !== LOWER_C && first !== LOWER_P) return false;
  return key === '__proto__' || key === 'constructor' || key === 'prototype' || (msgpack && key === '__proto_');
}

function isBinaryOrDate(proto: unknown): boolean {
  return proto === Date.prototype || proto === Uint8Array.prototype || proto === Buffer.prototype;
}

// ---------------------------------------------------------------------------------------------
// JSON: null, booleans, finite numbers, strings, arrays and plain objects. `undefined` is accepted
// only as an object property value, which JSON omits (reading the property still gives undefined).

function jsonLeafOk(value: unknown): boolean {
  const kind = typeof value;
  return kind === 'string' || kind === 'boolean' || (kind === 'number' && Number.isFinite(value));
}

function jsonOk(value: object, depth: number): boolean {
  if (depth >= MAX_DEPTH) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const array = value as unknown[];
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      if (typeof item === 'object') {
        if (item !== null && !jsonOk(item, depth + 1)) return false;
      } else if (!jsonLeafOk(item)) return false;
    }
    return true;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (isForbiddenKey(key, false)) return false;
    const item = record[key];
    if (typeof item === 'object') {
      if (item !== null && !jsonOk(item, depth + 1)) return false;
    } else if (item !== undefined && !jsonLeafOk(item)) return false;
  }
  return true;
}

/** Throws `SERIALIZATION_FAILED` unless `value` survives a JSON round trip. */
export function checkJsonEncodable(value: unknown, root: string): void {
  const ok = typeof value === 'object' ? value === null || jsonOk(value, 0) : jsonLeafOk(value);
  if (!ok) throw explain(value, root, 'json', 'write');
}

// ---------------------------------------------------------------------------------------------
// MessagePack: the JSON domain plus undefined, NaN and ±Infinity, bigints, Dates and Uint8Arrays
// (Buffers included). Strings and keys must be well-formed UTF-16: a lone surrogate has no UTF-8
// form. Checking every string costs a builtin call each, a tenth of the encoding, so the fast walk
// checks only strings msgpackr writes natively (MSGPACKR_NATIVE_STRING_LENGTH and longer), which
// would turn a lone surrogate into U+FFFD without trace. msgpackr writes shorter strings in
// JavaScript, as bytes no valid UTF-8 contains (ED A0-BF); the codec looks for those in its output
// and runs the full check when it finds them (see {@link mayHoldLoneSurrogate}).

/** msgpackr writes strings at least this long with the native UTF-8 writer, shorter ones in JS. */
export const MSGPACKR_NATIVE_STRING_LENGTH = 0x40;

function msgpackStringOk(text: string, allStrings: boolean): boolean {
  return (!allStrings && text.length < MSGPACKR_NATIVE_STRING_LENGTH) || isWellFormed(text);
}

// Each `typeof` is compared with a literal where it is used: V8 turns those into inline type
// checks, while a `switch (typeof value)` calls a builtin for every value walked.
function msgpackLeafOk(value: unknown, allStrings: boolean): boolean {
  if (typeof value === 'string') return msgpackStringOk(value, allStrings);
  return typeof value !== 'function' && typeof value !== 'symbol';
}

// The walk runs on every encode. Property values and array items are checked inline (a helper
// would be recursive, which V8 does not inline), strings, the most common, first.
function msgpackOk(value: object, depth: number, allStrings: boolean): boolean {
  if (depth >= MAX_DEPTH) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (isForbiddenKey(key, true) || !msgpackStringOk(key, allStrings)) return false;
      const item = record[key];
      if (typeof item === 'string') {
        if (!msgpackStringOk(item, allStrings)) return false;
      } else if (typeof item === 'object') {
        if (item !== null && !msgpackOk(item, depth + 1, allStrings)) return false;
      } else if (typeof item === 'function' || typeof item === 'symbol') return false;
    }
    return true;
  }
  if (proto === Array.prototype) {
    const array = value as unknown[];
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      if (typeof item === 'string') {
        if (!msgpackStringOk(item, allStrings)) return false;
      } else if (typeof item === 'object') {
        if (item !== null && !msgpackOk(item, depth + 1, allStrings)) return false;
      } else if (typeof item === 'function' || typeof item === 'symbol') return false;
    }
    return true;
  }
  return isBinaryOrDate(proto);
}

/**
 * Throws `SERIALIZATION_FAILED` unless `value` survives a MessagePack round trip. With
 * `allStrings: false` (the encoder's fast walk) short strings are left to the output scan.
 */
export function checkMsgpackEncodable(value: unknown, root: string, allStrings = true): void {
  const ok = typeof value === 'object' ? value === null || msgpackOk(value, 0, allStrings) : msgpackLeafOk(value, allStrings);
  if (!ok) throw explain(value, root, 'msgpack', 'write');
}

type IndexOf = (this: Uint8Array, value: number, byteOffset: number) => number;
const indexOf = (Buffer.prototype as unknown as { indexOf: IndexOf }).indexOf;

/**
 * Whether msgpackr output `[start, end)` may hold a lone surrogate written by its JavaScript string
 * writer: the bytes ED A0-BF, which encode U+D800-DFFF and appear in no valid UTF-8. Other data
 * (a float's bytes) can contain them too; the caller then runs the full check, which decides.
 */
export function mayHoldLoneSurrogate(bytes: Uint8Array, start: number, end: number): boolean {
  let at = start - 1;
  while ((at = indexOf.call(bytes, 0xed, at + 1)) !== -1 && at < end - 1) {
    const next = bytes[at + 1] as number;
    if (next >= 0xa0 && next <= 0xbf) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Decoded values. The decoders only build plain objects, arrays, primitives and (MessagePack,
// protobuf) Dates and byte arrays from bytes this package wrote; anything else, or a forbidden key,
// came from corrupt or foreign bytes.

function decodedOk(value: object, depth: number, format: Format): boolean {
  if (depth >= MAX_DEPTH) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype) {
    const msgpack = format === 'msgpack';
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (isForbiddenKey(key, msgpack)) return false;
      const item = record[key];
      if (typeof item === 'object' && item !== null && !decodedOk(item, depth + 1, format)) return false;
    }
    return true;
  }
  if (proto === Array.prototype) {
    const array = value as unknown[];
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      if (typeof item === 'object' && item !== null && !decodedOk(item, depth + 1, format)) return false;
    }
    return true;
  }
  return format !== 'json' && isBinaryOrDate(proto);
}

/**
 * Throws `SERIALIZATION_FAILED` when a decoded value holds a forbidden key, an object kind outside
 * the format's domain, or nests deeper than {@link MAX_DEPTH}.
 */
export function checkDecoded(value: unknown, root: string, format: Format): void {
  if (typeof value === 'object' && value !== null && !decodedOk(value, 0, format)) {
    throw explain(value, root, format, 'read');
  }
}

// ---------------------------------------------------------------------------------------------
// The slow path: find the first offending value and say where it is.

function explain(value: unknown, root: string, format: Format, direction: 'write' | 'read'): SerializationError {
  const found = findProblem(value, root, 0, format, direction === 'read', new Set());
  const [path, what] = found ?? [root, 'an unsupported value'];
  if (direction === 'read') {
    return new SerializationError(`Stored ${format} data holds ${what} at ${path}`, {
      details: { path, format, reason: 'corrupt' },
    });
  }
  return new SerializationError(`Cannot serialize ${what} at ${path} with the ${format} format`, {
    details: { path, format, reason: 'unserializable' },
  });
}

function findProblem(
  value: unknown,
  path: string,
  depth: number,
  format: Format,
  decoded: boolean,
  ancestors: Set<object>,
): [string, string] | undefined {
  if (typeof value !== 'object' || value === null) {
    if (decoded) return undefined;
    const ok = format === 'json' ? value === undefined || jsonLeafOk(value) : msgpackLeafOk(value, true);
    if (ok) return undefined;
    const kind = typeof value;
    if (kind === 'string') return [path, 'a string with a lone surrogate'];
    return [path, kind === 'number' ? String(value) : `a ${kind}`];
  }
  if (ancestors.has(value)) return [path, 'a cycle'];
  if (depth >= MAX_DEPTH) return [path, `nesting deeper than ${MAX_DEPTH} levels`];
  const proto: unknown = Object.getPrototypeOf(value);
  ancestors.add(value);
  try {
    if (proto === Array.prototype) {
      const array = value as unknown[];
      for (let i = 0; i < array.length; i++) {
        const item = array[i];
        if (!decoded && format === 'json' && item === undefined) return [`${path}[${i}]`, 'undefined in an array'];
        const found = findProblem(item, `${path}[${i}]`, depth + 1, format, decoded, ancestors);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    const plain = proto === Object.prototype || (!decoded && proto === null);
    if (!plain) {
      if (format !== 'json' && isBinaryOrDate(proto)) return undefined;
      const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
      return [path, typeof name === 'string' && name.length > 0 ? `an instance of ${name}` : 'an object with a custom prototype'];
    }
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const at = `${path}.${key}`;
      if (isForbiddenKey(key, format === 'msgpack')) return [at, `the key '${key}'`];
      if (!decoded && format === 'msgpack' && !isWellFormed(key)) return [at, 'a key with a lone surrogate'];
      const item = record[key];
      if (!decoded && format === 'json' && item === undefined) continue;
      const found = findProblem(item, at, depth + 1, format, decoded, ancestors);
      if (found !== undefined) return found;
    }
    return undefined;
  } finally {
    ancestors.delete(value);
  }
}
