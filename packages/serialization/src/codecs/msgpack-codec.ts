import type { EventMetadata } from '@strata/core';
import { Packr, RESERVE_START_SPACE, type Options as PackrOptions } from 'msgpackr';
import { corrupt } from '../internal/failures.js';
import type { StructureStore } from '../structures/structure-store.js';
import { structureHooks } from '../structures/structures-adapter.js';
import type { EventVersionPlan } from '../registry/event-registry.js';
import { FORMAT_IDS } from './format.js';
import { isDecodedObject } from './json-codec.js';
import type { PayloadCodec } from './payload-codec.js';
import { checkDecoded, checkMsgpackEncodable, mayHoldLoneSurrogate } from './value-check.js';

/** msgpackr can leave at most this many bytes free at the start of its output. */
const MAX_RESERVED_START = 0xff;

/** The bookkeeping msgpackr keeps on its structures array (see `#metInlineShapes`). */
type PackrStructures = unknown[] & { sharedLength?: number; restoreStructures?: unknown };

/** Options of {@link MsgpackCodec}. */
export type MsgpackCodecOptions = {
  structures: StructureStore | undefined;
  maxSharedStructures: number | undefined;
};

/**
 * MessagePack through msgpackr with the record extension: objects of one shape are written as a
 * record id plus their values, not as maps that repeat every key. With a {@link StructureStore}
 * the shapes are shared across payloads and persisted; without one every payload carries the
 * definitions of the shapes it uses, so it decodes on its own.
 *
 * Payloads are the encoding of `data`, or of `[data, metadata]` when there is metadata: one
 * `pack` call per event, written straight after the envelope header msgpackr leaves room for.
 */
export class MsgpackCodec implements PayloadCodec {
  readonly format = 'msgpack' as const;
  readonly formatId = FORMAT_IDS.msgpack;
  readonly valueFormatId = FORMAT_IDS.msgpack;
  readonly #packr: Packr;
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
    checkMsgpackEncodable(data, 'data', false);
    if (metadata === undefined) return this.#checkStrings(this.#pack(data, reserve), reserve, data, undefined);
    checkMsgpackEncodable(metadata, 'metadata', false);
    return this.#checkStrings(this.#pack([data, metadata], reserve), reserve, data, metadata);
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
    const out = this.#pack(value, reserve);
    if (mayHoldLoneSurrogate(out, reserve, out.length)) checkMsgpackEncodable(value, 'value');
    return out;
  }

  decodeValue(bytes: Uint8Array, start: number, end: number): unknown {
    const value: unknown = this.#unpack(bytes, start, end);
    if (this.#metInlineShapes()) checkDecoded(value, 'value', 'msgpack');
    return value;
  }

  /** The second half of the string check (see value-check.ts): a scan of the output. */
  #checkStrings(out: Uint8Array, reserve: number, data: unknown, metadata: EventMetadata | undefined): Uint8Array {
    if (mayHoldLoneSurrogate(out, reserve, out.length)) {
      checkMsgpackEncodable(data, 'data');
      if (metadata !== undefined) checkMsgpackEncodable(metadata, 'metadata');
    }
    return out;
  }

  #pack(value: unknown, reserve: number): Uint8Array {
    // msgpackr returns a view of its current slab; later packs write after it, never over it.
    if (reserve <= MAX_RESERVED_START) return this.#packr.pack(value, RESERVE_START_SPACE | reserve);
    const packed = this.#packr.pack(value);
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
   * The unit tests pin this behaviour of the installed msgpackr.
   */
  #metInlineShapes(): boolean {
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
    return this.#packr.unpack(bytes, range);
  }
}
