import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ChannelNames, isStrataError, type StrataErrorCode } from '@strata/core';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { createPgPool, type PgPool, type PoolMessage } from '../src/index.js';

let server: PostgresServer;
let pool: PgPool;

beforeAll(async () => {
  server = await startPostgres({ fast: true });
  pool = createPgPool({
    connectionString: server.connectionString,
    name: 'guarded',
    min: 2,
    max: 4,
    acquireTimeoutMs: 2_000,
    breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, windowMs: 1_000, resetTimeoutMs: 200 },
    retry: { maxAttempts: 1 },
    healthCheck: { intervalMs: 100 },
  });
  await pool.ready;
});

afterAll(async () => {
  await pool?.drain();
  await server?.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `SELECT 1` until `stop` says so; returns the codes of the failures on the way. */
async function queryUntil(stop: (outcome: StrataErrorCode | 'ok') => boolean, what: string): Promise<StrataErrorCode[]> {
  const codes: StrataErrorCode[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    let outcome: StrataErrorCode | 'ok' = 'ok';
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      if (!isStrataError(error)) throw error;
      outcome = error.code;
      codes.push(error.code);
    }
    if (stop(outcome)) return codes;
    await pause(5);
  }
}

it('opens on a server outage, fails fast while open, half-opens and closes again once the server is back', async () => {
  const messages: PoolMessage[] = [];
  const onMessage = (message: unknown) => void messages.push(message as PoolMessage);
  subscribe(ChannelNames.pool, onMessage);
  let reconnects = 0;
  const notifications: string[] = [];
  const listener = await pool.listen('breaker_test', (payload) => notifications.push(payload), { onReconnect: () => reconnects++ });
  try {
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);

    await server.stop({ mode: 'immediate', keepData: true });
    const duringOutage = await queryUntil((outcome) => outcome === 'CIRCUIT_OPEN', 'the breaker to open');
    expect(new Set(duringOutage)).toEqual(new Set([...duringOutage.filter((c) => c === 'STORE_FAILURE'), 'CIRCUIT_OPEN']));
    expect(pool.breakerState).toBe('open');
    const rejected = pool.stats().rejected;
    await expect(pool.query('SELECT 1')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(pool.stats().rejected).toBe(rejected + 1);

    await server.start();
    await queryUntil((outcome) => outcome === 'ok', 'a query to succeed after the restart');
    expect(pool.breakerState).toBe('closed');
    const transitions = messages.filter((m) => m.pool === 'guarded' && m.event === 'breaker').map((m) => m.breaker);
    expect(transitions[0]).toBe('open');
    expect(transitions.at(-1)).toBe('closed');
    expect(transitions).toContain('halfOpen');
    expect(pool.stats().breakerTransitions).toMatchObject({ open: transitions.filter((t) => t === 'open').length, closed: 1 });

    // The listening connection came back on its own and delivers again.
    for (let i = 0; i < 400 && !listener.listening; i++) await pause(10);
    expect(listener.listening).toBe(true);
    expect(reconnects).toBeGreaterThanOrEqual(1);
    await pool.query("SELECT pg_notify('breaker_test', 'back')");
    for (let i = 0; i < 200 && notifications.length === 0; i++) await pause(5);
    expect(notifications).toEqual(['back']);
    // The health check has brought the pool back to min.
    for (let i = 0; i < 200 && pool.stats().total < 2; i++) await pause(10);
    expect(pool.stats().total).toBeGreaterThanOrEqual(2);
  } finally {
    unsubscribe(ChannelNames.pool, onMessage);
    await listener.close();
  }
}, 120_000);
