import { ChannelNames, diagnosticsChannel, type SerializationMessage } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { createEventRegistry, createInMemoryStructureStore, createSerializer, readRecordHeader } from '../src/index.js';
import { codeOf } from './support/errors.js';
import { sampleRecord } from './support/events.js';
import { FORMATS, sampleRegistry, sampleSerializer } from './support/formats.js';

describe.each(FORMATS)('%s serializer', (format) => {
  it('round-trips a record with every field', () => {
    const serializer = sampleSerializer(format);
    const record = sampleRecord();
    const decoded = serializer.decodeRecord(serializer.encodeRecord(record));
    expect(decoded).toEqual({
      streamId: record.streamId,
      version: record.version,
      position: record.position,
      id: record.id,
      type: record.type,
      data: record.data,
      metadata: record.metadata,
      schemaVersion: 1,
      recordedAt: new Date(record.recordedAt),
    });
    expect(Object.getPrototypeOf(decoded.data)).toBe(Object.prototype);
  });

  it('takes recordedAt as a Date or as epoch ms', () => {
    const serializer = sampleSerializer(format);
    const at = new Date(Date.UTC(1969, 6, 20, 20, 17));
    expect(serializer.decodeRecord(serializer.encodeRecord(sampleRecord({ recordedAt: at }))).recordedAt).toEqual(at);
    expect(serializer.decodeRecord(serializer.encodeRecord(sampleRecord({ recordedAt: 0 }))).recordedAt).toEqual(new Date(0));
  });

  it('stores absent and empty metadata as none, and decodes it as a fresh {}', () => {
    const serializer = sampleSerializer(format);
    const withoutMetadata = serializer.encodeRecord(sampleRecord({ metadata: undefined }));
    const withEmpty = serializer.encodeRecord(sampleRecord({ metadata: {} }));
    expect(withEmpty.length).toBe(withoutMetadata.length);
    const first = serializer.decodeRecord(withoutMetadata);
    const second = serializer.decodeRecord(withoutMetadata);
    expect(first.metadata).toEqual({});
    expect(first.metadata).not.toBe(second.metadata);
    expect(readRecordHeader(withoutMetadata).hasMetadata).toBe(false);
  });

  it('keeps large positions and versions exact', () => {
    const serializer = sampleSerializer(format);
    const record = sampleRecord({ position: Number.MAX_SAFE_INTEGER, version: 2 ** 40 + 1 });
    const decoded = serializer.decodeRecord(serializer.encodeRecord(record));
    expect(decoded.position).toBe(Number.MAX_SAFE_INTEGER);
    expect(decoded.version).toBe(2 ** 40 + 1);
  });

  it('round-trips non-ASCII names', () => {
    const serializer = sampleSerializer(format);
    const record = sampleRecord({ streamId: 'konto-Łódź-😀', id: 'id-ü' });
    const decoded = serializer.decodeRecord(serializer.encodeRecord(record));
    expect(decoded.streamId).toBe('konto-Łódź-😀');
    expect(decoded.id).toBe('id-ü');
    const view = readRecordHeader(serializer.encodeRecord(record));
    expect([view.type, view.streamId, view.id]).toEqual(['MoneyDeposited', 'konto-Łódź-😀', 'id-ü']);
  });

  it('round-trips an event envelope', () => {
    const serializer = sampleSerializer(format);
    const { type, data, metadata } = sampleRecord();
    expect(serializer.decodeEvent(serializer.encodeEvent({ type, data, metadata }))).toEqual({
      type,
      data,
      metadata,
      schemaVersion: 1,
    });
  });

  it('round-trips a value envelope', () => {
    const serializer = sampleSerializer(format);
    const state = { balance: 42.5, owner: 'ada', history: [1, 2, 3], closed: false, note: null };
    expect(serializer.decodeValue(serializer.encodeValue(state))).toEqual(state);
  });

  it('decodes a record through a view without parsing it twice', () => {
    const serializer = sampleSerializer(format);
    const view = readRecordHeader(serializer.encodeRecord(sampleRecord()));
    expect(serializer.decodeRecord(view).data).toEqual(sampleRecord().data);
  });

  it('refuses bytes written in another format', () => {
    const other = FORMATS.find((candidate) => candidate !== format)!;
    const bytes = sampleSerializer(other).encodeRecord(sampleRecord());
    expect(codeOf(() => sampleSerializer(format).decodeRecord(bytes))).toBe('SERIALIZATION_FAILED');
    const event = sampleSerializer(other).encodeEvent({ type: 'MoneyDeposited', data: sampleRecord().data });
    expect(codeOf(() => sampleSerializer(format).decodeEvent(event))).toBe('SERIALIZATION_FAILED');
  });

  it('refuses records and events of other envelopes', () => {
    const serializer = sampleSerializer(format);
    const record = serializer.encodeRecord(sampleRecord());
    const event = serializer.encodeEvent({ type: 'MoneyDeposited', data: sampleRecord().data });
    expect(codeOf(() => serializer.decodeEvent(record))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => serializer.decodeRecord(event))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => serializer.decodeValue(event))).toBe('SERIALIZATION_FAILED');
  });

  it('refuses an unknown type when the registry is strict', () => {
    const serializer = sampleSerializer(format, { registry: sampleRegistry({ strict: true }) });
    expect(codeOf(() => serializer.encodeRecord(sampleRecord({ type: 'Unheard' })))).toBe('UNKNOWN_EVENT_TYPE');
    expect(codeOf(() => serializer.encodeEvent({ type: 'Unheard', data: {} }))).toBe('UNKNOWN_EVENT_TYPE');
  });

  it('refuses to read a type a strict registry no longer knows', () => {
    const lenient = sampleSerializer(format, { registry: sampleRegistry() });
    const strict = sampleSerializer(format, { registry: createEventRegistry({ strict: true }) });
    const bytes = lenient.encodeRecord(sampleRecord());
    const event = lenient.encodeEvent({ type: 'MoneyDeposited', data: sampleRecord().data });
    expect(codeOf(() => strict.decodeRecord(bytes))).toBe('UNKNOWN_EVENT_TYPE');
    expect(codeOf(() => strict.decodeEvent(event))).toBe('UNKNOWN_EVENT_TYPE');
  });

  it.each([
    ['a negative position', { position: -1 }],
    ['a fractional version', { version: 1.5 }],
    ['an unsafe position', { position: 2 ** 53 }],
    ['an empty stream id', { streamId: '' }],
    ['a lone surrogate in the id', { id: 'x\ud800' }],
    ['an invalid date', { recordedAt: new Date(Number.NaN) }],
    ['metadata that is an array', { metadata: [] as unknown as Record<string, unknown> }],
    ['schema version 0', { schemaVersion: 0 }],
  ])('refuses %s with INVALID_ARGUMENT', (_name, overrides) => {
    expect(codeOf(() => sampleSerializer(format).encodeRecord(sampleRecord(overrides)))).toBe('INVALID_ARGUMENT');
  });

  it('refuses a name longer than the header can hold', () => {
    expect(codeOf(() => sampleSerializer(format).encodeRecord(sampleRecord({ id: 'x'.repeat(70_000) })))).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('with checksums, writes them and refuses bytes without a valid one', () => {
    // One structure store: the two serializers stand for one store opened with and without the option.
    const structures = createInMemoryStructureStore();
    const sealed = sampleSerializer(format, { checksum: true, structures });
    const plain = sampleSerializer(format, { structures });
    const bytes = sealed.encodeRecord(sampleRecord());
    expect(readRecordHeader(bytes).hasChecksum).toBe(true);
    expect(sealed.decodeRecord(bytes).data).toEqual(sampleRecord().data);
    // A reader without the option still verifies a checksum that is present.
    expect(plain.decodeRecord(bytes).data).toEqual(sampleRecord().data);
    expect(codeOf(() => sealed.decodeRecord(plain.encodeRecord(sampleRecord())))).toBe('SERIALIZATION_FAILED');
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1;
    expect(codeOf(() => plain.decodeRecord(flipped))).toBe('SERIALIZATION_FAILED');
    const value = sealed.encodeValue({ a: 1 });
    expect(sealed.decodeValue(value)).toEqual({ a: 1 });
    const event = sealed.encodeEvent({ type: 'MoneyDeposited', data: sampleRecord().data });
    expect(sealed.decodeEvent(event).data).toEqual(sampleRecord().data);
  });
});

