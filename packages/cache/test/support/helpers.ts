import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A clock the test moves by hand. */
export type FakeClock = { (): number; advance(ms: number): void; now: number };

export function fakeClock(start = 1_700_000_000_000): FakeClock {
  const clock = (() => clock.now) as FakeClock;
  clock.now = start;
  clock.advance = (ms: number) => {
    clock.now += ms;
  };
  return clock;
}

/** A promise with its resolve and reject in hand. */
export type Deferred<T> = { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void };

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued promise continuation and one real event-loop turn run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Resolves after a timer turn. lmdb-js keeps one read snapshot per event-loop turn (renewed by a
 * zero-delay timer), so another instance's L2 writes become visible to reads after this.
 */
export function nextSnapshot(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}

/** A fresh temporary directory and its removal. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `strata-cache-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The `code` of an error, for asserting codes rather than messages. */
export function codeOf(reason: unknown): string | undefined {
  return (reason as { code?: string } | undefined)?.code;
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/** The error a function throws (fails when it returns). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

/**
 * Waits until `condition` holds, checking once per event-loop turn, and fails after `limitMs`.
 * For changes that arrive asynchronously by design (messages between threads, polled logs); the
 * limit only bounds a broken test, it is not what the test asserts.
 */
export async function eventually(condition: () => boolean | Promise<boolean>, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The URL of the built package, for worker threads and child processes (which run plain Node and
 * cannot load the TypeScript sources). `npm test` builds before testing.
 */
export function builtPackageUrl(): string {
  const path = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} is missing: build the package first (npx tsc -b packages/cache)`);
  return pathToFileURL(path).href;
}

/** A fixture script's path. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}
