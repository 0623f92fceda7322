import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export { codeOf, collect, eventually, failureOf, seededRandom, tempDir } from '@strata/testing';

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