describe('createSerializer options', () => {
  it.each([
    ['no options', undefined, 'options'],
    ['an unknown format', { format: 'xml' }, 'format'],
    ['a registry that is not one', { format: 'json', registry: {} }, 'registry'],
    ['protobuf without a registry', { format: 'protobuf' }, 'registry'],
    ['structures for json', { format: 'json', structures: { load() {}, save() {} } }, 'structures'],
    ['structures that are not a store', { format: 'msgpack', structures: {} }, 'structures'],
    ['maxSharedStructures without structures', { format: 'msgpack', maxSharedStructures: 10 }, 'maxSharedStructures'],
    ['a checksum flag that is not a boolean', { format: 'json', checksum: 'yes' }, 'checksum'],
  ])('refuses %s, naming the option', (_name, options, argument) => {
    try {
      createSerializer(options as never);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { argument } });
    }
  });

  it('refuses maxSharedStructures out of range', () => {
    const structures = { load: () => undefined, save: () => true };
    expect(codeOf(() => createSerializer({ format: 'msgpack', structures, maxSharedStructures: 9000 }))).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('defaults to a non-strict registry that passes every type through', () => {
    const serializer = createSerializer({ format: 'json' });
    const decoded = serializer.decodeEvent(serializer.encodeEvent({ type: 'Anything', data: [1], schemaVersion: 7 }));
    expect(decoded).toEqual({ type: 'Anything', data: [1], metadata: {}, schemaVersion: 7 });
  });
});

describe('diagnostics', () => {
  it('publishes failed encodes and decodes on the serialization channel', () => {
    const channel = diagnosticsChannel(ChannelNames.serialization);
    const messages: SerializationMessage[] = [];
    const listener = (message: unknown): void => void messages.push(message as SerializationMessage);
    channel.subscribe(listener);
    try {
      const serializer = createSerializer({ format: 'json' });
      expect(codeOf(() => serializer.encodeEvent({ type: 'X', data: { f: () => 1 } }))).toBe('SERIALIZATION_FAILED');
      expect(codeOf(() => serializer.decodeEvent(new Uint8Array([1, 2, 3])))).toBe('SERIALIZATION_FAILED');
    } finally {
      channel.unsubscribe(listener);
    }
    expect(messages).toEqual([
      { format: 'json', operation: 'encode', failed: true, code: 'SERIALIZATION_FAILED' },
      { format: 'json', operation: 'decode', failed: true, code: 'SERIALIZATION_FAILED' },
    ]);
  });
});
