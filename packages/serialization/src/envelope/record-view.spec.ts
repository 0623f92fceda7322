import { describe, expect, it } from 'vitest';
import { createSerializer } from '../serializer/create-serializer.js';
import { createRecordView, readRecordHeader } from './record-view.js';
import { RECORD } from './layout.js';
import { codeOf } from '../../test/support/errors.js';
import { sampleRecord } from '../../test/support/events.js';

const serializer = createSerializer({ format: 'msgpack' });

describe('record view', () => {
  it('reads every header field without decoding the payload', () => {
    const record = sampleRecord({ schemaVersion: 4 });
    const view = readRecordHeader(serializer.encodeRecord(record));
    expect({
      type: view.type,
      streamId: view.streamId,
      id: view.id,
      position: view.position,
      version: view.version,
      schemaVersion: view.schemaVersion,
      recordedAt: view.recordedAt,
      recordedAtMs: view.recordedAtMs,
      format: view.format,
      hasMetadata: view.hasMetadata,
      hasChecksum: view.hasChecksum,
    }).toEqual({
      type: record.type,
      streamId: record.streamId,
      id: record.id,
      position: record.position,
      version: record.version,
      schemaVersion: 4,
      recordedAt: new Date(record.recordedAt),
      recordedAtMs: record.recordedAt,
      format: 'msgpack',
      hasMetadata: true,
      hasChecksum: false,
    });
  });

  it('is a view: the payload shares the record bytes, and reads follow them', () => {
    const bytes = serializer.encodeRecord(sampleRecord());
    const view = readRecordHeader(bytes);
    expect(view.payload.buffer).toBe(bytes.buffer);
    expect(view.payload.byteOffset).toBe(bytes.byteOffset + view.payloadOffset);
    expect(view.payloadOffset + view.payloadLength).toBe(bytes.length);
    // Overwriting the bytes (as a store reusing its read buffer would) changes what the view reads:
    // this is why a view is valid only until its buffer is reused.
    bytes[RECORD.position] = (bytes[RECORD.position] as number) + 1;
    expect(view.position).toBe(sampleRecord().position);
    expect(readRecordHeader(bytes).position).toBe(sampleRecord().position + 1);
  });

  it('caches names until it is reset to other bytes', () => {
    const first = serializer.encodeRecord(sampleRecord({ type: 'First', streamId: 'a-1' }));
    const second = serializer.encodeRecord(sampleRecord({ type: 'Second', streamId: 'b-2' }));
    const view = createRecordView();
    expect(view.reset(first).type).toBe('First');
    expect(view.reset(second).type).toBe('Second');
    expect(view.streamId).toBe('b-2');
    expect(view.reset(first).streamId).toBe('a-1');
  });

  it('empties itself when reset to bad bytes', () => {
    const view = createRecordView().reset(serializer.encodeRecord(sampleRecord()));
    expect(codeOf(() => view.reset(new Uint8Array(10)))).toBe('SERIALIZATION_FAILED');
    expect(view.bytes.length).toBe(0);
    expect(codeOf(() => view.reset('bytes' as never))).toBe('INVALID_ARGUMENT');
  });

  it.each([
    ['an empty buffer', () => new Uint8Array(0), 'record needs at least 48 bytes, got 0'],
    ['the header alone', (bytes: Uint8Array) => bytes.subarray(0, RECORD.fixedSize), 'record length does not match'],
    ['one byte short', (bytes: Uint8Array) => bytes.subarray(0, bytes.length - 1), 'record length does not match'],
    ['one byte too many', (bytes: Uint8Array) => Buffer.concat([bytes, Buffer.from([0])]), 'record length does not match'],
    ['another magic', (bytes: Uint8Array) => patch(bytes, 0, 0x00), 'not a Strata record'],
    ['an event envelope', (bytes: Uint8Array) => patch(bytes, 1, 2), 'not a Strata record'],
    ['an unknown format', (bytes: Uint8Array) => patch(bytes, 2, 9), 'unknown format id 9'],
    ['unknown flags', (bytes: Uint8Array) => patch(bytes, 3, 0x80), 'unknown flags 128'],
    ['a checksum without its flag', (bytes: Uint8Array) => patch(bytes, 4, 1), 'stray checksum'],
    [
      'schema version 0',
      (bytes: Uint8Array) => patch(patch(bytes, RECORD.schemaVersion, 0), RECORD.schemaVersion + 1, 0),
      'schema version 0',
    ],
    ['an unsafe position', (bytes: Uint8Array) => patch(bytes, RECORD.position + 7, 0xff), 'position or version out of range'],
    ['an unsafe version', (bytes: Uint8Array) => patch(bytes, RECORD.version + 7, 0xff), 'position or version out of range'],
    ['an unsafe recordedAt', (bytes: Uint8Array) => patch(bytes, RECORD.recordedAt + 6, 0x7f), 'recordedAt out of range'],
    [
      'an empty type',
      (bytes: Uint8Array) => patch(patch(bytes, RECORD.typeLength, 0), RECORD.typeLength + 1, 0),
      'empty type, stream id or event id',
    ],
    ['reserved bytes set', (bytes: Uint8Array) => patch(bytes, RECORD.reserved, 1), 'reserved header bytes are set'],
  ])('refuses %s', (_name, corrupt, reason) => {
    const bytes = corrupt(serializer.encodeRecord(sampleRecord()));
    expect(codeOf(() => readRecordHeader(bytes))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => serializer.decodeRecord(bytes))).toBe('SERIALIZATION_FAILED');
    // The header is checked in one test; the error still names the first check that failed.
    expect(() => readRecordHeader(bytes)).toThrow(reason);
  });

  it('refuses malformed UTF-8 in a name that is not marked ASCII', () => {
    const bytes = Buffer.from(serializer.encodeRecord(sampleRecord({ streamId: 'konto-ü' })));
    const view = readRecordHeader(bytes);
    // The stream id's last byte is the second byte of 'ü'; make it a lone continuation lead.
    bytes[view.payloadOffset - sampleRecord().id.length - 1] = 0xc3;
    expect(codeOf(() => readRecordHeader(bytes).streamId)).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => serializer.decodeRecord(bytes))).toBe('SERIALIZATION_FAILED');
  });
  it('reads a record in place inside a larger buffer, and decodes it from there', () => {
    const records = [
      sampleRecord({ type: 'First', streamId: 'a-1', position: 7, version: 0 }),
      sampleRecord({ type: 'Second', streamId: 'b-2', position: 8, version: 3, metadata: {} }),
      sampleRecord({ type: 'Third', streamId: 'c-3', position: 9, version: 1, id: 'ünïcode-id' }),
    ];
    const encoded = records.map((record) => serializer.encodeRecord(record));
    // Records back to back with bytes before and after, as in a store's chunk.
    const chunk = Buffer.concat([Buffer.from([1, 2, 3]), ...encoded, Buffer.from([4, 5])]);
    const view = createRecordView();
    let start = 3;
    for (const [i, bytes] of encoded.entries()) {
      const end = start + bytes.length;
      view.reset(chunk, start, end);
      expect([view.source, view.start, view.end]).toEqual([chunk, start, end]);
      expect([view.type, view.streamId, view.id, view.position]).toEqual([
        records[i]?.type,
        records[i]?.streamId,
        records[i]?.id,
        records[i]?.position,
      ]);
      expect(Buffer.from(view.bytes).equals(Buffer.from(bytes))).toBe(true);
      expect(Buffer.from(view.payload).equals(Buffer.from(readRecordHeader(bytes).payload))).toBe(true);
      expect(view.payloadOffset).toBe(readRecordHeader(bytes).payloadOffset);
      expect(serializer.decodeRecord(view)).toEqual(serializer.decodeRecord(bytes));
      start = end;
    }
  });

  it('refuses a range that is not one whole record, or lies outside the buffer', () => {
    const bytes = serializer.encodeRecord(sampleRecord());
    const chunk = Buffer.concat([bytes, bytes]);
    const view = createRecordView();
    expect(codeOf(() => view.reset(chunk, 0, bytes.length + 1))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => view.reset(chunk, 1, bytes.length + 1))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => view.reset(chunk, bytes.length, chunk.length + 1))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => view.reset(chunk, -1, bytes.length))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => view.reset(chunk, 0.5, bytes.length))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => view.reset(chunk, '0' as never, bytes.length))).toBe('INVALID_ARGUMENT');
    expect(view.bytes.length).toBe(0);
    expect(view.reset(chunk, bytes.length, chunk.length).position).toBe(sampleRecord().position);
  });
});

function patch(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[offset] = value;
  return copy;
}
