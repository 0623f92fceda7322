#!/usr/bin/env node
// `npm run clean`: removes build outputs of every workspace.
import { rmSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = ['packages', 'apps'].flatMap((parent) =>
  existsSync(join(root, parent)) ? readdirSync(join(root, parent)).map((name) => join(root, parent, name)) : [],
);
for (const dir of [...dirs, join(root, 'bench')]) rmSync(join(dir, 'dist'), { recursive: true, force: true });
rmSync(join(root, '.nx'), { recursive: true, force: true });
console.log('clean: removed dist/ folders');
