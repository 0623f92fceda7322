#!/usr/bin/env node
import { loadConfig, type BankConfig } from './config/load-config.js';
import { startBank } from './app/start-bank.js';

// `npm start`: the sample bank on the embedded LMDB store (or PostgreSQL with DATABASE_URL).
function fail(error: unknown): never {
  const code = (error as { code?: unknown }).code;
  console.error(`The bank could not start: ${error instanceof Error ? error.message : String(error)}${typeof code === 'string' ? ` (${code})` : ''}`);
  process.exit(1);
}

let config: BankConfig;
try {
  config = loadConfig();
} catch (error) {
  fail(error);
}
if (config.tokenGenerated) {
  console.log('STRATA_TOKEN is not set: commands need a bearer token, so one was generated for this session.');
  console.log(`  export STRATA_TOKEN=${config.token}`);
  console.log('Set STRATA_TOKEN (16+ printable characters) to choose your own.');
}
const bank = await startBank(config).catch(fail);
console.log(`Strata sample bank listening on ${bank.url}`);
console.log(`  events: ${config.databaseUrl === undefined ? `LMDB in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}; commands: ${bank.bus.kind}; read models: ${bank.readSide.kind}`);
console.log(`  dashboard ${bank.url}/dashboard · metrics ${bank.url}/metrics · health ${bank.url}/health`);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) {
    console.log(`${signal} again: exiting now`);
    process.exit(1);
  }
  stopping = true;
  console.log(`${signal}: draining requests and closing the store…`);
  bank.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('shutdown failed:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
