import type { EventFilter } from '../store/event-store.js';
import { streamCategory } from '../streams/stream-id.js';
import { InvalidArgumentError } from '../errors/errors.js';

/** A compiled filter: `undefined` matches everything (the common, branch-free case). */
export type EventPredicate = ((type: string, streamId: string) => boolean) | undefined;

/** Validates a filter and compiles it once into a predicate over (type, stream id). */
export function compileEventFilter(filter: EventFilter | undefined): EventPredicate {
  if (filter === undefined) return undefined;
  if (typeof filter !== 'object' || filter === null) throw new InvalidArgumentError('filter', 'expected an object');
  const types = toSet(filter.types, 'filter.types');
  const categories = toSet(filter.categories, 'filter.categories');
  if (types === undefined && categories === undefined) return undefined;
  if (categories === undefined) return (type) => types!.has(type);
  if (types === undefined) return (_type, streamId) => categories.has(streamCategory(streamId));
  return (type, streamId) => types.has(type) && categories.has(streamCategory(streamId));
}

function toSet(list: readonly string[] | undefined, name: string): Set<string> | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    throw new InvalidArgumentError(name, 'expected an array of strings');
  }
  return new Set(list);
}
