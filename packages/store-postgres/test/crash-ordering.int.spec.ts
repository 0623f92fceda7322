import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RecordedEvent } from '@strata/core';
import { createPgPool } from '@strata/pool';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { createPostgresEventStore, type PostgresEventStore } from '../src/index.js';
import { until } from './support/wait.js';

// After a crash PostgreSQL hands out again the transaction ids of transactions that ended without
// a flushed WAL record. Positions come from transaction ids, so a subscriber whose cursor passed
// those ids before the crash must still receive the events written under them afterwards.

const BURNT = 50;
let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

/** Takes `BURNT` transaction ids in transactions that write nothing; returns the first one. */
async function burnIds(): Promise<bigint> {
  const burner = createPgPool({ connectionString: server.connectionString, min: 0, max: 1, healthCheck: false, breaker: false });
  try {
    const { rows } = await burner.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
    for (let i = 1; i < BURNT; i++) await burner.query('SELECT pg_current_xact_id()');
    return BigInt(rows[0]!.xid);
  } finally {
    await burner.drain();
  }
}

/** Crashes the server and appends once it is back; returns the transaction id the append got. */
async function crashThenAppend(store: PostgresEventStore, data: number): Promise<{ position: number; xid: bigint }> {
  await server.stop({ mode: 'immediate', keepData: true });
  await server.start();
  // The pool recovers by itself; until it has, appends fail fast and are tried again.
  let result: { position: number } | undefined;
  await until(() => result !== undefined, 'an append after the restart', 30_000, async () => {
    result = await store.append('crash-1', [{ type: 'After', data }]).catch(() => undefined);
  });
  const { rows } = await store.pool.query<{ xid: string }>('SELECT tx_id::text AS xid FROM crash.events WHERE position = $1', [result!.position]);
  return { position: result!.position, xid: BigInt(rows[0]!.xid) };
}

it('delivers events written under transaction ids that a crash handed out again', async () => {
  const store = await createPostgresEventStore({
    connectionString: server.connectionString,
    schema: 'crash',
    // Idle subscriptions look at the log often, so this one reads again after the ids are burnt.
    pollIntervalMs: 10,
    poolOptions: { breaker: { resetTimeoutMs: 100, volumeThreshold: 2 }, retry: { maxAttempts: 2, baseDelayMs: 5 } },
  });
  const delivered: RecordedEvent[] = [];
  const subscription = store.subscribe({ from: 'start', handler: (e) => void delivered.push(e) });
  const before = await store.append('crash-1', [{ type: 'Before', data: 0 }]);
  await subscription.waitFor(before.position);

  // Background WAL records (a checkpoint, a snapshot of running transactions) can make PostgreSQL
  // remember the burnt ids; then the crash hands out fresh ones and proves nothing. Try again then.
  let reused = false;
  for (let attempt = 1; attempt <= 5 && !reused; attempt++) {
    const first = await burnIds();
    // Let the idle subscriber read a few more times: without protection its cursor would now jump
    // past all of those ids.
    const reads = store.pool.stats().acquisitions;
    await until(() => store.pool.stats().acquisitions >= reads + 5, 'the subscriber to read again');
    const after = await crashThenAppend(store, attempt);
    reused = after.xid < first + BigInt(BURNT);
    await subscription.waitFor(after.position);
    expect(delivered.map((e) => e.data), `attempt ${attempt}: every event delivered, in order`).toEqual(
      Array.from({ length: attempt + 1 }, (_, i) => i),
    );
  }
  expect(reused, 'a crash handed out burnt ids again').toBe(true);
  await subscription.stop();
  await store.close();
}, 180_000);
