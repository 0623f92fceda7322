import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { createEventRegistry } from '../registry/create-event-registry.js';
import { createSerializer } from '../serializer/create-serializer.js';
import { craftEvent, craftRecord } from '../../test/support/envelopes.js';
import { codeOf } from '../../test/support/errors.js';
import { sampleRecord } from '../../test/support/events.js';
import { MONEY_DEPOSITED_PROTO, sampleRegistry } from '../../test/support/formats.js';

const LEDGER_PROTO = `
syntax = "proto3";
package ledger;
message Entry { string account = 1; int64 cents = 2; Kind kind = 3; bytes memo = 4; repeated Line lines = 5; map<string, Line> byAccount = 6; optional string note = 7; }
message Line { string account = 1; int64 cents = 2; }
enum Kind { DEBIT = 0; CREDIT = 1; }
message EntryV2 { string account = 1; int64 cents = 2; string currency = 3; }
`;

function ledger() {
  const root = protobuf.parse(LEDGER_PROTO).root;
  const registry = createEventRegistry()
    .register({ type: 'Entry', protobuf: root.lookupType('ledger.Entry') })
    .register({ type: 'Entry', schemaVersion: 2, protobuf: root.lookupType('ledger.EntryV2') })
    .registerUpcaster({
      type: 'Entry',
      fromVersion: 1,
      upcast: (data) => {
        const { account, cents } = data as { account: string; cents: number };
        return { account, cents, currency: 'EUR' };
      },
    });
  return createSerializer({ format: 'protobuf', registry });
}

