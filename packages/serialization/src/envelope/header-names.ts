import { readU16 } from '../internal/bytes.js';
import { FLAG_ASCII_NAMES, FLAG_FRAMED_NAMES, OFFSET_FLAGS, RECORD } from './layout.js';

/**
 * The names (type, stream id, event id) of the last record header written, so that the next
 * record with the same names copies their bytes instead of measuring and encoding them again.
 *
 * The events of one append share their stream id and mostly their event type, and a store encodes
 * them before it knows their positions, all with the same placeholder id (generated ids are
 * written in place later): a 100-event append measures and encodes its names a few times, not
 * 100 times. A record with other names costs three string comparisons and a few field writes more.
 *
 * The bytes are copied out of the second output that holds the same names (records whose names
 * never repeat cost no copy): outputs belong to the caller, who may rewrite them (a store writes
 * generated ids into them). The measured fields are read right after {@link HeaderNamesCache.has},
 * before any other encoding can run, so a validator that encodes another record in between
 * changes nothing it uses.
 */
export class HeaderNamesCache {
  #type = '';
  #streamId = '';
  #id = '';
  /** The names' bytes, once a second record with them was written. */
  block: Uint8Array | undefined;
  typeBytes = 0;
  streamIdBytes = 0;
  idBytes = 0;
  ascii = false;
  /** Whether the record frames its names (`typeBytes` and `streamIdBytes` then count the framing). */
  framed = false;

  /** Whether `block` and the lengths hold these names. */
  has(type: string, streamId: string, id: string): boolean {
    return this.block !== undefined && streamId === this.#streamId && type === this.#type && id === this.#id;
  }

  /**
   * Remembers the names of `record`, a record envelope just written with them (its header says
   * their lengths): the second record in a row with the same names keeps a copy of their bytes.
   */
  remember(type: string, streamId: string, id: string, record: Uint8Array): void {
    const typeBytes = readU16(record, RECORD.typeLength);
    const streamIdBytes = readU16(record, RECORD.streamIdLength);
    const idBytes = readU16(record, RECORD.idLength);
    if (streamId === this.#streamId && type === this.#type && id === this.#id) {
      // A copy (a Buffer's `slice` would be a view of the caller's bytes).
      this.block = new Uint8Array(record.subarray(RECORD.fixedSize, RECORD.fixedSize + typeBytes + streamIdBytes + idBytes));
      return;
    }
    this.#type = type;
    this.#streamId = streamId;
    this.#id = id;
    this.block = undefined;
    this.typeBytes = typeBytes;
    this.streamIdBytes = streamIdBytes;
    this.idBytes = idBytes;
    this.ascii = ((record[OFFSET_FLAGS] as number) & FLAG_ASCII_NAMES) !== 0;
    this.framed = ((record[OFFSET_FLAGS] as number) & FLAG_FRAMED_NAMES) !== 0;
  }
}
