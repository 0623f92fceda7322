import { InvalidArgumentError, isAggregate, type Aggregate } from '@strata/core';

/**
 * Collects the aggregates a set of module exports defines: every export for which `isAggregate`
 * holds, keyed by its name. Two different definitions under one name are refused.
 */
export function collectAggregates(exports: Iterable<unknown>, argument: string): Map<string, Aggregate> {
  const found = new Map<string, Aggregate>();
  for (const value of exports) {
    if (!isAggregate(value)) continue;
    const existing = found.get(value.name);
    if (existing !== undefined && existing !== value) {
      throw new InvalidArgumentError(argument, `two different aggregates are named '${value.name}'`);
    }
    found.set(value.name, value);
  }
  if (found.size === 0) throw new InvalidArgumentError(argument, 'defines no aggregate (no export made by defineAggregate())');
  return found;
}

/** Imports an aggregates module by URL and collects its aggregates. */
export async function importAggregates(url: string): Promise<Map<string, Aggregate>> {
  let exports: Record<string, unknown>;
  try {
    exports = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidArgumentError('aggregates', `cannot import ${url}`, { cause: error });
  }
  return collectAggregates(Object.values(exports), 'aggregates');
}
