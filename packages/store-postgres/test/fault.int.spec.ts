import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isStrataError, type StrataErrorCode, type RecordedEvent } from '@strata/core';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { createPostgresEventStore, type PostgresEventStore } from '../src/index.js';
import { tick, until } from './support/wait.js';

// Durable settings (the default): an acknowledged append must survive an immediate shutdown.
let server: PostgresServer;
let store: PostgresEventStore;

beforeAll(async () => {
  server = await startPostgres();
  store = await createPostgresEventStore({
    connectionString: server.connectionString,
    schema: 'fault',
    poolOptions: {
      min: 2,
      max: 6,
      acquireTimeoutMs: 2_000,
      breaker: { volumeThreshold: 5, errorThresholdPercentage: 50, windowMs: 1_000, resetTimeoutMs: 200 },
      retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
      healthCheck: { intervalMs: 200 },
    },
  });
});

afterAll(async () => {
  await store?.close();
  await server?.stop();
});

const OUTAGE_CODES = new Set<StrataErrorCode>(['CIRCUIT_OPEN', 'STORE_FAILURE', 'POOL_TIMEOUT']);
const CYCLES = 3;

it(`survives ${CYCLES} immediate shutdowns under sustained appends: fails fast, recovers by itself, keeps every acknowledged append`, async () => {
  const acknowledged = new Map<string, string>();
  const errors = new Map<string, number>();
  const unexpected: unknown[] = [];
  let running = true;

  const delivered: RecordedEvent[] = [];
  const subscription = store.subscribe({ from: 'start', handler: (event) => void delivered.push(event) });

  const workers = Array.from({ length: 4 }, async (_, w) => {
    while (running) {
      const id = randomUUID();
      try {
        await store.append(`load-${w}`, [{ type: 'Loaded', data: { w }, id }]);
        acknowledged.set(id, `load-${w}`);
      } catch (error) {
        const code = isStrataError(error) ? error.code : undefined;
        if (code === undefined || !OUTAGE_CODES.has(code)) unexpected.push(error);
        else errors.set(code, (errors.get(code) ?? 0) + 1);
        await tick(1);
      }
    }
  });

  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const healthy = acknowledged.size;
    await until(() => acknowledged.size >= healthy + 25, `appends before outage ${cycle}`);
    const opened = store.pool.stats().breakerTransitions.open;
    const rejected = errors.get('CIRCUIT_OPEN') ?? 0;
    await server.stop({ mode: 'immediate', keepData: true });
    await until(
      () => store.pool.stats().breakerTransitions.open > opened && (errors.get('CIRCUIT_OPEN') ?? 0) > rejected,
      `the breaker opening in outage ${cycle}`,
    );
    // While it is open a call fails at once, without reaching the server.
    if (store.pool.breakerState === 'open') {
      await expect(store.append('probe-1', [{ type: 'Probe', data: null }])).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    }
    const beforeRestart = acknowledged.size;
    await server.start();
    await until(() => acknowledged.size >= beforeRestart + 25, `appends after restart ${cycle}`);
  }

  running = false;
  await Promise.all(workers);
  expect(unexpected, 'only outage errors while the server was down').toEqual([]);
  expect(errors.get('CIRCUIT_OPEN') ?? 0).toBeGreaterThan(0);
  const stats = store.pool.stats();
  expect(stats.breakerTransitions.open).toBeGreaterThanOrEqual(CYCLES);
  expect(stats.breakerTransitions.closed).toBeGreaterThanOrEqual(CYCLES);
  expect(store.pool.breakerState).toBe('closed');

  const stored = new Map<string, RecordedEvent>();
  for await (const event of store.readAll()) stored.set(event.id, event);
  const missing = [...acknowledged.keys()].filter((id) => !stored.has(id));
  expect(missing, 'every acknowledged append is stored').toEqual([]);
  for (let w = 0; w < 4; w++) {
    const versions: number[] = [];
    for await (const event of store.readStream(`load-${w}`)) versions.push(event.version);
    expect(versions, `load-${w} versions are gapless`).toEqual(versions.map((_, i) => i));
  }

  // The subscription waited out every outage and missed nothing.
  await subscription.waitFor(await store.headPosition());
  await subscription.stop();
  expect(delivered.map((e) => e.id)).toEqual([...stored.keys()]);
}, 240_000);
