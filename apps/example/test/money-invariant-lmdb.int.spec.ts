import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { BankClient } from './support/bank-client.js';
import { startBankProcess, type BankProcess } from './support/bank-process.js';
import { runMoneyInvariant } from './support/money-invariant.js';

const TOKEN = 'lmdb-invariant-token-0123456789';
let dir: string;
let app: BankProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-bank-lmdb-'));
});

afterAll(async () => {
  await app?.kill();
  await rm(dir, { recursive: true, force: true });
});

it('keeps the money invariant over 10k concurrent transfers with a SIGKILL and restart in the middle (LMDB)', async () => {
  // 'commit' durability survives a process crash, which is what this test inflicts.
  const env = { DATA_DIR: dir, STRATA_TOKEN: TOKEN, DURABILITY: 'commit' };
  app = await startBankProcess(env);
  const client = new BankClient(app.url, TOKEN);
  await runMoneyInvariant({
    clients: [client],
    transfers: Number(process.env.BANK_TRANSFERS ?? 10_000),
    concurrency: 24,
    accounts: 24,
    crash: async () => {
      await app!.kill();
      app = await startBankProcess(env);
      client.base = app.url;
    },
  });
  const code = await app.stop();
  app = undefined;
  if (code !== 0) throw new Error(`graceful shutdown exited with ${code}`);
}, 600_000);
