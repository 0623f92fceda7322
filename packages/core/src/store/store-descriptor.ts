import { InvalidArgumentError } from '../errors/errors.js';
import type { EventStore } from './event-store.js';

/**
 * A description of an event store that another worker thread or process can open on its own: the
 * module that exports the store's factory, the factory's export name, and structured-cloneable
 * options. Stores provide helpers that build one (`lmdbStoreDescriptor`, `postgresStoreDescriptor`),
 * so the processor and other multi-threaded packages never depend on a store package.
 */
export type StoreDescriptor = {
  /** An absolute module URL (`file:` or a package specifier resolvable from the opener). */
  readonly module: string;
  /** The named export of `module` to call with `options`; it returns (a promise of) an `EventStore`. */
  readonly factory: string;
  /** Options passed to the factory; must survive `structuredClone`. */
  readonly options: Readonly<Record<string, unknown>>;
};

/**
 * Builds a frozen {@link StoreDescriptor} for a store package's factory, checking that the options
 * survive `structuredClone` (`INVALID_ARGUMENT` when they do not: a serializer or pool object,
 * functions). Store packages call it from their own descriptor helpers.
 */
export function createStoreDescriptor(module: string, factory: string, options: object): StoreDescriptor {
  let cloned: Record<string, unknown>;
  try {
    cloned = structuredClone(options) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidArgumentError('options', 'must be structured-cloneable to reach another thread', { cause: error });
  }
  return Object.freeze({ module, factory, options: Object.freeze(cloned) });
}

/** True when `value` has the shape of a {@link StoreDescriptor}. */
export function isStoreDescriptor(value: unknown): value is StoreDescriptor {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.module === 'string' &&
    typeof candidate.factory === 'string' &&
    typeof candidate.options === 'object' &&
    candidate.options !== null
  );
}

/**
 * Opens the store a {@link StoreDescriptor} describes. Fails with `INVALID_ARGUMENT` when the
 * descriptor is malformed or its module does not export the factory.
 */
export async function openStoreDescriptor<T extends EventStore = EventStore>(descriptor: StoreDescriptor): Promise<T> {
  if (!isStoreDescriptor(descriptor)) {
    throw new InvalidArgumentError('store', 'expected a store descriptor { module, factory, options }');
  }
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(descriptor.module)) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidArgumentError('store.module', `cannot import ${descriptor.module}`, { cause: error });
  }
  const factory = loaded[descriptor.factory];
  if (typeof factory !== 'function') {
    throw new InvalidArgumentError('store.factory', `${descriptor.module} does not export a function ${descriptor.factory}`);
  }
  return (await (factory as (options: unknown) => Promise<T> | T)(descriptor.options)) as T;
}
