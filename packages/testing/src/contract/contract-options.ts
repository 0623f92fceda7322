import { DEFAULT_APPEND_LIMITS, InvalidArgumentError, type EventStore } from '@strata/core';

/**
 * What the contract suite hands a store factory for each store it needs: a unique name to
 * isolate the store (a temp directory, a PostgreSQL schema) and a place to register cleanup.
 */
export type StoreFactoryContext = {
  /**
   * A name unique to this store across processes: lowercase letters, digits and `_`, starting
   * with a letter, at most 48 characters. Safe as a PostgreSQL schema name and as a file name.
   */
  readonly id: string;
  /**
   * Registers cleanup run after the store is closed (and after `options.teardown`), in reverse
   * registration order: remove the temp directory, drop the schema, stop a server.
   */
  onTeardown(cleanup: () => void | Promise<void>): void;
};

/**
 * Creates a fresh, empty store. Called once per test case and once per property-based run; the
 * suite closes the store afterwards (the factory must not share one store between calls).
 */
export type EventStoreFactory = (context: StoreFactoryContext) => EventStore | Promise<EventStore>;

/** Options of {@link describeEventStoreContract}. */
export type EventStoreContractOptions = {
  /** Runs after the suite has closed a store (before the cleanups registered on the context). */
  teardown?(store: EventStore, context: StoreFactoryContext): void | Promise<void>;
  /**
   * The store's configured maximum event size in bytes (data + metadata), used by the oversize
   * case. Default `DEFAULT_APPEND_LIMITS.maxEventBytes` (4 MiB).
   */
  maxEventBytes?: number;
  /** How many appends race in the optimistic-concurrency cases. Default 32. */
  concurrentAppends?: number;
  /** Runs of each property-based test. Default 40; lower it for slow backends. */
  propertyRuns?: number;
  /** Most operations in one property-based run. Default 30. */
  maxOperations?: number;
  /** Seed of the property-based tests, to replay a reported failure. Default random. */
  propertySeed?: number;
  /** Per-test timeout in ms for the ordinary cases (default: the vitest configuration's). */
  timeoutMs?: number;
  /** Per-test timeout in ms for the property-based tests. Default 120,000. */
  propertyTimeoutMs?: number;
};

/** Options with their defaults applied. */
export type ResolvedContractOptions = {
  teardown: EventStoreContractOptions['teardown'];
  maxEventBytes: number;
  concurrentAppends: number;
  propertyRuns: number;
  maxOperations: number;
  propertySeed: number | undefined;
  timeoutMs: number | undefined;
  propertyTimeoutMs: number;
};

/** Validates the suite's options and applies defaults. Throws `INVALID_ARGUMENT` naming the option. */
export function resolveContractOptions(options: EventStoreContractOptions = {}): ResolvedContractOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  if (options.teardown !== undefined && typeof options.teardown !== 'function') {
    throw new InvalidArgumentError('options.teardown', 'expected a function');
  }
  return {
    teardown: options.teardown,
    maxEventBytes: positiveInteger('maxEventBytes', options.maxEventBytes, DEFAULT_APPEND_LIMITS.maxEventBytes),
    concurrentAppends: positiveInteger('concurrentAppends', options.concurrentAppends, 32, 2),
    propertyRuns: positiveInteger('propertyRuns', options.propertyRuns, 40),
    maxOperations: positiveInteger('maxOperations', options.maxOperations, 30),
    propertySeed: options.propertySeed === undefined ? undefined : integer('propertySeed', options.propertySeed),
    timeoutMs: options.timeoutMs === undefined ? undefined : positiveInteger('timeoutMs', options.timeoutMs, 0),
    propertyTimeoutMs: positiveInteger('propertyTimeoutMs', options.propertyTimeoutMs, 120_000),
  };
}

function positiveInteger(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new InvalidArgumentError(`options.${name}`, `expected an integer >= ${min}`);
  }
  return value;
}

function integer(name: string, value: number): number {
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError(`options.${name}`, 'expected an integer');
  return value;
}
