import type { EventMetadata } from '@strata/core';
import type { EventVersionPlan } from '../registry/event-registry.js';
import type { SerializationFormat } from './format.js';

/**
 * One wire format. Codecs encode into a fresh buffer that leaves `reserve` bytes free at its start,
 * so the envelope writes its header in place instead of copying the payload behind it.
 */
export interface PayloadCodec {
  readonly format: SerializationFormat;
  /** Stored in byte 2 of event and record envelopes. */
  readonly formatId: number;
  /** Stored in byte 2 of value envelopes (protobuf writes values as JSON). */
  readonly valueFormatId: number;
  /**
   * Encodes `data` of event `type` at `version`, and `metadata` when it is defined (absent or
   * empty metadata is not written at all). Throws on values outside the format's domain.
   */
  encodePayload(
    type: string,
    version: EventVersionPlan,
    data: unknown,
    metadata: EventMetadata | undefined,
    reserve: number,
  ): Uint8Array;
  /** Decodes bytes `[start, end)` written by {@link PayloadCodec.encodePayload}: `[data, metadata]`. */
  decodePayload(
    type: string,
    version: EventVersionPlan,
    bytes: Uint8Array,
    start: number,
    end: number,
    hasMetadata: boolean,
  ): readonly [unknown, EventMetadata];
  /**
   * Optional (MessagePack): encodes the payload of a record with framed names (layout.ts), like
   * {@link PayloadCodec.encodePayload}, where the byte just before `reserve` may be overwritten:
   * the envelope writes the names' framing there.
   */
  encodeFramed?(
    type: string,
    version: EventVersionPlan,
    data: unknown,
    metadata: EventMetadata | undefined,
    reserve: number,
  ): Uint8Array;
  /**
   * Decodes bytes `[start, end)` of a record with framed names, from its array header:
   * `[streamId, id, data, metadata]`, with `{}` for metadata when the record has none. The caller
   * checks the names against the header.
   */
  decodeFramed?(bytes: Uint8Array, start: number, end: number, hasMetadata: boolean): readonly [unknown, unknown, unknown, EventMetadata];
  /** Encodes a schemaless value (snapshot state, checkpoints). */
  encodeValue(value: unknown, reserve: number): Uint8Array;
  /** Decodes bytes `[start, end)` written by {@link PayloadCodec.encodeValue}. */
  decodeValue(bytes: Uint8Array, start: number, end: number): unknown;
}
