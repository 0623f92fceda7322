import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Locations the CLI and the report generator use, derived from this module's own place
 * (`bench/dist/paths.js` when built), so they work from any working directory.
 */
export const benchDir = fileURLToPath(new URL('../', import.meta.url));

/** The repository root, parent of `bench/`. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where run results, `latest.json` and the committed `baseline.json` live. */
export const resultsDir = join(benchDir, 'results');

/** The run of the latest invocation, all its suites. */
export const latestFile = join(resultsDir, 'latest.json');

/** The saved baseline runs are compared with. */
export const baselineFile = join(resultsDir, 'baseline.json');

/** Compiled suite modules, one default-exported `Suite` per file. */
export const suitesDir = fileURLToPath(new URL('./suites/', import.meta.url));

/** The generated benchmark document and its charts. */
export const reportFile = join(repoRoot, 'docs', 'benchmarks.md');

/** Charts of the report, one SVG per suite (a folder the generator owns). */
export const chartsDir = join(repoRoot, 'docs', 'benchmarks');
