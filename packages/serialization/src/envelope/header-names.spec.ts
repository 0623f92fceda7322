import { describe, expect, it } from 'vitest';
import { isStrataError } from '@strata/core';
import { createEventRegistry } from '../registry/create-event-registry.js';
import { createSerializer } from '../serializer/create-serializer.js';
import { setRecordCoordinates } from './set-record-coordinates.js';

const TEMPLATE = '00000000-0000-8000-8000-000000000000';

const record = (type: string, streamId: string, id = TEMPLATE, n = 0) => ({
  type,
  streamId,
  id,
  version: n,
  position: n,
  recordedAt: 1_700_000_000_000,
  data: { n },
});

describe('header names reused from one record to the next', () => {
  it.each(['msgpack', 'json'] as const)('writes every record with its own names, repeated or not (%s)', (format) => {
    const serializer = createSerializer({ format });
    const names: [string, string, string][] = [
      ['Opened', 'account-1', TEMPLATE],
      ['Deposited', 'account-1', TEMPLATE],
      ['Deposited', 'account-1', TEMPLATE],
      ['Deposited', 'account-1', TEMPLATE],
      ['Deposited', 'account-2', TEMPLATE],
      ['Deposited', 'account-2', TEMPLATE],
      ['Dépôt', 'compte-ü', TEMPLATE],
      ['Dépôt', 'compte-ü', TEMPLATE],
      ['Dépôt', 'compte-ü', TEMPLATE],
      ['Deposited', 'account-2', 'caller-id-1'],
      ['Deposited', 'account-2', 'caller-id-2'],
      ['Deposited', 'account-2', 'caller-id-2'],
      ['Deposited', 'account-2', 'caller-id-2'],
      ['Deposited', 'account-2', TEMPLATE],
    ];
    const encoded = names.map(([type, streamId, id], n) => serializer.encodeRecord(record(type, streamId, id, n)));
    encoded.forEach((bytes, n) => {
      const [type, streamId, id] = names[n]!;
      expect(serializer.decodeRecord(bytes)).toMatchObject({ type, streamId, id, version: n, data: { n } });
    });
  });

  it('is not changed by ids written into earlier outputs in place', () => {
    const serializer = createSerializer({ format: 'msgpack' });
    const first = serializer.encodeRecord(record('Deposited', 'account-1'));
    const second = serializer.encodeRecord(record('Deposited', 'account-1'));
    setRecordCoordinates(first, 10, 0, '00000000-0000-8000-8000-00000000000a');
    setRecordCoordinates(second, 11, 1, '00000000-0000-8000-8000-00000000000b');
    const third = serializer.encodeRecord(record('Deposited', 'account-1'));
    expect(serializer.decodeRecord(third).id).toBe(TEMPLATE);
    expect(serializer.decodeRecord(second).id).toBe('00000000-0000-8000-8000-00000000000b');
  });

  it('keeps the names of the outer record when a validator encodes another one meanwhile', () => {
    const registry = createEventRegistry();
    const serializer = createSerializer({ format: 'msgpack', registry });
    registry.register({
      type: 'Audited',
      validate: () => {
        serializer.encodeRecord(record('Nested', 'other-stream'));
        serializer.encodeRecord(record('Nested', 'other-stream'));
      },
    });
    for (let n = 0; n < 3; n++) {
      const bytes = serializer.encodeRecord(record('Audited', 'audit-1', TEMPLATE, n));
      expect(serializer.decodeRecord(bytes)).toMatchObject({ type: 'Audited', streamId: 'audit-1', id: TEMPLATE });
    }
  });

  it('still refuses bad names after good ones were cached', () => {
    const serializer = createSerializer({ format: 'msgpack' });
    serializer.encodeRecord(record('Deposited', 'account-1'));
    serializer.encodeRecord(record('Deposited', 'account-1'));
    for (const bad of [record('Deposited', 'account-\ud800'), record('', 'account-1'), record('Deposited', 'x'.repeat(70_000))]) {
      try {
        serializer.encodeRecord(bad);
        expect.unreachable();
      } catch (error) {
        expect(isStrataError(error)).toBe(true);
      }
    }
    expect(serializer.decodeRecord(serializer.encodeRecord(record('Deposited', 'account-1'))).streamId).toBe('account-1');
  });
});
