import { InvalidArgumentError } from '@strata/core';

/** Throws `INVALID_ARGUMENT` naming `name` unless `value` is a plain object (or absent when allowed). */
export function objectOption(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(name, 'expected an object');
  }
  return value as Record<string, unknown>;
}

/** Rejects keys outside `known`: a misspelt option would otherwise be silently ignored. */
export function rejectUnknown(options: Record<string, unknown>, known: ReadonlySet<string>, prefix: string): void {
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new InvalidArgumentError(`${prefix}${key}`, 'unknown option');
  }
}

/** A positive safe integer, or `fallback` when absent. */
export function positiveInteger(value: unknown, name: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(name, 'expected a positive integer');
  }
  return value;
}

/** A duration in ms: a non-negative finite number, or `fallback` when absent. */
export function durationMs<T extends number | undefined>(value: unknown, name: string, fallback: T): number | T {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(name, 'expected a duration in ms (a finite number ≥ 0)');
  }
  return value;
}

/** A function, or undefined when absent. */
export function optionalFunction<F>(value: unknown, name: string, shape: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new InvalidArgumentError(name, `expected a function ${shape}`);
  return value as F;
}
