import type { AppendResult, EventData, EventMetadata } from '../events/event-data.js';
import type { ExpectedVersion } from '../events/expected-version.js';
import type { EventStore } from '../store/event-store.js';
import { InvalidArgumentError, WrongExpectedVersionError } from '../errors/errors.js';
import { isStrataError } from '../errors/strata-error.js';
import { ErrorCodes } from '../errors/error-codes.js';
import { validateStreamId } from '../streams/stream-id.js';
import { diagnosticsChannel, ChannelNames, type CommandMessage } from '../diagnostics/channels.js';
import { isAggregate, type Aggregate, type DecidedEvent, type DomainEvent } from './define-aggregate.js';
import { loadAggregate } from './load-aggregate.js';
import { createCommandContext, type CommandContext, type CommandContextInit } from '../pipeline/command-context.js';
import { isCommandPipeline, type CommandPipeline } from '../pipeline/command-pipeline.js';

/** Options of {@link handleCommand}. */
export type HandleCommandOptions = {
  /**
   * The version the caller saw (an HTTP `If-Match`, say). When given, the command fails with
   * `WRONG_EXPECTED_VERSION` if the stream has moved on, and is not retried.
   */
  expectedVersion?: ExpectedVersion;
  /** Retries on `WRONG_EXPECTED_VERSION` with fresh state (default 3). */
  maxRetries?: number;
  /** Merged into every event's metadata (correlation ids, the acting user …). */
  metadata?: EventMetadata;
  /**
   * Middleware and enrichers to run around the command (see `createCommandPipeline`). Middleware
   * run once per command; enrichers run again on each retry, over the freshly decided events.
   */
  pipeline?: CommandPipeline;
  /** The command's ids (command, correlation, causation) for the pipeline's context. */
  context?: CommandContextInit;
};

/** The outcome of a handled command. */
export type CommandResult<TState, TEvent extends DomainEvent = DomainEvent> = {
  /** The events appended (empty when the decider decided nothing). */
  events: readonly DecidedEvent<TEvent>[];
  /** The stream's version after the command. */
  nextExpectedVersion: number;
  /** Global position of the last appended event; -1 when nothing was appended. */
  position: number;
  /** The state after the command's events. */
  state: TState;
  /** How many times the command was retried after a concurrency conflict. */
  retries: number;
};

const commandChannel = diagnosticsChannel(ChannelNames.command);

/**
 * Handles one command: loads state (snapshot + tail), decides, appends with the loaded version as
 * the expected version, and on `WRONG_EXPECTED_VERSION` retries with fresh state up to
 * `maxRetries` times. Writes a snapshot when the stream crosses a `snapshotEvery` boundary.
 * Errors thrown by `decide` propagate unchanged; nothing is appended for them.
 */
export async function handleCommand<TState, TCommand, TEvent extends DomainEvent>(
  store: EventStore,
  aggregate: Aggregate<TState, TCommand, TEvent>,
  streamId: string,
  command: TCommand,
  options: HandleCommandOptions = {},
): Promise<CommandResult<TState, TEvent>> {
  if (!isAggregate(aggregate)) throw new InvalidArgumentError('aggregate', 'expected a value made by defineAggregate()');
  validateStreamId(streamId);
  const maxRetries = options.maxRetries ?? 3;
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
    throw new InvalidArgumentError('maxRetries', 'expected a non-negative integer');
  }
  const pipeline = options.pipeline;
  if (pipeline !== undefined && !isCommandPipeline(pipeline)) {
    throw new InvalidArgumentError('pipeline', 'expected a value made by createCommandPipeline()');
  }
  const started = commandChannel.hasSubscribers ? performance.now() : 0;
  const attempt: Attempt = { retries: 0 };
  try {
    let result: CommandResult<TState, TEvent>;
    if (pipeline === undefined) {
      result = await execute(store, aggregate, streamId, command, options, maxRetries, attempt, undefined, undefined);
    } else {
      const ctx = createCommandContext<unknown>(aggregate.name, streamId, command, { metadata: options.metadata, ...options.context });
      let inner: CommandResult<TState, TEvent> | undefined;
      const outcome = await pipeline.run(ctx, (current) =>
        execute(store, aggregate, streamId, current.command as TCommand, options, maxRetries, attempt, pipeline, current).then(
          (result) => (inner = result),
        ),
      );
      // A middleware that short-circuits (or substitutes the outcome) gives no state: load it.
      result =
        outcome === inner
          ? inner
          : {
              events: outcome.events as unknown as readonly DecidedEvent<TEvent>[],
              nextExpectedVersion: outcome.nextExpectedVersion,
              position: outcome.position,
              state: (await loadAggregate(store, aggregate, streamId)).state,
              retries: attempt.retries,
            };
    }
    publish(aggregate.name, streamId, started, result.position === -1 ? 0 : result.events.length, attempt.retries, true);
    return result;
  } catch (error) {
    publish(aggregate.name, streamId, started, 0, attempt.retries, false, error);
    throw error;
  }
}

