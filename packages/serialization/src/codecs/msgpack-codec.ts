import type { EventMetadata } from '@strata/core';
import { Packr, RESERVE_START_SPACE, type Options as PackrOptions } from 'msgpackr';
import { corrupt } from '../internal/failures.js';
import type { StructureStore } from '../structures/structure-store.js';
import { structureHooks } from '../structures/structures-adapter.js';
import type { EventVersionPlan } from '../registry/event-registry.js';
import { FORMAT_IDS } from './format.js';
import { isDecodedObject } from './json-codec.js';
import type { PayloadCodec } from './payload-codec.js';
import { repeatsShapes } from './repeats-shapes.js';
import { checkDecoded, checkMsgpackEncodable, mayHoldLoneSurrogate } from './value-check.js';

/** msgpackr can leave at most this many bytes free at the start of its output. */
const MAX_RESERVED_START = 0xff;

/** MessagePack's header of a 2-item array. */
const FIXARRAY_2 = 0x92;

/** The bookkeeping msgpackr keeps on its structures array (see `#metInlineShapes`). */
type PackrStructures = unknown[] & { sharedLength?: number; restoreStructures?: unknown };

/** Options of {@link MsgpackCodec}. */
export type MsgpackCodecOptions = {
  structures: StructureStore | undefined;
  maxSharedStructures: number | undefined;
};

/**
 * MessagePack through msgpackr. With a {@link StructureStore}, objects are records: a record id
 * plus their values, the shapes shared across payloads and persisted, so no payload repeats a key.
 *
 * Without one, every payload must decode on its own. Objects are then written as maps, except in
 * payloads with an array of several objects (see `repeatsShapes`), which are written as records
 * defined inline: there a shape's keys are written once, not once per item. A record defined
 * inline costs the same bytes as a map for an object written once, but decodes at about half the
 * speed (msgpackr parses the definition and builds a reader for it on every payload). Both kinds
 * of payload are decoded by the same unpacker, so the choice is free to change between versions.
 *
 * Payloads are the encoding of `data`, or of `[data, metadata]` when there is metadata: one
 * `pack` call per event, written straight after the envelope header msgpackr leaves room for.
 */
export class MsgpackCodec implements PayloadCodec {
  readonly format = 'msgpack' as const;
  readonly formatId = FORMAT_IDS.msgpack;
  readonly valueFormatId = FORMAT_IDS.msgpack;
  /** Writes records (shared ones with a structure store) and, with a structure store, reads. */
  readonly #packr: Packr;
  /** Without a structure store: writes maps and reads every payload; `undefined` with one. */
  readonly #plain: Packr | undefined;
  // Reused for every unpack call: msgpackr reads it before decoding and keeps no reference.
  readonly #range = { start: 0, end: 0 };

  constructor(options: MsgpackCodecOptions) {
    const packrOptions: PackrOptions = {
      useRecords: true,
      // Decoded byte arrays must not be views of the source: stores hand us buffers they reuse.
      copyBuffers: true,
      // Bigints beyond 64 bits round-trip instead of throwing.
      useBigIntExtension: true,
    };
    if (options.structures !== undefined) {
      Object.assign(packrOptions, structureHooks(options.structures));
      if (options.maxSharedStructures !== undefined) packrOptions.maxSharedStructures = options.maxSharedStructures;
      this.#plain = undefined;
    } else {
      // Maps decode to plain objects with this one (a record-writing packr decodes them to `Map`s);
      // it reads inline records as well.
      this.#plain = new Packr({ ...packrOptions, useRecords: false, mapsAsObjects: true });
    }
    this.#packr = new Packr(packrOptions);
  }

  encodePayload(
    _type: string,
    _version: EventVersionPlan,
    data: unknown,
    metadata: EventMetadata | undefined,
    reserve: number,
  ): Uint8Array {
    return this.#encodeItems(data, metadata, reserve, reserve);
  }

  encodeFramed(
    _type: string,
    _version: EventVersionPlan,
    data: unknown,
    metadata: EventMetadata | undefined,
    reserve: number,
  ): Uint8Array {
    // The pair's array header lands on the byte before the payload, which the envelope overwrites
    // with the names' framing: what follows is data then metadata, two items of the names' array.
    return this.#encodeItems(data, metadata, reserve, reserve - 1);
  }

  decodeFramed(bytes: Uint8Array, start: number, end: number, hasMetadata: boolean): readonly [unknown, unknown, unknown, EventMetadata] {
    const value: unknown = this.#unpack(bytes, start, end);
    if (!Array.isArray(value) || value.length !== (hasMetadata ? 4 : 3) || (hasMetadata && !isDecodedObject(value[3]))) {
      throw corrupt('MessagePack payload is not [streamId, id, data, metadata]');
    }
    if (this.#metInlineShapes()) {
      checkDecoded(value[2], 'data', 'msgpack');
      if (hasMetadata) checkDecoded(value[3], 'metadata', 'msgpack');
    }
    if (!hasMetadata) value.push({});
    return value as unknown as [unknown, unknown, unknown, EventMetadata];
  }

