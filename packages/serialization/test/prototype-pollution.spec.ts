import { Packr } from 'msgpackr';
import protobuf from 'protobufjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventRegistry, createInMemoryStructureStore, createSerializer } from '../src/index.js';
import { craftEvent, craftRecord, craftValue } from './support/envelopes.js';
import { codeOf, outcomeOf } from './support/errors.js';

const POLLUTING_JSON = [
  '{"__proto__": {"polluted": "yes"}}',
  '{"a": {"__proto__": {"polluted": "yes"}}}',
  '{"constructor": {"prototype": {"polluted": "yes"}}}',
  '[{"x": 1}, {"\\u005f_proto__": {"polluted": "yes"}}]',
];

function assertNotPolluted(): void {
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
}

afterEach(() => {
  delete (Object.prototype as Record<string, unknown>)['polluted'];
});

describe('prototype pollution', () => {
  it.each(POLLUTING_JSON)('JSON decoding refuses %s', (text) => {
    const serializer = createSerializer({ format: 'json' });
    const payload = Buffer.from(text);
    expect(codeOf(() => serializer.decodeRecord(craftRecord({ format: 'json', payload })))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => serializer.decodeEvent(craftEvent('json', payload)))).toBe('SERIALIZATION_FAILED');
    expect(codeOf(() => serializer.decodeValue(craftValue('json', payload)))).toBe('SERIALIZATION_FAILED');
    assertNotPolluted();
  });

  it.each(POLLUTING_JSON)('every format refuses to encode %s', (text) => {
    const data = JSON.parse(text) as unknown;
    for (const format of ['json', 'msgpack'] as const) {
      const serializer = createSerializer({ format });
      expect(codeOf(() => serializer.encodeEvent({ type: 'T', data }))).toBe('SERIALIZATION_FAILED');
      expect(codeOf(() => serializer.encodeEvent({ type: 'T', data: 1, metadata: { nested: data } }))).toBe(
        'SERIALIZATION_FAILED',
      );
    }
    assertNotPolluted();
  });

  it('MessagePack decoding refuses a record shape with a forbidden key written by another encoder', () => {
    for (const text of POLLUTING_JSON) {
      // A plain msgpackr writes the own __proto__ property JSON.parse creates, in an inline shape.
      const payload = new Packr({ useRecords: true }).pack(JSON.parse(text));
      for (const structures of [undefined, createInMemoryStructureStore()]) {
        const serializer = createSerializer({ format: 'msgpack', ...(structures ? { structures } : {}) });
        // With a store, this shares shapes under the ids the foreign payload redefines.
        serializer.encodeEvent({ type: 'T', data: { a: { b: 1 } }, metadata: { c: 1 } });
        expect(codeOf(() => serializer.decodeRecord(craftRecord({ format: 'msgpack', payload })))).toBe(
          'SERIALIZATION_FAILED',
        );
        expect(codeOf(() => serializer.decodeValue(craftValue('msgpack', payload)))).toBe('SERIALIZATION_FAILED');
      }
    }
    assertNotPolluted();
  });

  it('self-describing MessagePack refuses a map with a forbidden key written by another encoder', () => {
    const serializer = createSerializer({ format: 'msgpack' });
    for (const text of POLLUTING_JSON) {
      const payload = new Packr({ useRecords: false }).pack(JSON.parse(text));
      expect(codeOf(() => serializer.decodeEvent(craftEvent('msgpack', payload)))).toBe('SERIALIZATION_FAILED');
      expect(codeOf(() => serializer.decodeValue(craftValue('msgpack', payload)))).toBe('SERIALIZATION_FAILED');
    }
    // Its own maps decode to plain objects.
    const payload = new Packr({ useRecords: false }).pack({ a: { b: 1 } });
    const data = serializer.decodeEvent(craftEvent('msgpack', payload)).data;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(data).toEqual({ a: { b: 1 } });
    assertNotPolluted();
  });

  it('with shared structures, maps (which that encoder never writes) decode as Maps that cannot reach a prototype', () => {
    const payload = new Packr({ useRecords: false }).pack(JSON.parse('{"__proto__": {"polluted": "yes"}}'));
    const serializer = createSerializer({ format: 'msgpack', structures: createInMemoryStructureStore() });
    const data = serializer.decodeEvent(craftEvent('msgpack', payload)).data;
    expect(data).toBeInstanceOf(Map);
    expect((data as Map<string, unknown>).get('__proto__')).toBeInstanceOf(Map);
    assertNotPolluted();
  });

  it('protobuf refuses prototype keys in map fields, both ways', () => {
    const proto = 'syntax = "proto3"; message Tagged { map<string, string> tags = 1; }';
    const registry = createEventRegistry().register({ type: 'Tagged', protobuf: { proto, message: 'Tagged' } });
    const serializer = createSerializer({ format: 'protobuf', registry });
    const data = JSON.parse('{"tags": {"__proto__": "x"}}') as unknown;
    expect(codeOf(() => serializer.encodeEvent({ type: 'Tagged', data }))).toBe('SERIALIZATION_FAILED');
    const Tagged = protobuf.parse(proto).root.lookupType('Tagged');
    const writer = protobuf.Writer.create();
    // Hand-written map entry { "constructor": "x" }: field 1, length-delimited key/value message.
    writer.uint32(10).fork().uint32(10).string('constructor').uint32(18).string('x').ldelim();
    const payload = writer.finish();
    const raw = Tagged.toObject(Tagged.decode(payload)) as { tags: object };
    expect(Object.hasOwn(raw.tags, 'constructor')).toBe(true);
    expect(codeOf(() => serializer.decodeEvent(craftEvent('protobuf', payload, 'Tagged')))).toBe('SERIALIZATION_FAILED');
    assertNotPolluted();
  });

  it('decoded objects keep Object.prototype', () => {
    for (const format of ['json', 'msgpack'] as const) {
      const serializer = createSerializer({ format });
      const decoded = serializer.decodeEvent(serializer.encodeEvent({ type: 'T', data: { a: { b: [{ c: 1 }] } } }));
      const data = decoded.data as { a: { b: { c: number }[] } };
      expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(data.a)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(data.a.b[0])).toBe(Object.prototype);
      expect(outcomeOf(() => structuredClone(data))).toBe('ok');
    }
  });
});
