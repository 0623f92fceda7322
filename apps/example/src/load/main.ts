#!/usr/bin/env node
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.js';
import { startBank, type RunningBank } from '../app/start-bank.js';
import { formatReport, runLoad } from './run-load.js';

// `npm run load`: drives traffic at the bank given by --url (or BANK_URL), or at one started here
// on a throwaway LMDB store, and prints throughput and latency percentiles.
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    duration: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32' },
    accounts: { type: 'string', default: '200' },
    hot: { type: 'string', default: '5' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`usage: npm run load -- [--url http://127.0.0.1:3000 --token <STRATA_TOKEN>] [--duration 20] [--concurrency 32] [--accounts 200] [--hot 5]
Without --url (or BANK_URL), starts a bank on a temporary LMDB store for the run.`);
  process.exit(0);
}

function positive(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    console.error(`--${name} must be a positive integer`);
    process.exit(2);
  }
  return value;
}

const durationSeconds = positive('duration', values.duration);
const concurrency = positive('concurrency', values.concurrency);
const accounts = positive('accounts', values.accounts);
const hotAccounts = positive('hot', values.hot);
let url = values.url ?? process.env.BANK_URL;
let token = values.token ?? process.env.STRATA_TOKEN;
let bank: RunningBank | undefined;
let dir: string | undefined;
if (url === undefined) {
  dir = await mkdtemp(join(tmpdir(), 'strata-bank-load-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dir, PORT: '0', DATABASE_URL: '' });
  bank = await startBank(config);
  url = bank.url;
  token = config.token;
  console.error(`started a bank at ${url} (dashboard: ${url}/dashboard)`);
}
if (token === undefined) {
  console.error('pass --token or set STRATA_TOKEN to the token the bank printed at startup');
  process.exit(2);
}
try {
  const report = await runLoad({ url, token, durationSeconds, concurrency, accounts, hotAccounts });
  console.log(formatReport(report));
} finally {
  await bank?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}
