#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { COMMANDS } from '../cli/commands.js';
import { runCli } from '../cli/run-cli.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const controller = new AbortController();
let interrupts = 0;
const interrupt = (): void => {
  // A second Ctrl-C does not wait for the command to reach a safe point.
  if (++interrupts > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

process.exitCode = await runCli(process.argv.slice(2), COMMANDS, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}, version);