describe('protobuf format', () => {
  it('round-trips nested messages, enums, bytes, maps, 64-bit integers and optional fields', () => {
    const serializer = ledger();
    const data = {
      account: 'acc-1',
      cents: 2 ** 40 + 3,
      kind: 1,
      memo: new Uint8Array([1, 2, 3]),
      lines: [{ account: 'a', cents: 1 }],
      byAccount: { b: { account: 'b', cents: -2 } },
      note: 'hi',
    };
    const decoded = serializer.decodeEvent(serializer.encodeEvent({ type: 'Entry', data, schemaVersion: 1 }));
    expect(decoded.schemaVersion).toBe(2);
    expect(decoded.data).toEqual({ account: 'acc-1', cents: 2 ** 40 + 3, currency: 'EUR' });
  });

  it('decodes each stored version with its own schema', () => {
    const serializer = ledger();
    const v1 = serializer.encodeEvent({ type: 'Entry', data: { account: 'x', cents: 5 }, schemaVersion: 1 });
    const v2 = serializer.encodeEvent({ type: 'Entry', data: { account: 'y', cents: 6, currency: 'USD' } });
    expect(serializer.decodeEvent(v1).data).toEqual({ account: 'x', cents: 5, currency: 'EUR' });
    expect(serializer.decodeEvent(v2).data).toEqual({ account: 'y', cents: 6, currency: 'USD' });
  });

  it('fills proto3 defaults for fields that were not set, and keeps unset optional fields absent', () => {
    const registry = createEventRegistry().register({ type: 'Entry', protobuf: { proto: LEDGER_PROTO, message: 'ledger.Entry' } });
    const serializer = createSerializer({ format: 'protobuf', registry });
    const decoded = serializer.decodeEvent(serializer.encodeEvent({ type: 'Entry', data: { account: 'x' } }));
    const { memo, ...rest } = decoded.data as { memo: Uint8Array };
    expect(rest).toEqual({ account: 'x', cents: 0, kind: 0, lines: [], byAccount: {} });
    expect(memo).toBeInstanceOf(Uint8Array);
    expect(memo.length).toBe(0);
  });

  it('returns bytes fields that outlive the buffer they were read from', () => {
    const registry = createEventRegistry().register({ type: 'Entry', protobuf: { proto: LEDGER_PROTO, message: 'ledger.Entry' } });
    const serializer = createSerializer({ format: 'protobuf', registry });
    const bytes = Buffer.from(serializer.encodeEvent({ type: 'Entry', data: { memo: new Uint8Array([9, 9]) } }));
    const decoded = serializer.decodeEvent(bytes).data as { memo: Uint8Array };
    bytes.fill(0);
    expect([...decoded.memo]).toEqual([9, 9]);
  });

  it.each([
    ['a wrong field type', { accountId: 5 }],
    ['an unknown field', { accountId: 'a', extra: 1 }],
    ['an unknown nested field', { accountId: 'a', tags: ['x'], amount: 1, currency: 'EUR', approved: true, zzz: {} }],
    ['a non-object', 'text'],
  ])('refuses %s with SERIALIZATION_FAILED', (_name, data) => {
    const serializer = createSerializer({ format: 'protobuf', registry: sampleRegistry() });
    expect(codeOf(() => serializer.encodeEvent({ type: 'MoneyDeposited', data }))).toBe('SERIALIZATION_FAILED');
  });

  it('refuses unknown fields inside nested, repeated and map messages', () => {
    const serializer = ledger();
    for (const data of [
      { lines: [{ account: 'a', nope: 1 }] },
      { byAccount: { k: { account: 'a', nope: 1 } } },
    ]) {
      expect(codeOf(() => serializer.encodeEvent({ type: 'Entry', data, schemaVersion: 1 }))).toBe('SERIALIZATION_FAILED');
    }
  });

  it('refuses a type or version without a schema with UNKNOWN_EVENT_TYPE', () => {
    const serializer = createSerializer({
      format: 'protobuf',
      registry: sampleRegistry().registerUpcaster({ type: 'MoneyDeposited', fromVersion: 1, upcast: (d) => d }),
    });
    expect(codeOf(() => serializer.encodeEvent({ type: 'Unregistered', data: {} }))).toBe('UNKNOWN_EVENT_TYPE');
    // Version 2 exists through its upcaster but has no schema.
    expect(codeOf(() => serializer.encodeEvent({ type: 'MoneyDeposited', data: {} }))).toBe('UNKNOWN_EVENT_TYPE');
  });

  it('refuses malformed protobuf with SERIALIZATION_FAILED', () => {
    const serializer = createSerializer({ format: 'protobuf', registry: sampleRegistry() });
    for (const payload of [
      Buffer.from([0x0a, 0x05, 0x61]), // a string field longer than the payload
      Buffer.from([0x0f]), // wire type 7 does not exist
      Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff]), // a length varint past 32 bits
    ]) {
      expect(codeOf(() => serializer.decodeEvent(craftEvent('protobuf', payload, 'MoneyDeposited')))).toBe(
        'SERIALIZATION_FAILED',
      );
      expect(codeOf(() => serializer.decodeRecord(craftRecord({ format: 'protobuf', payload, type: 'MoneyDeposited' })))).toBe(
        'SERIALIZATION_FAILED',
      );
    }
  });

  it('refuses a metadata length beyond the payload', () => {
    const serializer = createSerializer({ format: 'protobuf', registry: sampleRegistry() });
    const payload = Buffer.from([0xff, 0, 0, 0, 0x7b, 0x7d]);
    expect(codeOf(() => serializer.decodeEvent(craftEvent('protobuf', payload, 'MoneyDeposited', true)))).toBe(
      'SERIALIZATION_FAILED',
    );
  });

  it('carries metadata as JSON and values as JSON', () => {
    const serializer = createSerializer({ format: 'protobuf', registry: sampleRegistry() });
    const record = sampleRecord();
    expect(serializer.decodeRecord(serializer.encodeRecord(record)).metadata).toEqual(record.metadata);
    expect(codeOf(() => serializer.encodeRecord(sampleRecord({ metadata: { at: new Date() } })))).toBe('SERIALIZATION_FAILED');
    expect(MONEY_DEPOSITED_PROTO).toContain('MoneyDeposited');
  });
});
