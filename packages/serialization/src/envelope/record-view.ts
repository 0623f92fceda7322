import { InvalidArgumentError } from '@strata/core';
import { formatName, type SerializationFormat } from '../codecs/format.js';
import { typeNames } from '../internal/name-cache.js';
import { FLAG_ASCII_NAMES, FLAG_CHECKSUM, FLAG_METADATA, RECORD } from './layout.js';
import { parseRecordHeader, readName, streamIdEnd, typeEnd } from './record-header.js';

const EMPTY = new Uint8Array(0);

/**
 * A lazy, zero-copy view of one encoded record: it reads the header fields straight from the
 * bytes it was given and never decodes the payload. Use it to filter or locate events by type,
 * stream, version or position without paying for their data, then pass it to
 * `serializer.decodeRecord(view)` for the ones you want.
 *
 * **Lifetime.** The view does not copy the bytes. It is valid only as long as they are not
 * changed: a buffer that a store reuses (lmdb-js `getBinaryFast`, a range iterator's current
 * value, a pooled read buffer) invalidates the view at the next read that reuses it. Values
 * returned by the getters (strings, numbers, Dates, decoded data) are copies and stay valid; the
 * {@link RecordView.payload} view shares the bytes' lifetime. {@link RecordView.reset} points the
 * view at new bytes, so a scan can use one view for every record.
 *
 * The header is checked when the view is reset (lengths, magic, known format and flags); names
 * are decoded on first access and cached until the next reset. Names a record marks as ASCII are
 * sliced without UTF-8 decoding; others are decoded strictly (malformed UTF-8 is refused). The
 * checksum, when the record has one, is verified by `decodeRecord`, not by the view.
 */
export class RecordView {
  // The record is bytes [#start, #end) of #bytes; every offset below is an offset in #bytes.
  #bytes: Uint8Array = EMPTY;
  #start = 0;
  #end = 0;
  #formatId = 0;
  #flags = 0;
  #schemaVersion = 0;
  #position = 0;
  #version = 0;
  #recordedAtMs = 0;
  #streamIdStart = 0;
  #idStart = 0;
  #payloadStart = 0;
  #type: string | undefined;
  #streamId: string | undefined;
  #id: string | undefined;

  /**
   * Points the view at the record in bytes `[start, end)` of `bytes` (by default all of them: one
   * whole record) and checks its header. A scan over records stored back to back points the view
   * at each in turn without making a view of each (no allocation per record). Throws
   * `SERIALIZATION_FAILED` for bytes that are not a complete record; the view is then empty.
   */
  reset(bytes: Uint8Array, start = 0, end = bytes.length): this {
    this.#bytes = EMPTY;
    this.#start = this.#end = 0;
    this.#type = this.#streamId = this.#id = undefined;
    if (!Number.isInteger(start) || !Number.isInteger(end)) {
      throw new InvalidArgumentError('range', 'expected integer start and end offsets');
    }
    const header = parseRecordHeader(bytes, start, end);
    this.#formatId = header.formatId;
    this.#flags = header.flags;
    this.#schemaVersion = header.schemaVersion;
    this.#position = header.position;
    this.#version = header.version;
    this.#recordedAtMs = header.recordedAtMs;
    this.#streamIdStart = header.streamIdStart;
    this.#idStart = header.idStart;
    this.#payloadStart = header.payloadStart;
    this.#bytes = bytes;
    this.#start = start;
    this.#end = end;
    return this;
  }

  /**
   * The bytes of the record: the bytes given to {@link RecordView.reset} when the record is all of
   * them, else a view of its part of them (made on each call).
   */
  get bytes(): Uint8Array {
    return this.#start === 0 && this.#end === this.#bytes.length ? this.#bytes : this.#bytes.subarray(this.#start, this.#end);
  }

  /** The bytes given to {@link RecordView.reset}: the record is `[start, end)` of them. */
  get source(): Uint8Array {
    return this.#bytes;
  }

  /** Where the record starts in {@link RecordView.source}. */
  get start(): number {
    return this.#start;
  }

  /** Where the record ends in {@link RecordView.source}. */
  get end(): number {
    return this.#end;
  }

  /** The format of the payload. */
  get format(): SerializationFormat {
    return formatName(this.#formatId) as SerializationFormat;
  }

  /** The stored format id (byte 2). */
  get formatId(): number {
    return this.#formatId;
  }

  /** The header flags (byte 3). */
  get flags(): number {
    return this.#flags;
  }

  /** Whether the record carries metadata (records without it decode to `{}`). */
  get hasMetadata(): boolean {
    return (this.#flags & FLAG_METADATA) !== 0;
  }

  /** Whether the record carries a CRC-32. */
  get hasChecksum(): boolean {
    return (this.#flags & FLAG_CHECKSUM) !== 0;
  }

  /** The schema version the payload was written with (before upcasting). */
  get schemaVersion(): number {
    return this.#schemaVersion;
  }

  /** The global position. */
  get position(): number {
    return this.#position;
  }

  /** The version in its stream. */
  get version(): number {
    return this.#version;
  }

  /** When the event was recorded, in ms since the epoch. */
  get recordedAtMs(): number {
    return this.#recordedAtMs;
  }

  /** When the event was recorded (a new Date per call). */
  get recordedAt(): Date {
    return new Date(this.#recordedAtMs);
  }

  /** The event type; decoded on first access. */
  get type(): string {
    if (this.#type === undefined) {
      // Framed names (always ASCII) end with their framing.
      this.#type = this.#ascii()
        ? typeNames.decode(this.#bytes, this.#start + RECORD.fixedSize, typeEnd(this.#flags, this.#streamIdStart))
        : readName(this.#bytes, this.#start + RECORD.fixedSize, this.#streamIdStart, 'type');
    }
    return this.#type;
  }

  /** The stream id; decoded on first access. */
  get streamId(): string {
    return (this.#streamId ??= readName(this.#bytes, this.#streamIdStart, streamIdEnd(this.#flags, this.#idStart), 'stream id', this.#ascii()));
  }

  /** The event id; decoded on first access. */
  get id(): string {
    return (this.#id ??= readName(this.#bytes, this.#idStart, this.#payloadStart, 'event id', this.#ascii()));
  }

  /** Offset of the payload in {@link RecordView.bytes}. */
  get payloadOffset(): number {
    return this.#payloadStart - this.#start;
  }

  /** Length of the payload in bytes. */
  get payloadLength(): number {
    return this.#end - this.#payloadStart;
  }

  /**
   * The payload bytes: a view sharing the record's lifetime, not a copy. In a record with framed
   * names (flag bit 3, see the layout in the README) they are the last items of the MessagePack
   * array that starts at the end of the type region, not a value of their own.
   */
  get payload(): Uint8Array {
    return this.#bytes.subarray(this.#payloadStart, this.#end);
  }

  #ascii(): boolean {
    return (this.#flags & FLAG_ASCII_NAMES) !== 0;
  }
}

/**
 * Reads the header of an encoded record without decoding its payload (see {@link RecordView} for
 * how long the view is valid). Throws `SERIALIZATION_FAILED` for truncated or corrupt bytes.
 */
export function readRecordHeader(bytes: Uint8Array): RecordView {
  return new RecordView().reset(bytes);
}

/** An empty {@link RecordView} to {@link RecordView.reset} over each record of a scan. */
export function createRecordView(): RecordView {
  return new RecordView();
}
