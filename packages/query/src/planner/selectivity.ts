import type { Predicate } from '../query/predicate-tree.js';
import { estimateEqual, estimateRange, type Statistics } from './statistics.js';

const DEFAULT_EQUAL = 0.05;
const DEFAULT_RANGE = 0.3;
const DEFAULT_PREFIX = 0.1;

/** Bounds of a range within the literal's type, so a histogram of mixed types is cut where types change. */
export function typedBounds(lower: unknown, upper: unknown): [unknown, unknown] {
  if (lower === undefined && typeof upper === 'number') return [-Number.MAX_VALUE, upper];
  if (upper === undefined && typeof lower === 'number') return [lower, Number.MAX_VALUE];
  if (lower === undefined && typeof upper === 'string') return ['', upper];
  return [lower, upper];
}

/** Fraction of rows matching a filter, from histograms where a field has one and defaults elsewhere. */
export function selectivity(predicate: Predicate, params: readonly unknown[], stats: Statistics): number {
  const rows = Math.max(1, stats.rows);
  switch (predicate.kind) {
    case 'true':
      return 1;
    case 'not':
      return 1 - selectivity(predicate.item, params, stats);
    case 'and':
      return predicate.items.reduce((product, item) => product * selectivity(item, params, stats), 1);
    case 'or':
      return 1 - predicate.items.reduce((product, item) => product * (1 - selectivity(item, params, stats)), 1);
    case 'cmp': {
      const histogram = stats.fields.get(predicate.field);
      const value = params[predicate.slot];
      const clamp = (n: number): number => Math.min(1, Math.max(0, n));
      switch (predicate.op) {
        case 'eq':
          return histogram ? clamp(estimateEqual(histogram, value) / rows) : DEFAULT_EQUAL;
        case 'ne':
          return histogram ? clamp(1 - estimateEqual(histogram, value) / rows) : 1 - DEFAULT_EQUAL;
        case 'in':
          return clamp(
            (value as unknown[]).reduce<number>(
              (sum, item) => sum + (histogram ? estimateEqual(histogram, item) / rows : DEFAULT_EQUAL),
              0,
            ),
          );
        case 'prefix':
          return histogram ? clamp(estimateRange(histogram, value, `${value as string}\uffff`) / rows) : DEFAULT_PREFIX;
        case 'gt':
        case 'gte': {
          if (!histogram) return DEFAULT_RANGE;
          const [lower, upper] = typedBounds(value, undefined);
          return clamp(estimateRange(histogram, lower, upper) / rows);
        }
        case 'lt':
        case 'lte': {
          if (!histogram) return DEFAULT_RANGE;
          const [lower, upper] = typedBounds(undefined, value);
          return clamp(estimateRange(histogram, lower, upper) / rows);
        }
      }
    }
  }
}
