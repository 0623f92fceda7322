/**
 * Byte layout of the envelopes every Strata serializer writes. All integers are little-endian.
 *
 * Every envelope starts with the same 8-byte prefix:
 *
 * | offset | size | field                                                                  |
 * |-------:|-----:|------------------------------------------------------------------------|
 * | 0      | 1    | magic `0xC1` (a byte MessagePack never uses and UTF-8 never starts with) |
 * | 1      | 1    | layout: 1 record, 2 event, 3 value                                     |
 * | 2      | 1    | format of the payload: 1 JSON, 2 MessagePack, 3 Protocol Buffers       |
 * | 3      | 1    | flags: bit 0 metadata present, bit 1 checksum present, bit 2 ASCII names, bit 3 framed names (records) |
 * | 4      | 4    | CRC-32 of bytes 0-3 and 8-end when bit 1 is set, else 0                |
 *
 * The rest of each layout is described beside its offsets below.
 */

/** First byte of every envelope. */
export const MAGIC = 0xc1;

export const LAYOUT_RECORD = 1;
export const LAYOUT_EVENT = 2;
export const LAYOUT_VALUE = 3;

export const FLAG_METADATA = 0b01;
export const FLAG_CHECKSUM = 0b10;
/** Every name in the header is ASCII: readers slice them without UTF-8 decoding. */
export const FLAG_ASCII_NAMES = 0b100;
/**
 * Records only, always with {@link FLAG_ASCII_NAMES} and a MessagePack payload: the stream id and
 * event id are also the first two items of the MessagePack array the payload completes (see
 * {@link FRAMED}), so the one unpack call that decodes the payload decodes them too.
 */
export const FLAG_FRAMED_NAMES = 0b1000;
export const KNOWN_FLAGS = FLAG_METADATA | FLAG_CHECKSUM | FLAG_ASCII_NAMES | FLAG_FRAMED_NAMES;

export const OFFSET_LAYOUT = 1;
export const OFFSET_FORMAT = 2;
export const OFFSET_FLAGS = 3;
export const OFFSET_CHECKSUM = 4;
export const PREFIX_SIZE = 8;

/**
 * Record layout (the value of a store's log), after the prefix:
 *
 * | offset | size | field                                        |
 * |-------:|-----:|----------------------------------------------|
 * | 8      | 4    | payload length in bytes                      |
 * | 12     | 4    | schema version of the payload                |
 * | 16     | 8    | global position (safe integer)               |
 * | 24     | 8    | stream version (safe integer)                |
 * | 32     | 8    | recordedAt, ms since the epoch (signed)      |
 * | 40     | 2    | type length in bytes                         |
 * | 42     | 2    | stream id length in bytes                    |
 * | 44     | 2    | event id length in bytes                     |
 * | 46     | 2    | reserved, 0                                  |
 * | 48     | …    | type, stream id, event id (UTF-8), payload   |
 *
 * Fixed-width numbers come first so a reader gets position and version with a few byte reads and
 * no parsing; names follow so a reader decodes only the ones it asks for.
 */
export const RECORD = {
  payloadLength: 8,
  schemaVersion: 12,
  position: 16,
  version: 24,
  recordedAt: 32,
  typeLength: 40,
  streamIdLength: 42,
  idLength: 44,
  reserved: 46,
  fixedSize: 48,
} as const;

/**
 * Framed names (flag bit 3). The header's lengths and the regions they delimit are as above, so a
 * reader that only skips records (a store's chunk walk, the event id written in place) needs
 * nothing else; only what the type and stream-id regions hold differs. From the end of the type to
 * the end of the record, the bytes are one MessagePack array: `[streamId, id, data]`, or
 * `[streamId, id, data, metadata]` with the metadata flag.
 *
 * | region    | content                                                                  |
 * |-----------|--------------------------------------------------------------------------|
 * | type      | the type (ASCII), then the array header: `0x93` (3 items) or `0x94` (4 items), then `0xD9` and the stream id's length n (str 8) |
 * | stream id | the stream id (ASCII), then `0xD9` and the event id's length m (str 8)   |
 * | event id  | the event id (ASCII)                                                     |
 * | payload   | the encoding of `data`, then of `metadata` when present                  |
 *
 * The type and stream-id length fields count the framing (3 and 2 bytes), so a stream id or event
 * id of more than 255 bytes is never framed. The event-id region holds the id alone, so it can be
 * written in place.
 */
export const FRAMED = {
  /** Bytes of framing at the end of the type region. */
  typeTail: 3,
  /** Bytes of framing at the end of the stream-id region. */
  streamIdTail: 2,
  arrayOf3: 0x93,
  arrayOf4: 0x94,
  str8: 0xd9,
  /** Longest framed stream id or event id (a str 8 length). */
  maxNameBytes: 0xff,
} as const;

/**
 * Event layout (a self-describing event without store coordinates), after the prefix:
 *
 * | offset | size | field                               |
 * |-------:|-----:|-------------------------------------|
 * | 8      | 4    | payload length in bytes             |
 * | 12     | 4    | schema version of the payload       |
 * | 16     | 2    | type length in bytes                |
 * | 18     | 2    | reserved, 0                         |
 * | 20     | …    | type (UTF-8), payload               |
 */
export const EVENT = {
  payloadLength: 8,
  schemaVersion: 12,
  typeLength: 16,
  reserved: 18,
  fixedSize: 20,
} as const;

/** Value layout (snapshots, checkpoints): the prefix, then the encoded value to the end. */
export const VALUE = { fixedSize: PREFIX_SIZE } as const;

/** Longest name (type, stream id, event id) in UTF-8 bytes: its length must fit two bytes. */
export const MAX_NAME_BYTES = 0xffff;
/** Largest payload: its length must fit four bytes. */
export const MAX_PAYLOAD_BYTES = 0xffffffff;
