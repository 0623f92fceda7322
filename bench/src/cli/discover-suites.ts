import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Suite } from '../harness/types.js';
import { isSuiteLike, validateSuite } from '../harness/validate-suite.js';
import { describeError } from './describe-error.js';

/** A suite module found on disk. */
export type DiscoveredSuite = { file: string; suite: Suite };

/** A suite module that could not be loaded or whose suite is invalid. */
export type DiscoveryError = { file: string; error: string };

/** Everything found in the suites folder. */
export type Discovery = { suites: DiscoveredSuite[]; errors: DiscoveryError[] };

/**
 * Imports every `*.js` file of `dir` (sorted by name) and keeps the default exports that are
 * suites. Files without a default export are helpers and are skipped; a default export that is
 * not a valid suite, a module that throws on import, or a duplicate suite id is an error.
 */
export async function discoverSuites(dir: string): Promise<Discovery> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.js')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { suites: [], errors: [] };
    throw error;
  }
  const suites: DiscoveredSuite[] = [];
  const errors: DiscoveryError[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    try {
      const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
      if (module.default === undefined) continue;
      if (!isSuiteLike(module.default)) throw new TypeError('the default export is not a Suite');
      validateSuite(module.default);
      const clash = seen.get(module.default.id);
      if (clash) throw new TypeError(`suite id "${module.default.id}" is already used by ${clash}`);
      seen.set(module.default.id, name);
      suites.push({ file, suite: module.default });
    } catch (error) {
      errors.push({ file: name, error: describeError(error) });
    }
  }
  return { suites, errors };
}
