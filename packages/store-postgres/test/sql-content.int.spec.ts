import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@strata/core';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { createPostgresEventStore, type PayloadFormat, type PostgresEventStore } from '../src/index.js';

// Content that would break string-built SQL. The store sends every value as a parameter, so all
// of it must come back byte for byte and the schema must be untouched.
const NASTY = [
  "'; DROP TABLE events; --",
  'Robert"); DROP TABLE streams;--',
  '$1 $2 $$ $fn$ dollar',
  '\\x00\\\\ back\\slash',
  '%s %d %% percent',
  '/* comment */ -- line',
  "O'Reilly \"quoted\" `tick`",
  'semi;colon, NULL, null, \'\'',
  '{"json":"lookalike"}',
  '{array,literal}',
  'ünïcödé 😀 — ✓',
];

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres({ fast: true });
});

afterAll(async () => {
  await server?.stop();
});

async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe.each<PayloadFormat>(['msgpack', 'jsonb'])('SQL-significant content, %s payloads', (format) => {
  let store: PostgresEventStore;

  beforeAll(async () => {
    store = await createPostgresEventStore({ connectionString: server.connectionString, schema: `nasty_${format}`, format });
  });

  afterAll(async () => {
    await store?.close();
  });

  it('stores stream ids, types, ids, data and metadata verbatim', async () => {
    for (const [i, text] of NASTY.entries()) {
      const stream = `nasty-${text}`;
      const data = { text, [text]: text, list: [text, { [text]: [text] }] };
      const metadata = { note: text, [text]: i };
      const type = `Type ${text}`.slice(0, 200);
      const id = `id ${text}`;
      await store.append(stream, [{ type, data, metadata, id }], { expectedVersion: 'no_stream' });
      const [read] = await collect(store.readStream(stream));
      expect(read, text).toMatchObject({ streamId: stream, type, id, data, metadata, version: 0 });
      const byType = await collect(store.readAll({ filter: { types: [type] } }));
      expect(byType.map((e) => e.id), `filter by type ${text}`).toEqual([id]);
      await store.setStreamMetadata(stream, { owner: text });
      expect((await store.streamInfo(stream))?.metadata).toEqual({ owner: text });
      await store.snapshots.save({ streamId: stream, aggregate: text, stateSchemaVersion: 1, version: 0, state: { text } });
      expect((await store.snapshots.load(stream, text, 1))?.state).toEqual({ text });
      await store.checkpoints.save(text, i);
      expect(await store.checkpoints.load(text)).toBe(i);
    }
    expect(await collect(store.readAll())).toHaveLength(NASTY.length);
    const tables = await store.pool.query<{ count: string }>(
      "SELECT count(*) AS count FROM information_schema.tables WHERE table_schema = $1",
      [store.schema],
    );
    expect(Number(tables.rows[0]!.count), 'every table is still there').toBe(7);
  });

  it('refuses a retry with SQL-significant content that differs, and accepts the same content again', async () => {
    const stream = "retry-'; DELETE FROM events; --";
    const event = { type: "It's", data: { q: "'" }, id: "retry-id-'" };
    const first = await store.append(stream, [event]);
    expect(await store.append(stream, [event])).toEqual(first);
    await expect(store.append(stream, [{ ...event, data: { q: '"' } }])).rejects.toMatchObject({ code: 'DUPLICATE_EVENT' });
  });
});

describe('what jsonb cannot hold', () => {
  it('refuses a NUL character with SERIALIZATION_FAILED and stores nothing; the binary format keeps it', async () => {
    const jsonb = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'nul_jsonb', format: 'jsonb' });
    const binary = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'nul_msgpack' });
    try {
      const data = { text: 'a\u0000b' };
      await expect(jsonb.append('nul-1', [{ type: 'T', data }])).rejects.toMatchObject({ code: 'SERIALIZATION_FAILED' });
      expect(await jsonb.streamInfo('nul-1')).toBeUndefined();
      await binary.append('nul-1', [{ type: 'T', data }]);
      expect((await collect(binary.readStream('nul-1')))[0]?.data).toEqual(data);
    } finally {
      await jsonb.close();
      await binary.close();
    }
  });
});