  decodePayload(
    _type: string,
    _version: EventVersionPlan,
    bytes: Uint8Array,
    start: number,
    end: number,
    hasMetadata: boolean,
  ): readonly [unknown, EventMetadata] {
    const value: unknown = this.#unpack(bytes, start, end);
    const check = this.#metInlineShapes();
    if (!hasMetadata) {
      if (check) checkDecoded(value, 'data', 'msgpack');
      return [value, {}];
    }
    if (!Array.isArray(value) || value.length !== 2 || !isDecodedObject(value[1])) {
      throw corrupt('MessagePack payload is not [data, metadata]');
    }
    if (check) {
      checkDecoded(value[0], 'data', 'msgpack');
      checkDecoded(value[1], 'metadata', 'msgpack');
    }
    return value as [unknown, EventMetadata];
  }

  encodeValue(value: unknown, reserve: number): Uint8Array {
    checkMsgpackEncodable(value, 'value', false);
    const out = this.#pack(value, reserve, this.#records(value));
    if (mayHoldLoneSurrogate(out, reserve, out.length)) checkMsgpackEncodable(value, 'value');
    return out;
  }

  decodeValue(bytes: Uint8Array, start: number, end: number): unknown {
    const value: unknown = this.#unpack(bytes, start, end);
    if (this.#metInlineShapes()) checkDecoded(value, 'value', 'msgpack');
    return value;
  }

  /** `data`, or `[data, metadata]` written from `pairAt`, after `reserve` bytes (see encodeFramed). */
  #encodeItems(data: unknown, metadata: EventMetadata | undefined, reserve: number, pairAt: number): Uint8Array {
    checkMsgpackEncodable(data, 'data', false);
    if (metadata === undefined) return this.#checkStrings(this.#pack(data, reserve, this.#records(data)), reserve, data, undefined);
    checkMsgpackEncodable(metadata, 'metadata', false);
    // The pair is not a repeated shape; what it holds may be.
    const records = this.#records(data) || this.#records(metadata);
    const out = this.#pack([data, metadata], pairAt, records);
    if (pairAt < reserve && out[pairAt] !== FIXARRAY_2) throw new Error('msgpackr did not start the pair with a fixarray header');
    return this.#checkStrings(out, reserve, data, metadata);
  }

  /** The second half of the string check (see value-check.ts): a scan of the output. */
  #checkStrings(out: Uint8Array, reserve: number, data: unknown, metadata: EventMetadata | undefined): Uint8Array {
    if (mayHoldLoneSurrogate(out, reserve, out.length)) {
      checkMsgpackEncodable(data, 'data');
      if (metadata !== undefined) checkMsgpackEncodable(metadata, 'metadata');
    }
    return out;
  }

  /** Whether `value` is written as records: always with a structure store, else when it repeats shapes. */
  #records(value: unknown): boolean {
    return this.#plain === undefined || repeatsShapes(value);
  }

  #pack(value: unknown, reserve: number, records: boolean): Uint8Array {
    const packr = records ? this.#packr : (this.#plain as Packr);
    // msgpackr returns a view of its current slab; later packs write after it, never over it.
    if (reserve <= MAX_RESERVED_START) return packr.pack(value, RESERVE_START_SPACE | reserve);
    const packed = packr.pack(value);
    const out = Buffer.allocUnsafe(reserve + packed.length);
    out.set(packed, reserve);
    return out;
  }

  /**
   * Whether the last unpack built objects from record shapes other than the shared ones. Decoded
   * objects get their keys from record shapes; shared shapes were checked when loaded from the
   * structure store (structures-adapter.ts), so a payload that uses only those cannot hold a
   * forbidden key and skips the decoded-value walk (value-check.ts), which would cost more than
   * all the header decoding. msgpackr keeps the shapes a payload defines inline in its
   * `structures` array past `sharedLength` (it truncates them before every unpack), and marks a
   * payload that redefined a shared shape through `restoreStructures`. Shapes defined under
   * negative ids escape both marks; msgpackr never writes those, only hand-made bytes can, and
   * their objects still cannot reach a prototype (msgpackr reads `__proto__` as `__proto_`).
   * The unit tests pin this behaviour of the installed msgpackr. Without a structure store there
   * are no shared shapes, and every decoded value is walked.
   */
  #metInlineShapes(): boolean {
    if (this.#plain !== undefined) return true;
    const structures = (this.#packr as unknown as { structures?: PackrStructures }).structures;
    if (structures === undefined) return true;
    if (structures.restoreStructures !== undefined) {
      structures.restoreStructures = undefined;
      return true;
    }
    return structures.length > (structures.sharedLength ?? 0);
  }

  #unpack(bytes: Uint8Array, start: number, end: number): unknown {
    // msgpackr treats `end: 0` as "to the end of the buffer".
    if (start >= end) throw corrupt('empty MessagePack payload');
    const range = this.#range;
    range.start = start;
    range.end = end;
    return (this.#plain ?? this.#packr).unpack(bytes, range);
  }
}
