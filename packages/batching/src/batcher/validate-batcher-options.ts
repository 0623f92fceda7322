import { InvalidArgumentError } from '@strata/core';
import type { AdaptiveOptions, BatcherOptions, BatchResults, OverloadPolicy } from './batcher-options.js';

/** {@link BatcherOptions} after validation, with defaults applied. */
export type ResolvedBatcherOptions<TItem, TResult> = {
  execute: (items: readonly TItem[]) => BatchResults<TResult> | PromiseLike<BatchResults<TResult>>;
  maxSize: number;
  maxDelayMs: number;
  maxPending: number;
  onOverload: OverloadPolicy;
  concurrency: number;
  adaptive: AdaptiveOptions | undefined;
  dedupeKey: ((item: TItem) => unknown) | undefined;
  atomic: boolean;
  name: string;
  clock: () => number;
};

// Node clamps larger timeouts to 1 ms with a warning, which would turn a typo into a busy loop.
const MAX_TIMER_MS = 2_147_483_647;

const KNOWN_OPTIONS = new Set([
  'execute',
  'maxSize',
  'maxDelayMs',
  'maxPending',
  'onOverload',
  'concurrency',
  'adaptive',
  'dedupeKey',
  'atomic',
  'name',
  'clock',
]);
const KNOWN_ADAPTIVE_OPTIONS = new Set(['targetLatencyMs', 'minSize', 'maxSize']);

const defaultClock = (): number => performance.now();

/**
 * Validates the options of `createBatcher`. Every failure is an `INVALID_ARGUMENT` error whose
 * `details.argument` names the offending option (`adaptive.minSize` for nested ones). Unknown keys
 * are rejected too: a misspelt `maxDelay` would otherwise silently leave batching untuned.
 */
export function validateBatcherOptions<TItem, TResult>(
  options: BatcherOptions<TItem, TResult>,
): ResolvedBatcherOptions<TItem, TResult> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'expected an object');
  }
  rejectUnknown(options, KNOWN_OPTIONS, '');
  if (typeof options.execute !== 'function') {
    throw new InvalidArgumentError('execute', 'expected a function (items) => results');
  }
  const maxSize = positiveInteger(options.maxSize, 'maxSize');
  const maxDelayMs = options.maxDelayMs;
  if (typeof maxDelayMs !== 'number' || !Number.isFinite(maxDelayMs) || maxDelayMs < 0 || maxDelayMs > MAX_TIMER_MS) {
    throw new InvalidArgumentError('maxDelayMs', `expected a number of ms from 0 to ${MAX_TIMER_MS}`);
  }
  const adaptive = options.adaptive === undefined ? undefined : validateAdaptive(options.adaptive, maxSize);
  const largestBatch = adaptive?.maxSize ?? maxSize;
  const maxPending = positiveInteger(options.maxPending, 'maxPending');
  if (maxPending < largestBatch) {
    throw new InvalidArgumentError('maxPending', `must be at least the largest batch size (${largestBatch})`);
  }
  const onOverload = options.onOverload ?? 'reject';
  if (onOverload !== 'reject' && onOverload !== 'wait') {
    throw new InvalidArgumentError('onOverload', "expected 'reject' or 'wait'");
  }
  const concurrency = options.concurrency === undefined ? 1 : positiveInteger(options.concurrency, 'concurrency');
  if (options.dedupeKey !== undefined && typeof options.dedupeKey !== 'function') {
    throw new InvalidArgumentError('dedupeKey', 'expected a function (item) => key');
  }
  if (options.atomic !== undefined && typeof options.atomic !== 'boolean') {
    throw new InvalidArgumentError('atomic', 'expected a boolean');
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name.length === 0)) {
    throw new InvalidArgumentError('name', 'expected a non-empty string');
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw new InvalidArgumentError('clock', 'expected a function returning milliseconds');
  }
  return {
    execute: options.execute.bind(options),
    maxSize,
    maxDelayMs,
    maxPending,
    onOverload,
    concurrency,
    adaptive,
    dedupeKey: options.dedupeKey?.bind(options),
    atomic: options.atomic ?? false,
    name: options.name ?? 'batcher',
    clock: options.clock ?? defaultClock,
  };
}

function validateAdaptive(adaptive: AdaptiveOptions, initialSize: number): AdaptiveOptions {
  if (typeof adaptive !== 'object' || adaptive === null) {
    throw new InvalidArgumentError('adaptive', 'expected an object { targetLatencyMs, minSize, maxSize }');
  }
  rejectUnknown(adaptive, KNOWN_ADAPTIVE_OPTIONS, 'adaptive.');
  const { targetLatencyMs } = adaptive;
  if (typeof targetLatencyMs !== 'number' || !Number.isFinite(targetLatencyMs) || targetLatencyMs <= 0) {
    throw new InvalidArgumentError('adaptive.targetLatencyMs', 'expected a positive number of ms');
  }
  const minSize = positiveInteger(adaptive.minSize, 'adaptive.minSize');
  const maxSize = positiveInteger(adaptive.maxSize, 'adaptive.maxSize');
  if (maxSize < minSize) {
    throw new InvalidArgumentError('adaptive.maxSize', `must be at least adaptive.minSize (${minSize})`);
  }
  if (initialSize < minSize || initialSize > maxSize) {
    throw new InvalidArgumentError('maxSize', `the initial target must lie within adaptive bounds [${minSize}, ${maxSize}]`);
  }
  return Object.freeze({ targetLatencyMs, minSize, maxSize });
}

function positiveInteger(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, 'expected a positive integer');
  }
  return value;
}

function rejectUnknown(object: object, known: ReadonlySet<string>, prefix: string): void {
  for (const key of Object.keys(object)) {
    if (!known.has(key)) throw new InvalidArgumentError(`${prefix}${key}`, 'unknown option');
  }
}
