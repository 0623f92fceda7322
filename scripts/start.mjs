#!/usr/bin/env node
// `npm start`: builds the workspace and starts the example app. Until the example app exists,
// it explains what to run instead.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(root, 'apps', 'example');

if (!existsSync(join(app, 'package.json'))) {
  console.log('The example app (apps/example) is not part of this checkout yet.');
  console.log('Meanwhile:');
  console.log('  npm test        build everything and run every test suite');
  console.log('  npm run bench   run the benchmarks and regenerate docs/benchmarks.md');
  process.exit(0);
}
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync('npm', ['start', '--workspace', 'apps/example'], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
