#!/usr/bin/env node
// `tsc` writes every file 0644; the packages' command-line entry points (their package.json `bin`)
// must be executable for `npx strata` and `npx strata-top` to run them.
import { chmodSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
for (const parent of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, parent))) {
    const manifest = join(root, parent, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
    const entries = typeof bin === 'string' ? [bin] : Object.values(bin ?? {});
    for (const entry of entries) {
      const file = join(root, parent, name, entry);
      if (existsSync(file)) chmodSync(file, 0o755);
    }
  }
}
