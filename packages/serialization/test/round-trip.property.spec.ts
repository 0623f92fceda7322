import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInMemoryStructureStore, createSerializer, type Serializer } from '../src/index.js';
import { hasForbiddenKey, jsonValue, metadataValue, moneyDeposited, msgpackValue, name } from './support/arbitraries.js';
import { codeOf } from './support/errors.js';
import { sampleSerializer } from './support/formats.js';

/** Byte arrays decode as Buffers (a Uint8Array subclass); compare contents, not classes. */
function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: [...value] };
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalize(item)]));
  }
  return value;
}

function roundTrips(serializer: Serializer, data: unknown, metadata: Record<string, unknown>): void {
  const msgpack = serializer.format !== 'json';
  if (hasForbiddenKey(data, msgpack) || hasForbiddenKey(metadata, msgpack)) {
    expect(codeOf(() => serializer.encodeEvent({ type: 'T', data, metadata }))).toBe('SERIALIZATION_FAILED');
    return;
  }
  const event = serializer.decodeEvent(serializer.encodeEvent({ type: 'T', data, metadata }));
  expect(normalize(event.data)).toEqual(normalize(data));
  expect(event.metadata).toEqual(metadata);
  const record = serializer.decodeRecord(
    serializer.encodeRecord({ type: 'T', data, metadata, streamId: 's-1', id: 'e', version: 0, position: 0, recordedAt: 0 }),
  );
  expect(normalize(record.data)).toEqual(normalize(data));
  expect(normalize(serializer.decodeValue(serializer.encodeValue(data)))).toEqual(normalize(data));
}

describe('round trips', () => {
  it('JSON: every JSON value', () => {
    const serializer = createSerializer({ format: 'json' });
    fc.assert(fc.property(jsonValue, metadataValue, (data, metadata) => roundTrips(serializer, data, metadata)), {
      numRuns: 300,
    });
  });

  it('MessagePack with shared structures: JSON values, Dates, bytes, bigints, undefined, NaN', () => {
    const serializer = createSerializer({ format: 'msgpack', structures: createInMemoryStructureStore(), maxSharedStructures: 64 });
    fc.assert(fc.property(msgpackValue, metadataValue, (data, metadata) => roundTrips(serializer, data, metadata)), {
      numRuns: 300,
    });
  });

  it('MessagePack with self-describing payloads', () => {
    const serializer = createSerializer({ format: 'msgpack' });
    fc.assert(fc.property(msgpackValue, metadataValue, (data, metadata) => roundTrips(serializer, data, metadata)), {
      numRuns: 300,
    });
  });

  it('MessagePack: a reopened serializer reads what an earlier one wrote', () => {
    const store = createInMemoryStructureStore();
    const writer = createSerializer({ format: 'msgpack', structures: store });
    fc.assert(
      fc.property(fc.array(msgpackValue, { minLength: 1, maxLength: 10 }), (values) => {
        const clean = values.filter((value) => !hasForbiddenKey(value));
        const encoded = clean.map((data) => writer.encodeEvent({ type: 'T', data }));
        const reader = createSerializer({ format: 'msgpack', structures: store });
        expect(encoded.map((bytes) => normalize(reader.decodeEvent(bytes).data))).toEqual(clean.map(normalize));
      }),
      { numRuns: 100 },
    );
  });

  it('protobuf: every message of the schema', () => {
    const serializer = sampleSerializer('protobuf');
    fc.assert(
      fc.property(moneyDeposited, metadataValue, (data, metadata) => {
        if (hasForbiddenKey(metadata)) return;
        const event = serializer.decodeEvent(serializer.encodeEvent({ type: 'MoneyDeposited', data, metadata }));
        expect(event.data).toEqual(data);
        expect(event.metadata).toEqual(metadata);
      }),
      { numRuns: 300 },
    );
  });

  it.each(['json', 'msgpack', 'protobuf'] as const)('%s: record coordinates and names', (format) => {
    const serializer = sampleSerializer(format);
    fc.assert(
      fc.property(
        name,
        name,
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
        fc.integer({ min: 1, max: 2 ** 32 - 1 }),
        (streamId, id, position, version, recordedAt, schemaVersion) => {
          const data = { accountId: 'a', amount: 1, currency: 'EUR', approved: true, tags: [] };
          // protobuf needs the registered type and version; the others pass any type through.
          const [type, written] = format === 'protobuf' ? ['MoneyDeposited', 1] : ['Unregistered', schemaVersion];
          const record = { type, data, streamId, id, position, version, recordedAt, schemaVersion: written };
          const decoded = serializer.decodeRecord(serializer.encodeRecord(record));
          expect(decoded).toEqual({ ...record, metadata: {}, recordedAt: new Date(recordedAt) });
        },
      ),
      { numRuns: 200 },
    );
  });
});
