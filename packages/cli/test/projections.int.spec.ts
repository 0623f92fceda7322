import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectionRunner } from '@strata/projections';
import { createPostgresEventStore, type PostgresEventStore } from '@strata/store-postgres';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { runStrata } from './support/run-strata.js';

const CONFIG = fileURLToPath(new URL('./fixtures/projections.config.mjs', import.meta.url));
const NOT_A_CONFIG = fileURLToPath(new URL('./fixtures/not-a-config.mjs', import.meta.url));
const ACCOUNTS = 5;
let server: PostgresServer;
let store: PostgresEventStore;
let head: number;

async function balances(generation: number): Promise<Record<string, number>> {
  const { rows } = await store.pool.query<{ account: string; amount: string }>('SELECT account, amount FROM public.balances WHERE generation = $1', [generation]);
  return Object.fromEntries(rows.map((row) => [row.account, Number(row.amount)]));
}

beforeAll(async () => {
  server = await startPostgres({ fast: true });
  process.env['STRATA_CLI_TEST_PG'] = server.connectionString;
  store = await createPostgresEventStore({ connectionString: server.connectionString, schema: 'projected' });
  for (let i = 0; i < 40; i++) head = (await store.append(`account-${i % ACCOUNTS}`, [{ type: 'Deposited', data: { amount: i } }])).position;
  // The application's own runner, from the same config, projects everything once.
  const { default: config } = (await import(CONFIG)) as { default: () => Promise<Parameters<typeof createProjectionRunner>[0] & { close(): Promise<void> }> };
  const options = await config();
  const runner = createProjectionRunner(options);
  await runner.start();
  await runner.waitFor(head);
  await runner.stop();
  await options.close();
});

afterAll(async () => {
  await store?.close();
  await server?.stop();
});

const expected = (count: number): Record<string, number> => {
  const sums: Record<string, number> = {};
  for (let i = 0; i < count; i++) sums[`account-${i % ACCOUNTS}`] = (sums[`account-${i % ACCOUNTS}`] ?? 0) + i;
  return sums;
};

describe('strata projections', () => {
  it('reports positions, lag and generations without running anything', async () => {
    const run = await runStrata(['projections', 'status', '--config', CONFIG, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { head: number; projections: { name: string; position: number | null; lag: number; liveGeneration: number; sink: boolean }[] };
    expect(report.head).toBe(head);
    expect(report.projections).toEqual([
      expect.objectContaining({ name: 'balances', sink: true, position: head, lag: 0, liveGeneration: 0 }),
      expect.objectContaining({ name: 'audit', sink: false, position: head, lag: 0 }),
    ]);
    const text = await runStrata(['projections', 'status', '--config', CONFIG]);
    expect(text.stdout).toMatch(/balances\s+async\s+\d+\s+0\s+0/);
  });

  it('rebuilds a projection blue/green into a new generation and promotes it', async () => {
    // A read model that went wrong: the rebuild must recompute it from the log.
    await store.pool.query('UPDATE public.balances SET amount = -1 WHERE generation = 0');
    const before = head;
    for (let i = 40; i < 43; i++) head = (await store.append(`account-${i % ACCOUNTS}`, [{ type: 'Deposited', data: { amount: i } }])).position;
    const run = await runStrata(['projections', 'rebuild', 'balances', '--config', CONFIG, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rebuilt: 'balances', projection: { liveGeneration: 1, position: head } });
    expect(await balances(1)).toEqual(expected(43));
    expect(await balances(0)).toEqual({});
    // Only the rebuilt projection ran in the CLI: the other one is where the application left it.
    expect(await store.checkpoints.load('audit')).toBe(before);
  });

  it('fails with typed errors for an unknown projection and a module that is not a config', async () => {
    const unknown = await runStrata(['projections', 'rebuild', 'nope', '--config', CONFIG]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^INVALID_ARGUMENT: /);
    const bad = await runStrata(['projections', 'status', '--config', NOT_A_CONFIG]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^INVALID_CONFIG: /);
    const missing = await runStrata(['projections', 'status', '--config', '/does/not/exist.mjs']);
    expect(missing.stderr).toMatch(/^INVALID_CONFIG: /);
    const usage = await runStrata(['projections', 'rebuild', '--config', CONFIG]);
    expect(usage.code).toBe(2);
  });
});
