import { createSerializer } from '@strata/serialization';
import { describe, expect, it } from 'vitest';
import { SerializerCodec } from './serializer-codec.js';

/** PostgreSQL's `encode(bytes, 'base64')`: a line break after every 76 characters. */
function postgresBase64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/.{76}(?=.)/g, '$&\n');
}

describe('SerializerCodec', () => {
  const codec = new SerializerCodec(createSerializer({ format: 'msgpack' }));
  const event = { type: 'Deposited', data: { amount: 100, note: 'x'.repeat(200) }, metadata: { userId: 'u-1' } };
  const stored = codec.encode(event).values[0] as Buffer;

  it('decodes the payload as the read function returns it (bytes) and as read statements select it (base64)', () => {
    const text = postgresBase64(stored);
    expect(text).toContain('\n');
    const fromBytes = codec.decode(['before', stored], 1);
    const fromText = codec.decode(['before', text], 1);
    expect(fromText).toEqual(fromBytes);
    expect(fromText).toMatchObject({ type: 'Deposited', data: event.data, metadata: event.metadata, schemaVersion: 1 });
  });

  it('selects the payload as base64 in read statements', () => {
    expect(codec.readTransferSql('e.')).toEqual(["encode(e.payload, 'base64')"]);
    expect(codec.readTransferSql('')).toEqual(["encode(payload, 'base64')"]);
  });
});
