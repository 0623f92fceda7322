import { randomUUID } from 'node:crypto';
import type { AppendResult, EventData, EventMetadata, RecordedEvent } from '../events/event-data.js';
import type {
  AppendOptions,
  DeleteStreamOptions,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  StreamInfo,
  SubscribeOptions,
} from '../store/event-store.js';
import type { Subscription } from '../store/subscription.js';
import { checkExpectedVersion, expectedVersionMatchesOriginal } from '../events/check-expected-version.js';
import { clonePayload } from '../events/clone-payload.js';
import { sameEventContent } from '../events/deep-equal.js';
import { compileEventFilter } from '../events/event-filter.js';
import { DuplicateEventError, InvalidArgumentError, StoreClosedError, StreamDeletedError } from '../errors/errors.js';
import { validateStreamId } from '../streams/stream-id.js';
import {
  DEFAULT_APPEND_LIMITS,
  isPlainObject,
  validateEvents,
  validateExpectedVersion,
  type AppendLimits,
} from '../validation/validate-append.js';
import { validateReadAllOptions, validateReadStreamOptions } from '../validation/validate-read.js';
import { startCatchUpSubscription } from '../subscription/catch-up-subscription.js';
import { InMemorySnapshotStore } from './in-memory-snapshot-store.js';
import { diagnosticsChannel, ChannelNames, type AppendMessage } from '../diagnostics/channels.js';

/** Options of {@link createInMemoryEventStore}. */
export type InMemoryEventStoreOptions = {
  /** Append limits (defaults: {@link DEFAULT_APPEND_LIMITS}). */
  limits?: Partial<AppendLimits>;
  /** The clock stamping `recordedAt` (tests pass a fake one). */
  clock?: () => Date;
};

type StreamState = {
  /** Global positions of the stream's events, indexed by version. */
  positions: number[];
  /** First version visible to reads (after a delete, one past the last deleted version). */
  visibleFrom: number;
  /** Versions > 0 at which an append landed on the stream with no visible events (a restart after a soft delete). */
  restarts: Set<number>;
  hardDeleted: boolean;
  softDeleted: boolean;
  metadata: EventMetadata;
};

type PreparedEvent = {
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  schemaVersion: number;
  hasId: boolean;
};

const appendChannel = diagnosticsChannel(ChannelNames.append);

/**
 * The reference implementation of the `EventStore` contract, in memory. Every semantic of the
 * contract holds (it passes the `@strata/testing` suite), so it is the store for users' unit tests.
 * Data is deep-copied on the way in and out; nothing survives the process.
 */
export function createInMemoryEventStore(options: InMemoryEventStoreOptions = {}): EventStore {
  return new InMemoryEventStore(options);
}

class InMemoryEventStore implements EventStore {
  #log: (RecordedEvent | undefined)[] = [];
  #streams = new Map<string, StreamState>();
  #ids = new Map<string, number>();
  #listeners = new Set<() => void>();
  #subscriptions = new Set<Subscription>();
  #closed = false;
  #limits: AppendLimits;
  #clock: () => Date;
  readonly snapshots: InMemorySnapshotStore;