type Attempt = { retries: number };

async function execute<TState, TCommand, TEvent extends DomainEvent>(
  store: EventStore,
  aggregate: Aggregate<TState, TCommand, TEvent>,
  streamId: string,
  command: TCommand,
  options: HandleCommandOptions,
  maxRetries: number,
  attempt: Attempt,
  pipeline: CommandPipeline | undefined,
  ctx: CommandContext | undefined,
): Promise<CommandResult<TState, TEvent>> {
  for (;;) {
    const loaded = await loadAggregate(store, aggregate, streamId);
    if (typeof options.expectedVersion === 'number' && options.expectedVersion !== loaded.version) {
      throw new WrongExpectedVersionError(streamId, options.expectedVersion, loaded.version);
    }
    const decided = normalize(await aggregate.decide(command, loaded.state));
    if (decided.length === 0) {
      return { events: [], nextExpectedVersion: loaded.version, position: -1, state: loaded.state, retries: attempt.retries };
    }
    let toAppend: EventData[];
    if (pipeline === undefined || ctx === undefined) {
      toAppend = decided.map((event) => toEventData(event, options.metadata));
    } else {
      const enriched = pipeline.enrich(ctx, decided.map((event) => toEventData(event, undefined)));
      toAppend = enriched instanceof Promise ? await enriched : enriched;
    }
    let result: AppendResult;
    try {
      result = await store.append(streamId, toAppend, {
        expectedVersion: loaded.version === -1 ? 'no_stream' : loaded.version,
      });
    } catch (error) {
      if (isStrataError(error, ErrorCodes.WRONG_EXPECTED_VERSION) && options.expectedVersion === undefined && attempt.retries < maxRetries) {
        attempt.retries++;
        continue;
      }
      throw error;
    }
    let state = loaded.state;
    for (let i = 0; i < decided.length; i++) {
      state = aggregate.evolve(state, { ...decided[i]!, version: loaded.version + 1 + i, streamId } as unknown as TEvent);
    }
    await maybeSnapshot(store, aggregate, streamId, loaded.version, result.nextExpectedVersion, state);
    // With a pipeline the outcome carries the events as stored (with their enriched metadata).
    const events = pipeline === undefined ? decided : (toAppend as unknown as readonly DecidedEvent<TEvent>[]);
    return { events, nextExpectedVersion: result.nextExpectedVersion, position: result.position, state, retries: attempt.retries };
  }
}

function normalize<TEvent extends DomainEvent>(
  decision: DecidedEvent<TEvent> | readonly DecidedEvent<TEvent>[] | undefined | null,
): readonly DecidedEvent<TEvent>[] {
  if (decision === undefined || decision === null) return [];
  return Array.isArray(decision) ? (decision as readonly DecidedEvent<TEvent>[]) : [decision as DecidedEvent<TEvent>];
}

function toEventData<TEvent extends DomainEvent>(event: DecidedEvent<TEvent>, metadata: EventMetadata | undefined): EventData {
  const data: EventData = { type: event.type, data: event.data };
  if (event.id !== undefined) data.id = event.id;
  if (event.schemaVersion !== undefined) data.schemaVersion = event.schemaVersion;
  if (metadata !== undefined || event.metadata !== undefined) data.metadata = { ...metadata, ...event.metadata };
  return data;
}

async function maybeSnapshot<TState, TCommand, TEvent extends DomainEvent>(
  store: EventStore,
  aggregate: Aggregate<TState, TCommand, TEvent>,
  streamId: string,
  before: number,
  after: number,
  state: TState,
): Promise<void> {
  const every = aggregate.snapshotEvery;
  if (every === undefined || Math.floor((after + 1) / every) === Math.floor((before + 1) / every)) return;
  // A snapshot is an optimisation: failing to write one must not fail a command already committed.
  try {
    await store.snapshots.save({
      streamId,
      aggregate: aggregate.name,
      stateSchemaVersion: aggregate.stateSchemaVersion,
      version: after,
      state,
    });
  } catch {
    return;
  }
}

function publish(
  aggregate: string,
  streamId: string,
  started: number,
  events: number,
  retries: number,
  ok: boolean,
  error?: unknown,
): void {
  if (!commandChannel.hasSubscribers) return;
  const message: CommandMessage = { aggregate, streamId, durationMs: performance.now() - started, events, retries, ok };
  if (!ok) message.code = isStrataError(error) ? error.code : 'DECIDER_ERROR';
  commandChannel.publish(message);
}
