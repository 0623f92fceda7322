import { describe, expect, it } from 'vitest';
import { isStrataError } from '@strata/core';
import { createSerializer } from '../serializer/create-serializer.js';
import { setRecordCoordinates } from './set-record-coordinates.js';

const record = {
  type: 'Deposited',
  streamId: 'account-1',
  id: '00000000-0000-8000-8000-000000000000',
  version: 0,
  position: 0,
  recordedAt: 1_700_000_000_000,
  data: { amount: 5 },
  metadata: { user: 'ann' },
};

describe('setRecordCoordinates', () => {
  it.each([false, true])('rewrites position, version and a same-length id (checksum %s)', (checksum) => {
    const serializer = createSerializer({ format: 'msgpack', checksum });
    const bytes = serializer.encodeRecord(record);
    setRecordCoordinates(bytes, 123_456_789_012, 41, '00000000-0000-8000-8000-00000000abcd');
    const decoded = serializer.decodeRecord(bytes);
    expect(decoded).toMatchObject({
      position: 123_456_789_012,
      version: 41,
      id: '00000000-0000-8000-8000-00000000abcd',
      type: 'Deposited',
      streamId: 'account-1',
      data: { amount: 5 },
      metadata: { user: 'ann' },
    });
  });

  it('refuses ids of another length and bad coordinates, leaving the record readable', () => {
    const serializer = createSerializer({ format: 'json' });
    const bytes = serializer.encodeRecord(record);
    for (const call of [
      () => setRecordCoordinates(bytes, 1, 1, 'short'),
      () => setRecordCoordinates(bytes, -1, 1),
      () => setRecordCoordinates(bytes, 1, 1.5),
    ]) {
      expect(() => call()).toThrow();
      try {
        call();
      } catch (error) {
        expect(isStrataError(error, 'INVALID_ARGUMENT')).toBe(true);
      }
    }
    expect(serializer.decodeRecord(bytes).data).toEqual({ amount: 5 });
  });

  it('refuses bytes that are not a record', () => {
    try {
      setRecordCoordinates(new Uint8Array(10), 1, 1);
      expect.unreachable();
    } catch (error) {
      expect(isStrataError(error, 'SERIALIZATION_FAILED')).toBe(true);
    }
  });
});