  constructor(options: InMemoryEventStoreOptions) {
    if (options.clock !== undefined && typeof options.clock !== 'function') {
      throw new InvalidArgumentError('clock', 'expected a function returning a Date');
    }
    this.#limits = { ...DEFAULT_APPEND_LIMITS, ...options.limits };
    this.#clock = options.clock ?? (() => new Date());
    this.snapshots = new InMemorySnapshotStore(() => this.#assertOpen());
  }

  async append(stream: string, events: readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    const started = appendChannel.hasSubscribers ? performance.now() : 0;
    this.#assertOpen();
    validateStreamId(stream);
    validateEvents(events, this.#limits);
    const expected = options.expectedVersion ?? 'any';
    validateExpectedVersion(expected);
    const prepared = events.map((event, index) => this.#prepare(event, index));

    const state = this.#streams.get(stream);
    if (state?.hardDeleted) throw new StreamDeletedError(stream);
    const retried = this.#findRetry(stream, prepared, expected);
    if (retried !== undefined) return retried;
    const current = state === undefined || state.positions.length <= state.visibleFrom ? -1 : state.positions.length - 1;
    checkExpectedVersion(stream, expected, current);
    // Stored ids that are not a retry (another expected version than the original's) must never
    // be stored a second time: ids are unique store-wide.
    const reused = prepared.find((event) => event.hasId && this.#ids.has(event.id));
    if (reused !== undefined) {
      throw new DuplicateEventError(reused.id, 'it was stored by an earlier append sent with another expected version');
    }

    const target = state ?? newStreamState({});
    if (state === undefined) this.#streams.set(stream, target);
    if (current === -1 && target.positions.length > 0) target.restarts.add(target.positions.length);
    target.softDeleted = false;
    const recordedAt = this.#clock();
    let position = -1;
    for (const event of prepared) {
      position = this.#log.length;
      const recorded: RecordedEvent = {
        streamId: stream,
        version: target.positions.length,
        position,
        id: event.id,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        schemaVersion: event.schemaVersion,
        recordedAt,
      };
      this.#log.push(recorded);
      target.positions.push(position);
      this.#ids.set(event.id, position);
    }
    this.#notify();
    if (appendChannel.hasSubscribers) {
      const message: AppendMessage = { store: 'memory', streamId: stream, events: prepared.length, durationMs: performance.now() - started };
      appendChannel.publish(message);
    }
    return { nextExpectedVersion: target.positions.length - 1, position };
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    this.#assertOpen();
    validateStreamId(stream);
    validateReadStreamOptions(options);
    const state = this.#streams.get(stream);
    if (state === undefined) return;
    const last = state.positions.length - 1;
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const selected: number[] = [];
    if (options.direction === 'backward') {
      for (let v = Math.min(options.from ?? last, last); v >= state.visibleFrom && selected.length < max; v--) {
        selected.push(state.positions[v]!);
      }
    } else {
      for (let v = Math.max(options.from ?? 0, state.visibleFrom); v <= last && selected.length < max; v++) {
        selected.push(state.positions[v]!);
      }
    }
    for (const position of selected) {
      const event = this.#log[position];
      if (event !== undefined) yield copyEvent(event);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    this.#assertOpen();
    validateReadAllOptions(options);
    const matches = compileEventFilter(options.filter);
    const end = this.#log.length;
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    for (let position = options.from ?? 0; position < end && remaining > 0; position++) {
      const event = this.#visible(position);
      if (event === undefined || (matches !== undefined && !matches(event.type, event.streamId))) continue;
      remaining--;
      yield copyEvent(event);
    }
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.#assertOpen();
    const matches = compileEventFilter(options?.filter);
    const subscription = startCatchUpSubscription(
      {
        readPage: async (from, max) => {
          const events: RecordedEvent[] = [];
          const end = this.#log.length;
          let position = from;
          for (; position < end && events.length < max; position++) {
            const event = this.#visible(position);
            if (event !== undefined && (matches === undefined || matches(event.type, event.streamId))) {
              events.push(copyEvent(event));
            }
          }
          return { events, next: position };
        },
        endPosition: async () => this.#log.length,
        onCommit: (listener) => {
          this.#listeners.add(listener);
          return () => this.#listeners.delete(listener);
        },
      },
      options,
    );
    this.#subscriptions.add(subscription);
    void subscription.closed.then(
      () => this.#subscriptions.delete(subscription),
      () => this.#subscriptions.delete(subscription),
    );
    return subscription;
  }

  async streamInfo(stream: string): Promise<StreamInfo | undefined> {
    this.#assertOpen();
    validateStreamId(stream);
    const state = this.#streams.get(stream);
    if (state === undefined) return undefined;
    const visible = state.positions.length > state.visibleFrom;
    return {
      version: visible ? state.positions.length - 1 : -1,
      deleted: state.hardDeleted || state.softDeleted,
      hardDeleted: state.hardDeleted,
      metadata: structuredClone(state.metadata),
    };
  }

  async setStreamMetadata(stream: string, metadata: EventMetadata): Promise<void> {
    this.#assertOpen();
    validateStreamId(stream);
    if (!isPlainObject(metadata)) throw new InvalidArgumentError('metadata', 'expected a plain object');
    const copy = clonePayload(metadata, 'metadata').value as EventMetadata;
    const state = this.#streams.get(stream);
    if (state?.hardDeleted) throw new StreamDeletedError(stream);
    if (state === undefined) {
      this.#streams.set(stream, newStreamState(copy));
    } else {
      state.metadata = copy;
    }
  }

  async deleteStream(stream: string, options: DeleteStreamOptions = {}): Promise<void> {
    this.#assertOpen();
    validateStreamId(stream);
    const expected = options.expectedVersion ?? 'any';
    validateExpectedVersion(expected);
    let state = this.#streams.get(stream);
    if (state?.hardDeleted) throw new StreamDeletedError(stream);
    const current = state === undefined || state.positions.length <= state.visibleFrom ? -1 : state.positions.length - 1;
    checkExpectedVersion(stream, expected, current);
    if (state === undefined) {
      if (options.hard !== true) return;
      state = newStreamState({});
      this.#streams.set(stream, state);
    }
    if (options.hard === true) {
      for (const position of state.positions) {
        const event = this.#log[position];
        if (event !== undefined) this.#ids.delete(event.id);
        this.#log[position] = undefined;
      }
      state.hardDeleted = true;
    }
    state.softDeleted = true;
    state.visibleFrom = state.positions.length;
    this.snapshots.deleteSync(stream);
  }

  async headPosition(): Promise<number> {
    this.#assertOpen();
    return this.#log.length - 1;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const stopping = [...this.#subscriptions].map((subscription) => subscription.stop());
    for (const listener of this.#listeners) listener();
    await Promise.all(stopping);
    this.#listeners.clear();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  #visible(position: number): RecordedEvent | undefined {
    const event = this.#log[position];
    if (event === undefined) return undefined;
    const state = this.#streams.get(event.streamId);
    return state !== undefined && event.version < state.visibleFrom ? undefined : event;
  }

  #prepare(event: EventData, index: number): PreparedEvent {
    const data = clonePayload(event.data, `events[${index}].data`);
    const metadata = clonePayload(event.metadata ?? {}, `events[${index}].metadata`);
    if (data.approxBytes + metadata.approxBytes > this.#limits.maxEventBytes) {
      throw new InvalidArgumentError(
        `events[${index}]`,
        `about ${data.approxBytes + metadata.approxBytes} bytes exceeds the maximum event size of ${this.#limits.maxEventBytes} bytes`,
        { details: { reason: 'event_too_large', limit: this.#limits.maxEventBytes } },
      );
    }
    return {
      id: event.id ?? randomUUID(),
      type: event.type,
      data: data.value,
      metadata: metadata.value as EventMetadata,
      schemaVersion: event.schemaVersion ?? 1,
      hasId: event.id !== undefined,
    };
  }

  /**
   * Recognises an idempotent retry: every event carries an id already stored, in this stream at
   * consecutive versions, with the same content. Any other reuse of a stored id is `DUPLICATE_EVENT`.
   */
  #findRetry(
    stream: string,
    prepared: PreparedEvent[],
    expected: NonNullable<AppendOptions['expectedVersion']>,
  ): AppendResult | undefined {
    let found = 0;
    for (const event of prepared) if (event.hasId && this.#ids.has(event.id)) found++;
    if (found === 0) return undefined;
    let previous: RecordedEvent | undefined;
    for (const event of prepared) {
      const position = this.#ids.get(event.id);
      const stored = position === undefined ? undefined : this.#log[position];
      if (stored === undefined) {
        throw new DuplicateEventError(prepared.find((e) => this.#ids.has(e.id))!.id, 'the append repeats only part of an earlier append');
      }
      if (stored.streamId !== stream) throw new DuplicateEventError(event.id, `it belongs to stream '${stored.streamId}'`);
      if (!sameEventContent(stored, event)) throw new DuplicateEventError(event.id, 'the stored event has other content');
      if (previous !== undefined && stored.version !== previous.version + 1) {
        throw new DuplicateEventError(event.id, 'the append repeats only part of an earlier append');
      }
      previous = stored;
    }
    const first = this.#log[this.#ids.get(prepared[0]!.id)!]!;
    const landedOnEmpty = first.version === 0 || this.#streams.get(stream)?.restarts.has(first.version) === true;
    if (!expectedVersionMatchesOriginal(expected, first.version, landedOnEmpty)) return undefined;
    return { nextExpectedVersion: previous!.version, position: previous!.position };
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}

function newStreamState(metadata: EventMetadata): StreamState {
  return { positions: [], visibleFrom: 0, restarts: new Set(), hardDeleted: false, softDeleted: false, metadata };
}

function copyEvent(event: RecordedEvent): RecordedEvent {
  return {
    ...event,
    data: structuredClone(event.data),
    metadata: structuredClone(event.metadata),
    recordedAt: new Date(event.recordedAt.getTime()),
  };
}
