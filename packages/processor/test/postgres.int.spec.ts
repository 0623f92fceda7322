import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { createPostgresEventStore, postgresStoreDescriptor } from '@strata/store-postgres';
import { createProcessor } from '../dist/index.js';
import { AGGREGATES, codeOf, readAll } from './support/helpers.js';

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres({ fast: true });
});

afterAll(async () => {
  await server?.stop();
});

it('runs commands on the PostgreSQL store from worker threads, in order, with conflicts retried', async () => {
  const descriptor = postgresStoreDescriptor({ connectionString: server.connectionString, schema: 'processor_test' });
  const processor = await createProcessor({ store: descriptor, aggregates: AGGREGATES, workers: 2, stealing: { minBacklog: 2, busyAbove: 0, idleBelow: 1 } });
  const store = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'processor_test' });
  try {
    const streams = Array.from({ length: 20 }, (_, i) => `counter-${i}`);
    const all = [];
    for (let round = 0; round < 10; round++) {
      for (const stream of streams) all.push(processor.execute('counter', stream, { type: 'add', amount: round + 1, seq: round }));
    }
    const results = await Promise.all(all);
    expect(results.every((r) => r.position >= 0)).toBe(true);
    // A write around the processor: its cached state is stale and the next command must retry.
    await store.append('counter-0', [{ type: 'Added', data: { amount: 1000, seq: -1 } }], { expectedVersion: 9 });
    const retried = await processor.execute('counter', 'counter-0', { type: 'add', amount: 1, seq: 10 });
    expect(retried.nextExpectedVersion).toBe(11);
    expect(retried.events).toEqual([{ type: 'Added', data: { amount: 1, seq: 10, before: 1055 } }]);
    expect(await codeOf(processor.execute('counter', 'counter-1', { type: 'reject' }))).toBe('COMMAND_REJECTED');
    for (const stream of streams.slice(1)) {
      const events = await readAll(store, stream);
      expect(events.map((e) => (e.data as { seq: number }).seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(events.map((e) => (e.data as { before: number }).before)).toEqual([0, 1, 3, 6, 10, 15, 21, 28, 36, 45]);
    }
  } finally {
    await processor.close();
    await store.close();
  }
});
