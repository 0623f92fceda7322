#!/usr/bin/env node
import { parseTopArgs, TOP_USAGE } from '../top/parse-top-args.js';
import { runStrataTop } from '../top/run-strata-top.js';

const ALT_SCREEN_ON = '\x1b[?1049h\x1b[?25l';
const ALT_SCREEN_OFF = '\x1b[?25h\x1b[?1049l';

let args;
try {
  args = parseTopArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`strata-top: ${error instanceof Error ? error.message : String(error)}\n\n${TOP_USAGE}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(TOP_USAGE);
  process.exit(0);
}

const controller = new AbortController();
const fullScreen = process.stdout.isTTY && !args.once;
const restore = (): void => {
  if (fullScreen) process.stdout.write(ALT_SCREEN_OFF);
};
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());
if (fullScreen) process.stdout.write(ALT_SCREEN_ON);
try {
  await runStrataTop({ url: args.url, once: args.once, signal: controller.signal, ...(args.color === undefined ? {} : { color: args.color }) });
  restore();
} catch (error) {
  restore();
  process.stderr.write(`strata-top: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
