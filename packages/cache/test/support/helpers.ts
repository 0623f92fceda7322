import { existsSync } from 'node:fs';
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

export { codeOf, eventually, tempDir } from '@strata/testing';

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
