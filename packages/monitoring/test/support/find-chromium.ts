import { execFileSync } from 'node:child_process';

/**
 * The Chromium executable for browser tests: `CHROMIUM_PATH`, or the first of the usual names on
 * the PATH. Throws when there is none, so a missing browser fails the test instead of skipping it.
 */
export function findChromium(): string {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (found !== '') return found;
    } catch {
      // Not on the PATH under this name; try the next.
    }
  }
  throw new Error('Chromium not found: install it (e.g. apt-get install chromium) or set CHROMIUM_PATH');
}

/** Flags for headless Chromium in containers and CI (root needs --no-sandbox); no network use. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
