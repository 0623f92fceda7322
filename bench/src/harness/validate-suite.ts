import type { BenchCase, Suite, Target } from './types.js';

/** Suite ids name result files, so they are restricted to lowercase words joined by dashes. */
const SUITE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PERCENTILES: ReadonlySet<number> = new Set([50, 99, 99.9]);

/**
 * Whether `value` looks like a {@link Suite} (used to tell suite modules from helper modules
 * before {@link validateSuite} checks the details).
 */
export function isSuiteLike(value: unknown): value is Suite {
  return typeof value === 'object' && value !== null && 'id' in value && 'cases' in value;
}

/**
 * Checks a suite before anything runs, so a typo in a target fails at once with a message naming
 * the suite and the field, not after minutes of measuring. Throws `TypeError` for wrong shapes and
 * `RangeError` for out-of-range numbers.
 */
export function validateSuite(suite: Suite): void {
  if (typeof suite.id !== 'string' || !SUITE_ID.test(suite.id)) {
    throw new TypeError(`suite id must be lowercase words joined by dashes, got ${JSON.stringify(suite.id)}`);
  }
  const where = `suite "${suite.id}"`;
  if (typeof suite.title !== 'string' || suite.title === '') throw new TypeError(`${where}: title must be a non-empty string`);
  if (typeof suite.description !== 'string') throw new TypeError(`${where}: description must be a string`);
  if (!Array.isArray(suite.cases) || suite.cases.length === 0) throw new TypeError(`${where}: cases must be a non-empty array`);
  if (!Array.isArray(suite.targets)) throw new TypeError(`${where}: targets must be an array`);
  checkPositive(suite.durationMs, `${where}: durationMs`, false);
  checkPositive(suite.repetitions, `${where}: repetitions`, true);
  checkPositive(suite.sliceMs, `${where}: sliceMs`, false);

  const names = new Set<string>();
  for (const benchCase of suite.cases) {
    validateCase(benchCase, where);
    if (names.has(benchCase.name)) throw new TypeError(`${where}: duplicate case name "${benchCase.name}"`);
    names.add(benchCase.name);
  }
  suite.targets.forEach((target, index) => validateTarget(target, names, `${where}, target ${index}`));
}

function validateCase(benchCase: BenchCase, where: string): void {
  if (typeof benchCase.name !== 'string' || benchCase.name === '') throw new TypeError(`${where}: every case needs a non-empty name`);
  const at = `${where}, case "${benchCase.name}"`;
  if (benchCase.role !== 'baseline' && benchCase.role !== 'subject') {
    throw new TypeError(`${at}: role must be 'baseline' or 'subject'`);
  }
  const hasFn = typeof benchCase.fn === 'function';
  const hasMeasure = typeof benchCase.measure === 'function';
  if (hasFn === hasMeasure) throw new TypeError(`${at}: give exactly one of fn and measure`);
  checkPositive(benchCase.opsPerCall, `${at}: opsPerCall`, false);
  checkPositive(benchCase.concurrency, `${at}: concurrency`, true);
  if (benchCase.sliceable !== undefined && typeof benchCase.sliceable !== 'boolean') throw new TypeError(`${at}: sliceable must be a boolean`);
}

function validateTarget(target: Target, names: ReadonlySet<string>, at: string): void {
  const needCase = (name: unknown, field: string): void => {
    if (typeof name !== 'string' || !names.has(name)) throw new TypeError(`${at}: ${field} "${String(name)}" is not a case of this suite`);
  };
  needCase(target.subject, 'subject');
  switch (target.kind) {
    case 'ratio':
      needCase(target.baseline, 'baseline');
      checkPositive(target.min, `${at}: min`, false, true);
      return;
    case 'opsPerSec':
      checkPositive(target.min, `${at}: min`, false, true);
      return;
    case 'latency':
      if (!PERCENTILES.has(target.percentile)) throw new RangeError(`${at}: percentile must be 50, 99 or 99.9`);
      checkPositive(target.maxMs, `${at}: maxMs`, false, true);
      return;
    case 'extra':
      if (typeof target.key !== 'string' || target.key === '') throw new TypeError(`${at}: key must be a non-empty string`);
      if (target.min === undefined && target.max === undefined) throw new TypeError(`${at}: give min, max or both`);
      return;
    default:
      throw new TypeError(`${at}: unknown kind ${JSON.stringify((target as { kind: unknown }).kind)}`);
  }
}

function checkPositive(value: number | undefined, label: string, integer: boolean, required = false): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${label} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`);
  }
}
