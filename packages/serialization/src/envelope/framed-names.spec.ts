import { describe, expect, it } from 'vitest';
import { isStrataError } from '@strata/core';
import { createInMemoryStructureStore } from '../structures/in-memory-structure-store.js';
import { createSerializer } from '../serializer/create-serializer.js';
import { readU16, readU32, writeU16, writeU32 } from '../internal/bytes.js';
import { FLAG_ASCII_NAMES, FLAG_FRAMED_NAMES, FRAMED, OFFSET_FLAGS, RECORD } from './layout.js';
import { readRecordHeader } from './record-view.js';
import { setRecordCoordinates } from './set-record-coordinates.js';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

const record = (streamId: string, id = ID, metadata?: Record<string, string>) => ({
  type: 'Deposited',
  streamId,
  id,
  version: 3,
  position: 41,
  recordedAt: 1_700_000_000_000,
  data: { amount: 12.5, note: 'rent' },
  ...(metadata === undefined ? {} : { metadata }),
});

const flagsOf = (bytes: Uint8Array): number => bytes[OFFSET_FLAGS] as number;
const isFramed = (bytes: Uint8Array): boolean => (flagsOf(bytes) & FLAG_FRAMED_NAMES) !== 0;

function expectCorrupt(decode: () => unknown): void {
  let thrown: unknown;
  try {
    decode();
  } catch (err) {
    thrown = err;
  }
  expect(isStrataError(thrown, 'SERIALIZATION_FAILED')).toBe(true);
}

/**
 * The same record in the layout without framing, as releases before framed names wrote every
 * MessagePack record: names back to back, then the payload `[data, metadata]` (or `data`).
 */
function unframed(bytes: Uint8Array): Uint8Array {
  const typeRegion = readU16(bytes, RECORD.typeLength);
  const streamIdRegion = readU16(bytes, RECORD.streamIdLength);
  const idLength = readU16(bytes, RECORD.idLength);
  const type = bytes.subarray(RECORD.fixedSize, RECORD.fixedSize + typeRegion - FRAMED.typeTail);
  const streamIdAt = RECORD.fixedSize + typeRegion;
  const streamId = bytes.subarray(streamIdAt, streamIdAt + streamIdRegion - FRAMED.streamIdTail);
  const id = bytes.subarray(streamIdAt + streamIdRegion, streamIdAt + streamIdRegion + idLength);
  const payload = bytes.subarray(streamIdAt + streamIdRegion + idLength);
  const hasMetadata = bytes[streamIdAt - FRAMED.typeTail] === FRAMED.arrayOf4;
  const out = Buffer.concat([bytes.subarray(0, RECORD.fixedSize), type, streamId, id, hasMetadata ? Buffer.from([0x92]) : Buffer.alloc(0), payload]);
  out[OFFSET_FLAGS] = flagsOf(bytes) & ~FLAG_FRAMED_NAMES;
  writeU16(out, RECORD.typeLength, type.length);
  writeU16(out, RECORD.streamIdLength, streamId.length);
  writeU32(out, RECORD.payloadLength, payload.length + (hasMetadata ? 1 : 0));
  return out;
}

