import {
  createCommandContext,
  mergeMetadata,
  ErrorCodes,
  isStrataError,
  loadAggregate,
  WrongExpectedVersionError,
  type Aggregate,
  type AppendResult,
  type CommandContextInit,
  type CommandPipeline,
  type CommandContext as PipelineContext,
  type DecidedEvent,
  type DomainEvent,
  type EventData,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type LoadedAggregate,
} from '@strata/core';
import { cacheKey, type StateCache } from './state-cache.js';

/** What one command needs from the worker that runs it. */
export type CommandContext = {
  store: EventStore;
  cache: StateCache;
  maxRetries: number;
  /** Middleware and enrichers around every command, when the processor has a pipeline. */
  pipeline: CommandPipeline | undefined;
  /** Snapshot writes still running; awaited before the store closes. */
  snapshots: Set<Promise<void>>;
};

/** One command, as the scheduler hands it to a worker. */
export type CommandInput = {
  aggregate: Aggregate;
  streamId: string;
  /** Ownership generation of the stream: cached state of an older generation is never used. */
  generation: number;
  /**
   * The highest version of the stream known to be committed (-1: none). A load that shows less
   * comes from a read snapshot older than that commit and is retried.
   */
  knownVersion: number;
  command: unknown;
  expectedVersion: ExpectedVersion | undefined;
  metadata: EventMetadata | undefined;
  /** The command's ids for the pipeline's context. */
  context: CommandContextInit | undefined;
};

/** The outcome of a command, as `handleCommand` reports it (without the state). */
export type CommandOutput = {
  events: readonly DecidedEvent<DomainEvent>[];
  nextExpectedVersion: number;
  position: number;
  retries: number;
};

/**
 * Runs one command: state from the cache or the store (snapshot + tail), decide, append with the
 * state's version as the expected version, evolve, cache, snapshot. It is the whole of command
 * execution inside a worker and the one place a command pipeline (middleware, event enrichers)
 * wraps: it takes plain input and returns the outcome or throws.
 *
 * The scheduler guarantees that no other command of the same stream runs anywhere while this one
 * does. Until the append is issued nothing awaits when the state is cached and `decide` is
 * synchronous, so the appends of a batch are issued in the same turn and share a group commit.
 */
export async function executeCommand(context: CommandContext, input: CommandInput): Promise<CommandOutput> {
  const pipeline = context.pipeline;
  if (pipeline === undefined) return runCommand(context, input, input.command, undefined);
  // The same steps as `handleCommand` with a pipeline: middleware once around the command,
  // enrichers over each attempt's decided events.
  const init = input.context;
  const ctx = createCommandContext(input.aggregate.name, input.streamId, input.command, {
    commandId: init?.commandId,
    correlationId: init?.correlationId,
    causationId: init?.causationId,
    metadata: input.metadata,
  });
  if (init?.metadata !== undefined) mergeMetadata(ctx.metadata, init.metadata);
  let inner: CommandOutput | undefined;
  const outcome = await pipeline.run(ctx, (current) =>
    runCommand(context, input, current.command, current).then((output) => (inner = output)),
  );
  if (outcome === inner) return inner;
  // Short-circuited by a middleware: its outcome is the answer.
  return {
    events: outcome.events as readonly DecidedEvent<DomainEvent>[],
    nextExpectedVersion: outcome.nextExpectedVersion,
    position: outcome.position,
    retries: 0,
  };
}

