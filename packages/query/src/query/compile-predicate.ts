import { compareValues, readField } from '../document/value-order.js';
import type { Predicate } from './predicate-tree.js';

/** A compiled filter: tests one document against the query's literal values. */
export type CompiledPredicate = (doc: unknown, params: readonly unknown[]) => boolean;

function equals(value: unknown, literal: unknown): boolean {
  if (literal === null) return value === null || value === undefined;
  return value === literal;
}

function sameType(value: unknown, literal: unknown): boolean {
  return typeof value === typeof literal;
}

/**
 * Compiles a normalized filter into a closure once per query shape, so a cached plan evaluates
 * documents without walking the query again. Ranges hold only between values of the literal's type.
 */
export function compilePredicate(predicate: Predicate): CompiledPredicate {
  switch (predicate.kind) {
    case 'true':
      return () => true;
    case 'not': {
      const inner = compilePredicate(predicate.item);
      return (doc, params) => !inner(doc, params);
    }
    case 'and': {
      const items = predicate.items.map(compilePredicate);
      if (items.length === 2) {
        const [a, b] = items as [CompiledPredicate, CompiledPredicate];
        return (doc, params) => a(doc, params) && b(doc, params);
      }
      return (doc, params) => items.every((item) => item(doc, params));
    }
    case 'or': {
      const items = predicate.items.map(compilePredicate);
      return (doc, params) => items.some((item) => item(doc, params));
    }
    case 'cmp': {
      const { field, path, slot } = predicate;
      const get = (doc: unknown): unknown => readField(doc, field, path);
      switch (predicate.op) {
        case 'eq':
          return (doc, params) => equals(get(doc), params[slot]);
        case 'ne':
          return (doc, params) => !equals(get(doc), params[slot]);
        case 'in':
          return (doc, params) => {
            const value = get(doc);
            return (params[slot] as unknown[]).some((literal) => equals(value, literal));
          };
        case 'prefix':
          return (doc, params) => {
            const value = get(doc);
            return typeof value === 'string' && value.startsWith(params[slot] as string);
          };
        case 'gt':
          return (doc, params) => {
            const value = get(doc);
            return sameType(value, params[slot]) && compareValues(value, params[slot]) > 0;
          };
        case 'gte':
          return (doc, params) => {
            const value = get(doc);
            return sameType(value, params[slot]) && compareValues(value, params[slot]) >= 0;
          };
        case 'lt':
          return (doc, params) => {
            const value = get(doc);
            return sameType(value, params[slot]) && compareValues(value, params[slot]) < 0;
          };
        case 'lte':
          return (doc, params) => {
            const value = get(doc);
            return sameType(value, params[slot]) && compareValues(value, params[slot]) <= 0;
          };
      }
    }
  }
}
