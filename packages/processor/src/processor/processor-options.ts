import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError, isCommandPipeline, isStoreDescriptor, type Aggregate, type CommandPipeline, type EventStore, type StoreDescriptor } from '@strata/core';
import type { StealSettings } from '../scheduler/plan-steals.js';

/** Options of {@link createProcessor}. */
export type ProcessorOptions = {
  /**
   * The store: a descriptor each worker opens its own instance from (`lmdbStoreDescriptor(...)`,
   * `postgresStoreDescriptor(...)`). With `workers: 0` an `EventStore` instance is accepted too;
   * the processor then neither opens nor closes it.
   */
  store: StoreDescriptor | EventStore;
  /**
   * The module that exports the aggregates (every export made by `defineAggregate`, keyed by its
   * name): a `file:` URL, a `URL`, an absolute path, or a package specifier. Worker threads import
   * it themselves. With `workers: 0` an array of aggregates is accepted too.
   */
  aggregates: string | URL | readonly Aggregate[];
  /**
   * Middleware and event enrichers around every command (`createCommandPipeline`): the module that
   * exports it as `pipeline` (or as its default export, or a plugin host's `pipeline`), given like
   * `aggregates`; each worker imports it. With `workers: 0` a pipeline object is accepted too. The
   * same pipeline gives the same events here as in `handleCommand`.
   */
  pipeline?: string | URL | CommandPipeline;
  /** Worker threads (default `os.availableParallelism()`); `0` runs everything in the calling thread. */
  workers?: number;
  /** Commands queued or running per worker before `onOverload` applies (default 10,000). */
  maxQueuePerWorker?: number;
  /** Commands queued or running overall before `onOverload` applies (default `maxQueuePerWorker` × workers). */
  maxQueue?: number;
  /** Past a bound: reject with `OVERLOADED` (default) or wait until there is room. */
  onOverload?: 'reject' | 'wait';
  /** Stream states kept hot per worker (default 10,000; 0 disables the cache). */
  stateCacheSize?: number;
  /** Retries on `WRONG_EXPECTED_VERSION` with fresh state, as in `handleCommand` (default 3). */
  maxRetries?: number;
  /**
   * Work stealing (default on): a worker with nothing waiting and an event loop busy at most
   * `idleBelow` (default 0.3) takes whole streams from the worker with the most commands queued or
   * running, once that load reaches `minBacklog` (default 16), exceeds twice its own, and that
   * worker's event loop is busy at least `busyAbove` (default 0.9); at most `maxStreamsPerSteal`
   * streams at a time (default 256).
   */
  stealing?: boolean | { minBacklog?: number; maxStreamsPerSteal?: number; busyAbove?: number; idleBelow?: number };
};

/** Options after validation, with defaults applied. */
export type ResolvedProcessorOptions = {
  store: StoreDescriptor | EventStore;
  aggregates: string | readonly Aggregate[];
  pipeline: string | CommandPipeline | undefined;
  workers: number;
  maxQueuePerWorker: number;
  maxQueue: number;
  onOverload: 'reject' | 'wait';
  stateCacheSize: number;
  maxRetries: number;
  stealing: StealSettings | undefined;
};

