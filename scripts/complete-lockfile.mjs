#!/usr/bin/env node
// Adds lockfile entries for optional platform packages that the registry did not describe when the
// lockfile was written (nx's native binaries for other platforms). `npm ci` insists that every
// optional dependency has an entry; entries for foreign platforms are skipped at install time on
// their os/cpu/libc, so they are never fetched. Run after `npm install` changes the lockfile.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lockPath = join(root, 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));

const PLATFORM = /-(darwin|linux|win32|freebsd|android|openbsd|sunos)-(x64|arm64|arm|ia32|riscv64|ppc64|s390x)(?:-(gnu|gnueabihf|musl|msvc))?$/;
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${name}`;
    const nested = `${path}/node_modules/${name}`;
    if (lock.packages[target] || lock.packages[nested]) continue;
    const match = PLATFORM.exec(name);
    if (!match) continue;
    const [, os, cpu, abi] = match;
    const stub = { version, cpu: [cpu], license: 'MIT', optional: true, os: [os] };
    if (entry.dev) stub.dev = true;
    if (abi === 'gnu' || abi === 'gnueabihf') stub.libc = ['glibc'];
    if (abi === 'musl') stub.libc = ['musl'];
    lock.packages[target] = stub;
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: ${added} optional platform entr${added === 1 ? 'y' : 'ies'} added`);
