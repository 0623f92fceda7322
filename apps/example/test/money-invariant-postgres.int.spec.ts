import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, it } from 'vitest';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { BankClient } from './support/bank-client.js';
import { startBankProcess, type BankProcess } from './support/bank-process.js';
import { runMoneyInvariant } from './support/money-invariant.js';

const TOKEN = 'postgres-invariant-token-0123456789';
const TRANSFERS = Number(process.env.BANK_TRANSFERS ?? 10_000);
let server: PostgresServer;
let dir: string;
const apps: (BankProcess | undefined)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-bank-pg-'));
  server = await startPostgres();
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app?.kill()));
});

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('keeps the money invariant over 10k concurrent transfers with a SIGKILL and restart in the middle (PostgreSQL)', async () => {
  // Events in PostgreSQL; each node keeps its read models in a directory of its own.
  const env = { DATABASE_URL: server.connectionString, DATABASE_SCHEMA: 'bank_single', STRATA_TOKEN: TOKEN, NODE_ID: 'single', DATA_DIR: join(dir, 'single') };
  apps[0] = await startBankProcess(env);
  const client = new BankClient(apps[0].url, TOKEN);
  await runMoneyInvariant({
    clients: [client],
    transfers: TRANSFERS,
    concurrency: 24,
    accounts: 24,
    crash: async () => {
      await apps[0]!.kill();
      apps[0] = await startBankProcess(env);
      client.base = apps[0].url;
    },
  });
}, 600_000);

it('keeps the money invariant with two app processes on one PostgreSQL, one of them killed in the middle', async () => {
  const env = (node: string) => ({ DATABASE_URL: server.connectionString, DATABASE_SCHEMA: 'bank_two_nodes', STRATA_TOKEN: TOKEN, NODE_ID: node, DATA_DIR: join(dir, node) });
  // The first node creates the schema; the second opens it.
  apps[0] = await startBankProcess(env('a'));
  apps[1] = await startBankProcess(env('b'));
  const clients = [new BankClient(apps[0].url, TOKEN), new BankClient(apps[1].url, TOKEN)];
  await runMoneyInvariant({
    clients,
    transfers: Math.floor((TRANSFERS * 2) / 5),
    concurrency: 24,
    accounts: 24,
    seed: 7,
    crash: async () => {
      await apps[1]!.kill();
      apps[1] = await startBankProcess(env('b'));
      clients[1]!.base = apps[1].url;
    },
  });
}, 600_000);
