import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { createSerializer } from '../serializer/create-serializer.js';
import { createInMemoryStructureStore } from './in-memory-structure-store.js';
import type { Structures, StructureStore } from './structure-store.js';
import { codeOf, outcomeOf } from '../../test/support/errors.js';
import { sampleRecord } from '../../test/support/events.js';

/** A store that persists structures as JSON text, as a database would keep bytes. */
function textStore(): StructureStore & { text: string | undefined } {
  return {
    text: undefined,
    load() {
      return this.text === undefined ? undefined : (JSON.parse(this.text) as Structures);
    },
    save(structures, isCompatible) {
      if (!isCompatible(this.load())) return false;
      this.text = JSON.stringify(structures);
      return true;
    },
  };
}

describe('shared structures', () => {
  it('are saved when a new shape is met, and a reopened serializer decodes the old bytes', () => {
    const store = textStore();
    const first = createSerializer({ format: 'msgpack', structures: store });
    const bytes = first.encodeRecord(sampleRecord());
    expect(store.text).toBeDefined();
    const reopened = createSerializer({ format: 'msgpack', structures: store });
    expect(reopened.decodeRecord(bytes)).toEqual(first.decodeRecord(bytes));
  });

  it('may be persisted with msgpackr from inside save, as a database adapter does', () => {
    // lmdb-js encodes what it stores with msgpackr: save then packs while the serializer packs.
    const codec = new Packr({ useRecords: false });
    let stored: Uint8Array | undefined;
    const store: StructureStore = {
      load: () => (stored === undefined ? undefined : (codec.unpack(stored) as Structures)),
      save: (structures, isCompatible) => {
        if (!isCompatible(store.load())) return false;
        stored = Buffer.from(codec.pack(structures));
        return true;
      },
    };
    const writer = createSerializer({ format: 'msgpack', structures: store });
    const records = [sampleRecord(), sampleRecord({ data: { other: [1, { nested: true }] } })];
    const encoded = records.map((record) => writer.encodeRecord(record));
    const reader = createSerializer({ format: 'msgpack', structures: store });
    expect(encoded.map((bytes) => reader.decodeRecord(bytes).data)).toEqual(records.map((record) => record.data));
  });

  it('make records smaller than self-describing ones', () => {
    const shared = createSerializer({ format: 'msgpack', structures: createInMemoryStructureStore() });
    const inline = createSerializer({ format: 'msgpack' });
    shared.encodeRecord(sampleRecord());
    expect(shared.encodeRecord(sampleRecord()).length).toBeLessThan(inline.encodeRecord(sampleRecord()).length);
  });

  it('are needed to decode: bytes written with them fail cleanly without them', () => {
    const bytes = createSerializer({ format: 'msgpack', structures: createInMemoryStructureStore() }).encodeRecord(
      sampleRecord(),
    );
    expect(codeOf(() => createSerializer({ format: 'msgpack' }).decodeRecord(bytes))).toBe('SERIALIZATION_FAILED');
  });

  it('without a store, every payload carries its own shapes and decodes anywhere', () => {
    const bytes = createSerializer({ format: 'msgpack' }).encodeRecord(sampleRecord());
    expect(createSerializer({ format: 'msgpack' }).decodeRecord(bytes).data).toEqual(sampleRecord().data);
  });

  it('stay consistent when two writers share a store', () => {
    const store = createInMemoryStructureStore();
    const a = createSerializer({ format: 'msgpack', structures: store });
    const b = createSerializer({ format: 'msgpack', structures: store });
    const fromA = a.encodeEvent({ type: 'A', data: { left: 1, right: 2 } });
    const fromB = b.encodeEvent({ type: 'B', data: { up: 'x', down: 'y' } });
    const fromA2 = a.encodeEvent({ type: 'C', data: { inner: { deep: true } } });
    const reader = createSerializer({ format: 'msgpack', structures: store });
    expect(reader.decodeEvent(fromA).data).toEqual({ left: 1, right: 2 });
    expect(reader.decodeEvent(fromB).data).toEqual({ up: 'x', down: 'y' });
    expect(reader.decodeEvent(fromA2).data).toEqual({ inner: { deep: true } });
    expect(a.decodeEvent(fromB).data).toEqual({ up: 'x', down: 'y' });
  });

  it('beyond maxSharedStructures are written inline and still decode', () => {
    const store = createInMemoryStructureStore();
    const serializer = createSerializer({ format: 'msgpack', structures: store, maxSharedStructures: 2 });
    const shapes = Array.from({ length: 6 }, (_, i) => ({ [`field${i}`]: i, other: 'x' }));
    const encoded = shapes.map((data) => serializer.encodeEvent({ type: 'Shape', data }));
    expect(store.load()?.length).toBe(2);
    const reader = createSerializer({ format: 'msgpack', structures: store, maxSharedStructures: 2 });
    expect(encoded.map((bytes) => reader.decodeEvent(bytes).data)).toEqual(shapes);
  });

  it('refuses a store holding more structures than allowed', () => {
    const store = createInMemoryStructureStore(Array.from({ length: 40 }, (_, i) => [`k${i}`]));
    expect(codeOf(() => createSerializer({ format: 'msgpack', structures: store }))).toBe('INVALID_ARGUMENT');
    expect(outcomeOf(() => createSerializer({ format: 'msgpack', structures: store, maxSharedStructures: 64 }))).toBe('ok');
  });

  it('refuses corrupt stored structures', () => {
    const corrupt = (value: unknown): StructureStore => ({ load: () => value as Structures, save: () => true });
    expect(codeOf(() => createSerializer({ format: 'msgpack', structures: corrupt('nope') }))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => createSerializer({ format: 'msgpack', structures: corrupt([[1]]) }))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => createSerializer({ format: 'msgpack', structures: corrupt([['__proto__']]) }))).toBe(
      'SERIALIZATION_FAILED',
    );
  });

  it('maps a failing store to SERIALIZATION_FAILED and leaves the serializer usable', () => {
    let fail = true;
    const inner = createInMemoryStructureStore();
    const flaky: StructureStore = {
      load: () => inner.load(),
      save: (structures, isCompatible) => {
        if (fail) throw new Error('disk full');
        return inner.save(structures, isCompatible);
      },
    };
    const serializer = createSerializer({ format: 'msgpack', structures: flaky });
    expect(codeOf(() => serializer.encodeRecord(sampleRecord()))).toBe('SERIALIZATION_FAILED');
    fail = false;
    const bytes = serializer.encodeRecord(sampleRecord());
    expect(createSerializer({ format: 'msgpack', structures: inner }).decodeRecord(bytes).data).toEqual(sampleRecord().data);
  });

  it('hand the store copies, and the in-memory store keeps frozen ones', () => {
    const store = createInMemoryStructureStore();
    createSerializer({ format: 'msgpack', structures: store }).encodeEvent({ type: 'T', data: { a: 1 } });
    const stored = store.load()!;
    expect(Object.isFrozen(stored)).toBe(true);
    expect(Object.isFrozen(stored[0])).toBe(true);
    expect(store.saves).toBe(1);
    expect(codeOf(() => createInMemoryStructureStore([[1]] as never))).toBe('INVALID_ARGUMENT');
  });
});
