import { describe, expect, it } from 'vitest';
import { createSerializer } from '../serializer/create-serializer.js';
import { createEventRegistry } from './create-event-registry.js';
import { codeOf } from '../../test/support/errors.js';

type V1 = { amount: number };
type V2 = { amount: number; currency: string };
type V3 = { amountCents: number; currency: string };

function bankRegistry() {
  return createEventRegistry({ strict: true })
    .register({ type: 'Deposited', schemaVersion: 3 })
    .registerUpcaster({ type: 'Deposited', fromVersion: 1, upcast: (data) => ({ ...(data as V1), currency: 'EUR' }) })
    .registerUpcaster({
      type: 'Deposited',
      fromVersion: 2,
      upcast: (data) => {
        const { amount, currency } = data as V2;
        return { amountCents: Math.round(amount * 100), currency } satisfies V3;
      },
    });
}

describe('event registry', () => {
  it('knows the current version of each type', () => {
    const registry = bankRegistry().register({ type: 'Opened' });
    expect(registry.currentVersion('Deposited')).toBe(3);
    expect(registry.currentVersion('Opened')).toBe(1);
    expect(registry.has('Opened')).toBe(true);
    expect(registry.types()).toEqual(['Deposited', 'Opened']);
    expect(codeOf(() => registry.currentVersion('Closed'))).toBe('UNKNOWN_EVENT_TYPE');
  });

  it('counts an upcaster target as a version', () => {
    const registry = createEventRegistry().registerUpcaster({ type: 'Renamed', fromVersion: 1, upcast: (d) => d });
    expect(registry.currentVersion('Renamed')).toBe(2);
  });

  it('chains upcasters on read: v1 → v2 → v3', () => {
    const serializer = createSerializer({ format: 'json', registry: bankRegistry() });
    const v1 = serializer.encodeEvent({ type: 'Deposited', data: { amount: 12.34 }, schemaVersion: 1 });
    const v2 = serializer.encodeEvent({ type: 'Deposited', data: { amount: 5, currency: 'USD' }, schemaVersion: 2 });
    expect(serializer.decodeEvent(v1)).toMatchObject({ data: { amountCents: 1234, currency: 'EUR' }, schemaVersion: 3 });
    expect(serializer.decodeEvent(v2)).toMatchObject({ data: { amountCents: 500, currency: 'USD' }, schemaVersion: 3 });
  });

  it('writes the current version by default and leaves current data alone on read', () => {
    const serializer = createSerializer({ format: 'json', registry: bankRegistry() });
    const bytes = serializer.encodeEvent({ type: 'Deposited', data: { amountCents: 1, currency: 'EUR' } });
    expect(serializer.decodeEvent(bytes)).toEqual({
      type: 'Deposited',
      data: { amountCents: 1, currency: 'EUR' },
      metadata: {},
      schemaVersion: 3,
    });
  });

  it('passes the metadata and the version to upcasters', () => {
    const seen: unknown[] = [];
    const registry = createEventRegistry().registerUpcaster({
      type: 'Tagged',
      fromVersion: 1,
      upcast: (data, context) => {
        seen.push(context);
        return data;
      },
    });
    const serializer = createSerializer({ format: 'json', registry });
    serializer.decodeEvent(serializer.encodeEvent({ type: 'Tagged', data: 1, schemaVersion: 1, metadata: { by: 'ada' } }));
    expect(seen).toEqual([{ type: 'Tagged', fromVersion: 1, metadata: { by: 'ada' } }]);
  });

  it('refuses to read a version whose upcaster chain is broken', () => {
    const registry = createEventRegistry()
      .register({ type: 'Gap', schemaVersion: 3 })
      .registerUpcaster({ type: 'Gap', fromVersion: 2, upcast: (d) => d });
    const serializer = createSerializer({ format: 'json', registry });
    const v1 = serializer.encodeEvent({ type: 'Gap', data: {}, schemaVersion: 1 });
    const v2 = serializer.encodeEvent({ type: 'Gap', data: {}, schemaVersion: 2 });
    expect(codeOf(() => serializer.decodeEvent(v1))).toBe('UNKNOWN_EVENT_TYPE');
    expect(serializer.decodeEvent(v2).schemaVersion).toBe(3);
  });

  it('refuses to write or read a version newer than the current one', () => {
    const newer = createSerializer({ format: 'json', registry: createEventRegistry().register({ type: 'T', schemaVersion: 2 }) });
    const older = createSerializer({ format: 'json', registry: createEventRegistry().register({ type: 'T' }) });
    expect(codeOf(() => older.encodeEvent({ type: 'T', data: {}, schemaVersion: 2 }))).toBe('UNKNOWN_EVENT_TYPE');
    const bytes = newer.encodeEvent({ type: 'T', data: {} });
    expect(codeOf(() => older.decodeEvent(bytes))).toBe('UNKNOWN_EVENT_TYPE');
  });

  it('maps an upcaster that throws to SERIALIZATION_FAILED, keeping Strata errors', () => {
    const registry = createEventRegistry().registerUpcaster({
      type: 'Broken',
      fromVersion: 1,
      upcast: () => {
        throw new Error('bug');
      },
    });
    const serializer = createSerializer({ format: 'json', registry });
    const bytes = serializer.encodeEvent({ type: 'Broken', data: {}, schemaVersion: 1 });
    expect(codeOf(() => serializer.decodeEvent(bytes))).toBe('SERIALIZATION_FAILED');
  });

  it('runs the validator of the written version on encode', () => {
    const registry = createEventRegistry()
      .register({ type: 'Priced', validate: (data) => typeof (data as { price?: unknown }).price === 'number' })
      .register({
        type: 'Named',
        validate: (data) => {
          if (typeof (data as { name?: unknown }).name !== 'string') throw new TypeError('name must be a string');
        },
      });
    const serializer = createSerializer({ format: 'msgpack', registry });
    expect(serializer.decodeEvent(serializer.encodeEvent({ type: 'Priced', data: { price: 1 } })).data).toEqual({ price: 1 });
    expect(codeOf(() => serializer.encodeEvent({ type: 'Priced', data: { price: '1' } }))).toBe('SERIALIZATION_FAILED');
    try {
      serializer.encodeEvent({ type: 'Named', data: {} });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'SERIALIZATION_FAILED', details: { reason: 'validation' } });
      expect((error as Error).cause).toBeInstanceOf(TypeError);
    }
  });

  it('recompiles a type when a version is added later', () => {
    const registry = createEventRegistry().register({ type: 'Late' });
    const serializer = createSerializer({ format: 'json', registry });
    const v1 = serializer.encodeEvent({ type: 'Late', data: { n: 1 } });
    registry.register({ type: 'Late', schemaVersion: 2 });
    registry.registerUpcaster({ type: 'Late', fromVersion: 1, upcast: (d) => ({ ...(d as object), added: true }) });
    expect(serializer.decodeEvent(v1)).toMatchObject({ data: { n: 1, added: true }, schemaVersion: 2 });
  });

  it('answers lookups with the plan of the latest registration', () => {
    const registry = createEventRegistry();
    expect(registry.lookup('Late')).toBeUndefined();
    registry.register({ type: 'Late' });
    expect(registry.lookup('Late')?.currentVersion).toBe(1);
    registry.register({ type: 'Other' });
    registry.register({ type: 'Late', schemaVersion: 2 });
    expect(registry.lookup('Other')?.currentVersion).toBe(1);
    expect(registry.lookup('Late')?.currentVersion).toBe(2);
    expect(registry.lookup('Late')?.version(1)?.schemaVersion).toBe(1);
  });

  it('reads and writes versions far above 1', () => {
    const registry = createEventRegistry().register({ type: 'Old', schemaVersion: 70 }).register({ type: 'Old', schemaVersion: 3 });
    const plan = registry.lookup('Old');
    expect([plan?.version(3)?.schemaVersion, plan?.version(70)?.schemaVersion, plan?.version(4), plan?.version(71)]).toEqual([
      3,
      70,
      undefined,
      undefined,
    ]);
    const serializer = createSerializer({ format: 'msgpack', registry });
    const bytes = serializer.encodeEvent({ type: 'Old', schemaVersion: 70, data: { n: 1 } });
    expect(serializer.decodeEvent(bytes)).toMatchObject({ data: { n: 1 }, schemaVersion: 70 });
  });

  it.each([
    ['a duplicate version', () => createEventRegistry().register({ type: 'A' }).register({ type: 'A' })],
    [
      'a duplicate upcaster',
      () =>
        createEventRegistry()
          .registerUpcaster({ type: 'A', fromVersion: 1, upcast: (d) => d })
          .registerUpcaster({ type: 'A', fromVersion: 1, upcast: (d) => d }),
    ],
    ['an empty type', () => createEventRegistry().register({ type: '' })],
    ['a control character in the type', () => createEventRegistry().register({ type: 'A\n' })],
    ['version 0', () => createEventRegistry().register({ type: 'A', schemaVersion: 0 })],
    ['a fractional version', () => createEventRegistry().register({ type: 'A', schemaVersion: 1.5 })],
    ['a validator that is not a function', () => createEventRegistry().register({ type: 'A', validate: 1 as never })],
    ['an upcaster that is not a function', () => createEventRegistry().registerUpcaster({ type: 'A', fromVersion: 1, upcast: null as never })],
    ['a strict flag that is not a boolean', () => createEventRegistry({ strict: 'yes' as never })],
    ['a .proto that does not parse', () => createEventRegistry().register({ type: 'A', protobuf: { proto: 'message {', message: 'A' } })],
    ['a missing message', () => createEventRegistry().register({ type: 'A', protobuf: { proto: 'syntax = "proto3"; message B {}', message: 'A' } })],
    ['a protobuf option of the wrong kind', () => createEventRegistry().register({ type: 'A', protobuf: 'A' as never })],
    [
      'a protobuf field named like a prototype key',
      () =>
        createEventRegistry().register({
          type: 'A',
          protobuf: { proto: 'syntax = "proto3"; message A { string constructor = 1; }', message: 'A', keepCase: true },
        }),
    ],
  ])('refuses %s with INVALID_ARGUMENT', (_name, register) => {
    expect(codeOf(register)).toBe('INVALID_ARGUMENT');
  });
});
