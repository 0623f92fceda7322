import { isUtf8 } from 'node:buffer';
import type { EventMetadata } from '@strata/core';
import { corrupt } from '../internal/failures.js';
import { FORMAT_IDS } from './format.js';
import type { EventVersionPlan } from '../registry/event-registry.js';
import type { PayloadCodec } from './payload-codec.js';
import { checkDecoded, checkJsonEncodable } from './value-check.js';

type Utf8Slice = (this: Uint8Array, start: number, end: number) => string;
// Works on any Uint8Array, so views over an LMDB map need no Buffer wrapper.
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice: Utf8Slice }).utf8Slice;

/**
 * Writes `text` as UTF-8 after `reserve` free bytes. JSON.stringify escapes lone surrogates, so
 * its output always has an exact UTF-8 form.
 */
export function writeJsonText(text: string, reserve: number): Buffer {
  const length = Buffer.byteLength(text, 'utf8');
  const out = Buffer.allocUnsafe(reserve + length);
  out.write(text, reserve, length, 'utf8');
  return out;
}

/**
 * Reads UTF-8 JSON text. Malformed UTF-8 is refused instead of being replaced by U+FFFD, so a
 * corrupt byte in a string never decodes to a different string.
 */
export function readJsonText(bytes: Uint8Array, start: number, end: number): unknown {
  const view = bytes.subarray(start, end);
  if (!isUtf8(view)) throw corrupt('malformed UTF-8 in JSON');
  return JSON.parse(utf8Slice.call(bytes, start, end));
}

/** True for a non-null object whose prototype is Object.prototype (what JSON.parse and msgpackr build). */
export function isDecodedObject(value: unknown): value is EventMetadata {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * JSON: payloads are `JSON.stringify(data)`, or `JSON.stringify([data, metadata])` when there is
 * metadata. Readable by anything; no Dates, bigints, byte arrays or non-finite numbers.
 */
export class JsonCodec implements PayloadCodec {
  readonly format = 'json' as const;
  readonly formatId = FORMAT_IDS.json;
  readonly valueFormatId = FORMAT_IDS.json;

  encodePayload(
    _type: string,
    _version: EventVersionPlan,
    data: unknown,
    metadata: EventMetadata | undefined,
    reserve: number,
  ): Uint8Array {
    checkJsonEncodable(data, 'data');
    if (metadata === undefined) return writeJsonText(JSON.stringify(data), reserve);
    checkJsonEncodable(metadata, 'metadata');
    return writeJsonText(JSON.stringify([data, metadata]), reserve);
  }

  decodePayload(
    _type: string,
    _version: EventVersionPlan,
    bytes: Uint8Array,
    start: number,
    end: number,
    hasMetadata: boolean,
  ): readonly [unknown, EventMetadata] {
    const value = readJsonText(bytes, start, end);
    if (!hasMetadata) {
      checkDecoded(value, 'data', 'json');
      return [value, {}];
    }
    if (!Array.isArray(value) || value.length !== 2 || !isDecodedObject(value[1])) {
      throw corrupt('JSON payload is not [data, metadata]');
    }
    checkDecoded(value[0], 'data', 'json');
    checkDecoded(value[1], 'metadata', 'json');
    return value as [unknown, EventMetadata];
  }

  encodeValue(value: unknown, reserve: number): Uint8Array {
    checkJsonEncodable(value, 'value');
    return writeJsonText(JSON.stringify(value), reserve);
  }

  decodeValue(bytes: Uint8Array, start: number, end: number): unknown {
    const value = readJsonText(bytes, start, end);
    checkDecoded(value, 'value', 'json');
    return value;
  }
}