/** Validates every option; fails with `INVALID_ARGUMENT` naming the first one that is wrong. */
export function resolveProcessorOptions(options: ProcessorOptions): ResolvedProcessorOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  const workers = integer(options.workers, 'workers', 0, 1024) ?? availableParallelism();
  const store = options.store;
  const descriptor = isStoreDescriptor(store);
  if (!descriptor && !isEventStore(store)) {
    throw new InvalidArgumentError('store', 'expected a store descriptor { module, factory, options } or an EventStore');
  }
  if (!descriptor && workers > 0) {
    throw new InvalidArgumentError('store', 'worker threads need a store descriptor (lmdbStoreDescriptor, postgresStoreDescriptor); an EventStore instance only works with workers: 0');
  }
  const aggregates = resolveAggregates(options.aggregates, workers);
  const maxQueuePerWorker = integer(options.maxQueuePerWorker, 'maxQueuePerWorker', 1) ?? 10_000;
  const maxQueue = integer(options.maxQueue, 'maxQueue', 1) ?? maxQueuePerWorker * Math.max(workers, 1);
  const onOverload = options.onOverload ?? 'reject';
  if (onOverload !== 'reject' && onOverload !== 'wait') throw new InvalidArgumentError('onOverload', "expected 'reject' or 'wait'");
  const stateCacheSize = integer(options.stateCacheSize, 'stateCacheSize', 0) ?? 10_000;
  const maxRetries = integer(options.maxRetries, 'maxRetries', 0) ?? 3;
  const pipeline = resolvePipeline(options.pipeline, workers);
  return { store, aggregates, pipeline, workers, maxQueuePerWorker, maxQueue, onOverload, stateCacheSize, maxRetries, stealing: resolveStealing(options.stealing) };
}

function resolveStealing(stealing: ProcessorOptions['stealing']): StealSettings | undefined {
  if (stealing === false) return undefined;
  if (stealing === undefined || stealing === true) return { ...STEALING_DEFAULTS };
  if (typeof stealing !== 'object' || stealing === null) {
    throw new InvalidArgumentError('stealing', 'expected a boolean or { minBacklog, maxStreamsPerSteal, busyAbove, idleBelow }');
  }
  return {
    minBacklog: integer(stealing.minBacklog, 'stealing.minBacklog', 1) ?? STEALING_DEFAULTS.minBacklog,
    maxStreamsPerSteal: integer(stealing.maxStreamsPerSteal, 'stealing.maxStreamsPerSteal', 1) ?? STEALING_DEFAULTS.maxStreamsPerSteal,
    busyAbove: fraction(stealing.busyAbove, 'stealing.busyAbove') ?? STEALING_DEFAULTS.busyAbove,
    idleBelow: fraction(stealing.idleBelow, 'stealing.idleBelow') ?? STEALING_DEFAULTS.idleBelow,
  };
}

function resolveAggregates(aggregates: ProcessorOptions['aggregates'], workers: number): string | readonly Aggregate[] {
  if (Array.isArray(aggregates)) {
    if (workers > 0) throw new InvalidArgumentError('aggregates', 'worker threads load aggregates by module URL; an array only works with workers: 0');
    return aggregates as readonly Aggregate[];
  }
  if (aggregates instanceof URL) return aggregates.href;
  if (typeof aggregates !== 'string' || aggregates.length === 0) {
    throw new InvalidArgumentError('aggregates', 'expected a module URL (string or URL) exporting defineAggregate() definitions');
  }
  return isAbsolute(aggregates) ? pathToFileURL(aggregates).href : aggregates;
}

function resolvePipeline(pipeline: ProcessorOptions['pipeline'], workers: number): string | CommandPipeline | undefined {
  if (pipeline === undefined) return undefined;
  if (isCommandPipeline(pipeline)) {
    if (workers > 0) throw new InvalidArgumentError('pipeline', 'worker threads load the pipeline by module URL; a pipeline object only works with workers: 0');
    return pipeline;
  }
  if (pipeline instanceof URL) return pipeline.href;
  if (typeof pipeline !== 'string' || pipeline.length === 0) {
    throw new InvalidArgumentError('pipeline', 'expected a module URL (string or URL) exporting a createCommandPipeline() pipeline');
  }
  return isAbsolute(pipeline) ? pathToFileURL(pipeline).href : pipeline;
}

const STEALING_DEFAULTS: StealSettings = { minBacklog: 16, maxStreamsPerSteal: 256, busyAbove: 0.9, idleBelow: 0.3 };

function fraction(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new InvalidArgumentError(name, 'expected a number from 0 to 1');
  return value;
}

function integer(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw new InvalidArgumentError(name, `expected an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}`);
  }
  return value as number;
}

function isEventStore(value: unknown): value is EventStore {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.append === 'function' && typeof candidate.readStream === 'function' && typeof candidate.close === 'function';
}