describe('framed names (MessagePack records)', () => {
  const serializer = createSerializer({ format: 'msgpack', structures: createInMemoryStructureStore() });

  it.each([undefined, { userId: 'u-1' }])('frames ASCII names and decodes them from the payload (metadata %o)', (metadata) => {
    const bytes = serializer.encodeRecord(record('account-1', ID, metadata));
    expect(isFramed(bytes)).toBe(true);
    expect(flagsOf(bytes) & FLAG_ASCII_NAMES).toBe(FLAG_ASCII_NAMES);
    const typeRegion = readU16(bytes, RECORD.typeLength);
    expect(typeRegion).toBe('Deposited'.length + FRAMED.typeTail);
    expect(readU16(bytes, RECORD.streamIdLength)).toBe('account-1'.length + FRAMED.streamIdTail);
    expect(readU16(bytes, RECORD.idLength)).toBe(ID.length);
    expect(bytes[RECORD.fixedSize + typeRegion - FRAMED.typeTail]).toBe(metadata === undefined ? FRAMED.arrayOf3 : FRAMED.arrayOf4);
    const event = serializer.decodeRecord(bytes);
    expect(event).toMatchObject({ type: 'Deposited', streamId: 'account-1', id: ID, version: 3, position: 41, metadata: metadata ?? {} });
    expect(event.data).toEqual({ amount: 12.5, note: 'rent' });
    const view = readRecordHeader(bytes);
    expect([view.type, view.streamId, view.id]).toEqual(['Deposited', 'account-1', ID]);
    expect(serializer.decodeRecord(view)).toEqual(event);
  });

  it('decodes records written before framing (the layout of earlier releases)', () => {
    for (const metadata of [undefined, { userId: 'u-1' }]) {
      const framed = serializer.encodeRecord(record('account-7', ID, metadata));
      const old = unframed(framed);
      expect(isFramed(old)).toBe(false);
      expect(serializer.decodeRecord(old)).toEqual(serializer.decodeRecord(framed));
      const view = readRecordHeader(old);
      expect([view.type, view.streamId, view.id]).toEqual(['Deposited', 'account-7', ID]);
    }
  });

  it('does not frame names that are not ASCII or longer than a str 8, nor other formats', () => {
    const long = `account-${'x'.repeat(FRAMED.maxNameBytes - 'account-'.length + 1)}`;
    const edge = long.slice(0, FRAMED.maxNameBytes);
    expect(isFramed(serializer.encodeRecord(record('compte-ü')))).toBe(false);
    expect(isFramed(serializer.encodeRecord(record(long)))).toBe(false);
    expect(isFramed(serializer.encodeRecord(record(edge)))).toBe(true);
    expect(isFramed(serializer.encodeRecord(record('account-1', `${ID}${'y'.repeat(FRAMED.maxNameBytes)}`)))).toBe(false);
    for (const streamId of ['compte-ü', long, edge]) {
      expect(serializer.decodeRecord(serializer.encodeRecord(record(streamId))).streamId).toBe(streamId);
    }
    expect(isFramed(createSerializer({ format: 'json' }).encodeRecord(record('account-1')))).toBe(false);
  });

  it('keeps each record its own metadata when consecutive records share names', () => {
    const withMetadata = serializer.encodeRecord(record('account-2', ID, { userId: 'u-2' }));
    const first = serializer.encodeRecord(record('account-2'));
    const second = serializer.encodeRecord(record('account-2', ID, { userId: 'u-3' }));
    const third = serializer.encodeRecord(record('account-2'));
    expect(serializer.decodeRecord(withMetadata).metadata).toEqual({ userId: 'u-2' });
    expect(serializer.decodeRecord(first).metadata).toEqual({});
    expect(serializer.decodeRecord(second).metadata).toEqual({ userId: 'u-3' });
    expect(serializer.decodeRecord(third).metadata).toEqual({});
  });

  it('takes an event id written in place', () => {
    const bytes = serializer.encodeRecord(record('account-3'));
    const other = '00000000-0000-8000-8000-00000000002a';
    setRecordCoordinates(bytes, 42, 4, other);
    expect(serializer.decodeRecord(bytes)).toMatchObject({ streamId: 'account-3', id: other, position: 42, version: 4 });
  });

  it('refuses framing that does not match the header', () => {
    const bytes = serializer.encodeRecord(record('account-4', ID, { userId: 'u-4' }));
    const streamIdAt = RECORD.fixedSize + readU16(bytes, RECORD.typeLength);
    const idAt = streamIdAt + readU16(bytes, RECORD.streamIdLength);
    const corrupt = (offset: number, value: number): Uint8Array => {
      const copy = new Uint8Array(bytes);
      copy[offset] = value;
      return copy;
    };
    // The stream id's str 8 length, the event id's str 8 header, the array's item count.
    expectCorrupt(() => serializer.decodeRecord(corrupt(streamIdAt - 1, 'account-4'.length - 1)));
    expectCorrupt(() => serializer.decodeRecord(corrupt(idAt - 2, 0xa0)));
    expectCorrupt(() => serializer.decodeRecord(corrupt(streamIdAt - FRAMED.typeTail, FRAMED.arrayOf3)));
    // Framed names must be ASCII; a format without framing refuses the flag.
    expectCorrupt(() => serializer.decodeRecord(corrupt(OFFSET_FLAGS, flagsOf(bytes) & ~FLAG_ASCII_NAMES)));
    const json = createSerializer({ format: 'json' });
    const jsonBytes = json.encodeRecord(record('account-4'));
    jsonBytes[OFFSET_FLAGS] = flagsOf(jsonBytes) | FLAG_FRAMED_NAMES;
    expectCorrupt(() => json.decodeRecord(jsonBytes));
    expect(readU32(bytes, RECORD.payloadLength)).toBe(bytes.length - idAt - ID.length);
  });
});
