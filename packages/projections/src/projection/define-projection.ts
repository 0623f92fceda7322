import { InvalidArgumentError, compileEventFilter, type EventFilter, type EventPredicate, type ProjectionSink, type RecordedEvent } from '@strata/core';
import type { ErrorPolicy, ProjectionContext, ProjectionDefinition } from './projection-definition.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

/** A validated, frozen projection (what `defineProjection` returns and the runner runs). */
export type Projection<TTx = unknown> = {
  readonly name: string;
  readonly filter: EventFilter;
  /** The compiled filter (undefined matches all). */
  readonly matches: EventPredicate;
  readonly sink: ProjectionSink<TTx> | undefined;
  /** Applies a batch (wraps `handle` when only that was given). */
  readonly apply: (events: readonly RecordedEvent[], tx: TTx) => void | Promise<void>;
  /** Synchronous form of `apply` for inline projections (throws on a handler that returns a promise). */
  readonly applySync: (events: readonly RecordedEvent[], tx: TTx) => void;
  readonly mode: 'async' | 'inline';
  readonly batch: { readonly maxSize: number; readonly maxDelayMs: number };
  readonly onError: ErrorPolicy;
  readonly retry: { readonly attempts: number; readonly initialDelayMs: number; readonly maxDelayMs: number };
  readonly partitions: number;
};

/**
 * Declares a projection: validates every option (`INVALID_ARGUMENT` naming it) and returns a
 * frozen definition for `createProjectionRunner`.
 *
 * @example
 * const balances = defineProjection({
 *   name: 'balances',
 *   handles: ['Deposited', 'Withdrawn'],
 *   sink: readModels,
 *   handle(event, tx) { tx.collection('balances').put(...) },
 * });
 */
export function defineProjection<TTx = ProjectionContext>(definition: ProjectionDefinition<TTx>): Projection<TTx> {
  return resolveProjection(definition, 'projection');
}

/** Validates a definition; `path` prefixes the names of offending options. */
export function resolveProjection<TTx>(definition: ProjectionDefinition<TTx> | Projection<TTx>, path: string): Projection<TTx> {
  if (isResolved<TTx>(definition)) return definition;
  if (typeof definition !== 'object' || definition === null) throw new InvalidArgumentError(path, 'expected an object');
  const d = definition as ProjectionDefinition<TTx>;
  if (typeof d.name !== 'string' || !NAME.test(d.name)) {
    throw new InvalidArgumentError(`${path}.name`, 'expected 1-100 characters of letters, digits, _ . : - (starting with a letter or digit)');
  }
  const filter = resolveFilter(d.handles, `${path}.handles`);
  const matches = compileEventFilter(filter);
  if (d.sink !== undefined && !isSink(d.sink)) throw new InvalidArgumentError(`${path}.sink`, 'expected a ProjectionSink');
  const hasOne = typeof d.handle === 'function';
  const hasBatch = typeof d.handleBatch === 'function';
  if (hasOne === hasBatch) throw new InvalidArgumentError(`${path}.handle`, 'expected exactly one of handle(event, tx) and handleBatch(events, tx)');
  if (d.mode !== undefined && d.mode !== 'async' && d.mode !== 'inline') throw new InvalidArgumentError(`${path}.mode`, "expected 'async' or 'inline'");
  if (d.onError !== undefined && d.onError !== 'park' && d.onError !== 'stop') throw new InvalidArgumentError(`${path}.onError`, "expected 'park' or 'stop'");
  const batch = optionalObject(d.batch, `${path}.batch`);
  const retry = optionalObject(d.retry, `${path}.retry`);
  const handle = d.handle?.bind(d);
  const handleBatch = d.handleBatch?.bind(d);
  const apply = handleBatch ?? (async (events: readonly RecordedEvent[], tx: TTx): Promise<void> => {
    for (const event of events) await (handle as NonNullable<typeof handle>)(event, tx);
  });
  const applySync = (events: readonly RecordedEvent[], tx: TTx): void => {
    if (handleBatch !== undefined) return checkSync(handleBatch(events, tx), d.name);
    for (const event of events) checkSync((handle as NonNullable<typeof handle>)(event, tx), d.name);
  };
  const projection: Projection<TTx> = {
    name: d.name,
    filter,
    matches,
    sink: d.sink,
    apply,
    applySync,
    mode: d.mode ?? 'async',
    batch: Object.freeze({
      maxSize: integer(batch.maxSize, `${path}.batch.maxSize`, 256, 1, 1_000_000),
      maxDelayMs: integer(batch.maxDelayMs, `${path}.batch.maxDelayMs`, 0, 0, 60_000),
    }),
    onError: d.onError ?? 'park',
    retry: Object.freeze({
      attempts: integer(retry.attempts, `${path}.retry.attempts`, 3, 1, 100),
      initialDelayMs: integer(retry.initialDelayMs, `${path}.retry.initialDelayMs`, 20, 0, 60_000),
      maxDelayMs: integer(retry.maxDelayMs, `${path}.retry.maxDelayMs`, 1_000, 0, 600_000),
    }),
    partitions: integer(d.partitions, `${path}.partitions`, 1, 1, 1024),
  };
  Object.defineProperty(projection, RESOLVED, { value: true });
  return Object.freeze(projection);
}

/** Marks validated projections; a global symbol, so a second copy of this package recognises them too. */
const RESOLVED = Symbol.for('@strata/projections/Projection');

function isResolved<TTx>(value: unknown): value is Projection<TTx> {
  return typeof value === 'object' && value !== null && (value as Record<PropertyKey, unknown>)[RESOLVED] === true;
}

function isSink(value: unknown): boolean {
  const sink = value as Record<string, unknown>;
  return (
    typeof value === 'object' &&
    value !== null &&
    ['status', 'transact', 'beginGeneration', 'promote', 'discard'].every((method) => typeof sink[method] === 'function')
  );
}

function resolveFilter(handles: unknown, path: string): EventFilter {
  if (Array.isArray(handles)) {
    if (handles.length === 0 || handles.some((type) => typeof type !== 'string' || type.length === 0)) {
      throw new InvalidArgumentError(path, 'expected a non-empty array of event types');
    }
    return Object.freeze({ types: Object.freeze([...(handles as string[])]) });
  }
  if (typeof handles !== 'object' || handles === null) throw new InvalidArgumentError(path, 'expected event types or { types?, categories? }');
  const filter = handles as EventFilter;
  if (filter.types === undefined && filter.categories === undefined) {
    throw new InvalidArgumentError(path, 'expected at least one of types and categories');
  }
  compileEventFilter(filter);
  return Object.freeze({ ...filter });
}

function optionalObject<T extends object>(value: T | undefined, path: string): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) throw new InvalidArgumentError(path, 'expected an object');
  return value;
}

/** Validates an optional integer option in [min, max]. */
export function integer(value: unknown, path: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(path, `expected an integer from ${min} to ${max}`);
  }
  return value;
}

function checkSync(result: unknown, name: string): void {
  if (typeof result === 'object' && result !== null && typeof (result as { then?: unknown }).then === 'function') {
    throw new InvalidArgumentError(`projection '${name}' handler`, 'an inline projection must handle events synchronously');
  }
}