async function runCommand(context: CommandContext, input: CommandInput, command: unknown, ctx: PipelineContext | undefined): Promise<CommandOutput> {
  const { store, cache } = context;
  const { aggregate, streamId, generation } = input;
  const key = cacheKey(aggregate.name, streamId);
  let retries = 0;
  let trustCache = true;
  let knownVersion = input.knownVersion;
  for (;;) {
    let cached = trustCache ? cache.get(key, generation) : undefined;
    if (cached !== undefined && cached.version < knownVersion) cached = undefined;
    if (cached === undefined) {
      const loaded = await loadCaughtUp(store, aggregate, streamId, knownVersion);
      cached = { state: loaded.state, version: loaded.version, generation };
      cache.set(key, streamId, cached);
    }
    if (typeof input.expectedVersion === 'number' && input.expectedVersion !== cached.version) {
      // A cached version can be behind another process's appends: decide only on fresh state.
      if (trustCache) {
        trustCache = false;
        continue;
      }
      throw new WrongExpectedVersionError(streamId, input.expectedVersion, cached.version);
    }
    const decision = aggregate.decide(command, cached.state);
    const decided = normalize(isThenable(decision) ? await decision : decision);
    if (decided.length === 0) {
      return { events: decided, nextExpectedVersion: cached.version, position: -1, retries };
    }
    let toAppend: EventData[];
    if (ctx === undefined) {
      toAppend = decided.map((event) => toEventData(event, input.metadata));
    } else {
      const enriched = context.pipeline!.enrich(ctx, decided.map((event) => toEventData(event, undefined)));
      toAppend = isThenable(enriched) ? await enriched : enriched;
    }
    let result: AppendResult;
    try {
      result = await store.append(streamId, toAppend, { expectedVersion: cached.version === -1 ? 'no_stream' : cached.version });
    } catch (error) {
      // Whatever failed, the cached state may no longer match the stream.
      cache.delete(key);
      if (isStrataError(error, ErrorCodes.WRONG_EXPECTED_VERSION) && input.expectedVersion === undefined && retries < context.maxRetries) {
        retries++;
        trustCache = false;
        // The conflict's actual version was read inside the store's write transaction: the retry's
        // load must show at least that much, not an older read snapshot.
        const actual = error.details.actual;
        if (typeof actual === 'number' && actual > knownVersion) knownVersion = actual;
        continue;
      }
      throw error;
    }
    const before = cached.version;
    let state = cached.state;
    try {
      for (let i = 0; i < decided.length; i++) {
        state = aggregate.evolve(state, { ...decided[i]!, version: before + 1 + i, streamId } as DomainEvent);
      }
    } catch (error) {
      cache.delete(key);
      throw error;
    }
    // Updates `cached` in place: read nothing from it below.
    cache.update(key, streamId, cached, state, result.nextExpectedVersion);
    snapshotLater(context, aggregate, streamId, before, result.nextExpectedVersion, state);
    const events = ctx === undefined ? decided : (toAppend as readonly DecidedEvent<DomainEvent>[]);
    return { events, nextExpectedVersion: result.nextExpectedVersion, position: result.position, retries };
  }
}

/** Tries of {@link loadCaughtUp}, a millisecond apart. */
const CATCH_UP_ATTEMPTS = 20;

/**
 * Loads the stream, and again while the read shows less than a version known to be committed: a
 * store may serve a thread reads from a snapshot taken a moment before another thread's commit
 * (lmdb-js keeps a thread's read transaction until a timer turn), and the worker that takes over a
 * stream must not decide on a state older than what its previous owner acknowledged. If the read
 * never catches up, the last one is used; an append on it fails with `WRONG_EXPECTED_VERSION`
 * and the command is retried on fresh state.
 */
async function loadCaughtUp(store: EventStore, aggregate: Aggregate, streamId: string, knownVersion: number): Promise<LoadedAggregate<unknown>> {
  let loaded = await loadAggregate(store, aggregate, streamId);
  for (let attempt = 0; loaded.version < knownVersion && attempt < CATCH_UP_ATTEMPTS; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    loaded = await loadAggregate(store, aggregate, streamId);
  }
  return loaded;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function normalize(decision: unknown): readonly DecidedEvent<DomainEvent>[] {
  if (decision === undefined || decision === null) return [];
  return Array.isArray(decision) ? (decision as DecidedEvent<DomainEvent>[]) : [decision as DecidedEvent<DomainEvent>];
}

function toEventData(event: DecidedEvent<DomainEvent>, metadata: EventMetadata | undefined): EventData {
  const data: EventData = { type: event.type, data: event.data };
  if (event.id !== undefined) data.id = event.id;
  if (event.schemaVersion !== undefined) data.schemaVersion = event.schemaVersion;
  if (metadata !== undefined || event.metadata !== undefined) data.metadata = { ...metadata, ...event.metadata };
  return data;
}

/**
 * Writes a snapshot when the stream crossed a `snapshotEvery` boundary, off the hot path: the
 * command's answer does not wait for it, and a failure is ignored (a snapshot is an optimisation).
 */
function snapshotLater(
  context: CommandContext,
  aggregate: Aggregate,
  streamId: string,
  before: number,
  after: number,
  state: unknown,
): void {
  const every = aggregate.snapshotEvery;
  if (every === undefined || Math.floor((after + 1) / every) === Math.floor((before + 1) / every)) return;
  const saving = context.store.snapshots
    .save({ streamId, aggregate: aggregate.name, stateSchemaVersion: aggregate.stateSchemaVersion, version: after, state })
    .then(
      () => undefined,
      () => undefined,
    );
  context.snapshots.add(saving);
  void saving.then(() => context.snapshots.delete(saving));
}
