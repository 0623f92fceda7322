import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A fresh temporary directory and its removal. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `strata-lmdb-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** The `code` of an error, for asserting codes rather than messages. */
export function codeOf(reason: unknown): string | undefined {
  return (reason as { code?: string } | undefined)?.code;
}

/** The error a promise (or a function's promise or throw) fails with; fails when it succeeds. */
export async function failureOf(action: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

/**
 * Waits until `condition` holds, checking every few milliseconds, and fails after `limitMs`. For
 * changes that arrive asynchronously by design (another process's commits); the limit only bounds
 * a broken test, it is not what the test asserts.
 */
export async function eventually(condition: () => boolean | Promise<boolean>, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The URL of the built package, for worker threads and child processes (which run plain Node and
 * cannot load the TypeScript sources). Build before testing: `npx tsc -b packages/store-lmdb`.
 */
export function builtPackageUrl(): string {
  const path = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} is missing: build the package first (npx tsc -b packages/store-lmdb)`);
  return pathToFileURL(path).href;
}

/** A fixture script's path. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** A small seeded random number generator (xorshift32), so failures can be replayed. */
export function seededRandom(seed: number): (below: number) => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return (below) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % below;
  };
}
