import { describe, expect, it } from 'vitest';
import { createSerializer, readRecordHeader } from '@strata/serialization';
import { GeneratedIds } from './generated-ids.js';
import { hasChecksum, payloadLengthOf, recordLengthAt, viewOf, writeCoordinates } from './record-layout.js';

// The store reads and writes a few record fields itself; these tests pin those offsets against
// the serializer's own reader, so a change of the envelope layout fails here first.
const ids = new GeneratedIds('0123456789abcde');
const serializer = createSerializer({ format: 'msgpack' });

function encode(streamId: string, id: string, data: unknown, metadata?: Record<string, unknown>): Uint8Array {
  return serializer.encodeRecord({ streamId, version: 0, position: 0, id, type: 'Deposited', data, metadata, recordedAt: 1_700_000_000_000 });
}

describe('record layout', () => {
  it('finds each record of a chunk and its payload length where the serializer put them', () => {
    const records = [encode('account-1', ids.template, { amount: 1 }), encode('kōnto-ü', 'user-id-1', { amount: 'x'.repeat(300) }, { by: 'me' })];
    const chunk = Buffer.concat(records);
    let offset = 0;
    for (const record of records) {
      const length = recordLengthAt(chunk, offset);
      expect(length).toBe(record.length);
      expect(payloadLengthOf(record)).toBe(readRecordHeader(record).payloadLength);
      expect(readRecordHeader(viewOf(chunk, offset, length)).streamId).toBe(readRecordHeader(record).streamId);
      offset += length;
    }
    expect(offset).toBe(chunk.length);
  });

  it('refuses bytes that hold no complete record', () => {
    const record = encode('account-1', ids.template, { amount: 1 });
    expect(() => recordLengthAt(record.subarray(0, record.length - 1), 0)).toThrow(expect.objectContaining({ code: 'SERIALIZATION_FAILED' }));
    expect(() => recordLengthAt(new Uint8Array(64), 0)).toThrow(expect.objectContaining({ code: 'SERIALIZATION_FAILED' }));
  });

  it('writes position, version and the generated id exactly as the serializer reads them', () => {
    for (const position of [0, 1, 255, 0xffffffff, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      const record = encode('kōnto-42', ids.template, { amount: position % 7 }, { by: 'x' });
      const chunk = Buffer.concat([Buffer.from('padding'), record]).subarray(7);
      writeCoordinates(chunk, 0, position, position % 1000, true);
      const view = readRecordHeader(chunk);
      expect([view.position, view.version, view.id]).toEqual([position, position % 1000, ids.idFor(position)]);
      expect(serializer.decodeRecord(chunk)).toMatchObject({ position, version: position % 1000, id: ids.idFor(position), data: { amount: position % 7 }, metadata: { by: 'x' } });
    }
  });

  it('leaves a caller-supplied id alone, and tells checksummed records apart', () => {
    const record = encode('account-1', 'my-own-id', { amount: 2 });
    writeCoordinates(record, 0, 12, 3, false);
    expect(readRecordHeader(record).id).toBe('my-own-id');
    expect(hasChecksum(record, 0)).toBe(false);
    const sealed = createSerializer({ format: 'msgpack', checksum: true }).encodeRecord({ streamId: 'a-1', version: 0, position: 0, id: 'x', type: 'T', data: 1, recordedAt: 0 });
    expect(hasChecksum(sealed, 0)).toBe(true);
  });
});
