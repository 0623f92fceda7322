import { randomUUID } from 'node:crypto';
import {
  ChannelNames,
  InvalidArgumentError,
  StoreClosedError,
  compileEventFilter,
  diagnosticsChannel,
  isPlainObject,
  startCatchUpSubscription,
  validateEvents,
  validateExpectedVersion,
  validateReadAllOptions,
  validateReadStreamOptions,
  validateStreamId,
  type AppendMessage,
  type AppendOptions,
  type AppendResult,
  type DeleteStreamOptions,
  type EventData,
  type EventMetadata,
  type ReadAllOptions,
  type ReadMessage,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamInfo,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionMessage,
} from '@strata/core';
import { AppendQueue } from '../append/append-queue.js';
import { prepareEvents } from '../append/prepare-events.js';
import { PostgresCheckpointStore } from '../checkpoints/postgres-checkpoint-store.js';
import { LogReader } from '../read/log-reader.js';
import { pagedIterable, type PageSource } from '../read/paged-iterable.js';
import { streamPages, streamReadQueries, type StreamReadQueries } from '../read/read-stream.js';
import type { StoreContext } from '../schema/store-context.js';
import { PostgresSnapshotStore } from '../snapshots/postgres-snapshot-store.js';
import { deleteStream, lifecycleStatements, setStreamMetadata, streamInfo, type LifecycleStatements } from '../streams/stream-lifecycle.js';
import { CommitNotifier, type NotifierOptions } from '../subscription/commit-notifier.js';
import { logSubscriptionSource } from '../subscription/log-subscription-source.js';
import type { PostgresEventStore } from './postgres-event-store.js';

const appendChannel = diagnosticsChannel(ChannelNames.append);
const readChannel = diagnosticsChannel(ChannelNames.read);
const subscriptionChannel = diagnosticsChannel(ChannelNames.subscription);
const STORE = 'postgres';

/** The engine behind `createPostgresEventStore`. */
export class PgEventStore implements PostgresEventStore {
  readonly snapshots: PostgresSnapshotStore;
  readonly checkpoints: PostgresCheckpointStore;
  readonly channel: string;
  readonly #ctx: StoreContext;
  readonly #ownsPool: boolean;
  readonly #appends: AppendQueue;
  readonly #lifecycle: LifecycleStatements;
  readonly #streamReads: StreamReadQueries;
  readonly #log: LogReader;
  readonly #notifier: CommitNotifier;
  readonly #subscriptions = new Set<Subscription>();
  /** The highest position this instance acknowledged: its own reads wait until the log is final up to it. */
  #acknowledged = -1;
  #closing: Promise<void> | undefined;

  constructor(ctx: StoreContext, channel: string, ownsPool: boolean, groupCommit: boolean, notifier: NotifierOptions) {
    this.#ctx = ctx;
    this.#ownsPool = ownsPool;
    this.channel = channel;
    const assertOpen = () => this.#assertOpen();
    this.snapshots = new PostgresSnapshotStore(ctx, assertOpen);
    this.checkpoints = new PostgresCheckpointStore(ctx, assertOpen);
    this.#appends = new AppendQueue(ctx, groupCommit);
    this.#lifecycle = lifecycleStatements(ctx.schema);
    this.#streamReads = streamReadQueries(ctx);
    this.#log = new LogReader(ctx, () => this.#acknowledged, () => this.#closing !== undefined);
    this.#notifier = new CommitNotifier(ctx.pool, channel, randomUUID(), notifier);
  }

  get schema(): string {
    return this.#ctx.schema;
  }

  get ordering(): PostgresEventStore['ordering'] {
    return this.#ctx.settings.ordering;
  }

  get format(): PostgresEventStore['format'] {
    return this.#ctx.settings.format;
  }

  get pool(): PostgresEventStore['pool'] {
    return this.#ctx.pool;
  }

  async append(stream: string, events: readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    const started = appendChannel.hasSubscribers ? performance.now() : 0;
    this.#assertOpen();
    validateStreamId(stream);
    validateEvents(events, this.#ctx.limits);
    const expected = options.expectedVersion ?? 'any';
    validateExpectedVersion(expected);
    const prepared = prepareEvents(this.#ctx.codec, events, this.#ctx.limits.maxEventBytes);
    try {
      const result = await this.#appends.submit({ stream, expected, events: prepared });
      if (result.position > this.#acknowledged) this.#acknowledged = result.position;
      this.#notifier.committed();
      if (appendChannel.hasSubscribers) this.#publishAppend(stream, prepared.length, started);
      return result;
    } catch (error) {
      if (appendChannel.hasSubscribers) this.#publishAppend(stream, prepared.length, started, error);
      throw error;
    }
  }

  readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    let pages: PageSource<RecordedEvent> | undefined;
    return pagedIterable(
      () => {
        // Checked on the first `next()`, as an async generator would.
        if (pages === undefined) {
          this.#assertOpen();
          validateStreamId(stream);
          validateReadStreamOptions(options);
          pages = streamPages(this.#ctx, this.#streamReads, stream, options);
        }
        return pages();
      },
      this.#onReadEnd('stream'),
    );
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let pages: PageSource<RecordedEvent> | undefined;
    return pagedIterable(
      () => {
        if (pages === undefined) {
          this.#assertOpen();
          validateReadAllOptions(options);
          compileEventFilter(options.filter);
          pages = this.#log.readAll(options.from ?? 0, options.maxCount ?? Number.MAX_SAFE_INTEGER, options.filter);
        }
        return pages();
      },
      this.#onReadEnd('all'),
    );
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.#assertOpen();
    compileEventFilter(options?.filter);
    const onDelivered = (events: number, position: number, live: boolean): void => {
      if (!subscriptionChannel.hasSubscribers) return;
      const message: SubscriptionMessage = { store: STORE, events, position, live };
      subscriptionChannel.publish(message);
    };
    const { source, stop } = logSubscriptionSource(this.#log, this.#notifier, options?.filter, onDelivered, () => this.#closing !== undefined);
    const inner = startCatchUpSubscription(source, options);
    // The engine's own stop cannot reach a read that waits out an outage; this one can.
    const subscription: Subscription = {
      get position() {
        return inner.position;
      },
      get isLive() {
        return inner.isLive;
      },
      closed: inner.closed,
      waitFor: (position) => inner.waitFor(position),
      stop: () => {
        stop();
        return inner.stop();
      },
    };
    this.#subscriptions.add(subscription);
    const forget = () => this.#subscriptions.delete(subscription);
    void inner.closed.then(forget, forget);
    return subscription;
  }

  async streamInfo(stream: string): Promise<StreamInfo | undefined> {
    this.#assertOpen();
    validateStreamId(stream);
    return streamInfo(this.#ctx, this.#lifecycle, stream);
  }

  async setStreamMetadata(stream: string, metadata: EventMetadata): Promise<void> {
    this.#assertOpen();
    validateStreamId(stream);
    if (!isPlainObject(metadata)) throw new InvalidArgumentError('metadata', 'expected a plain object');
    await setStreamMetadata(this.#ctx, this.#lifecycle, stream, metadata);
  }

  async deleteStream(stream: string, options: DeleteStreamOptions = {}): Promise<void> {
    this.#assertOpen();
    validateStreamId(stream);
    const expected = options.expectedVersion ?? 'any';
    validateExpectedVersion(expected);
    await deleteStream(this.#ctx, this.#lifecycle, stream, expected, options.hard === true);
  }

  async headPosition(): Promise<number> {
    this.#assertOpen();
    return this.#log.head();
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const stopping = [...this.#subscriptions].map((subscription) => subscription.stop());
    this.#notifier.wake();
    await Promise.all(stopping);
    await this.#notifier.close();
    if (this.#ownsPool) await this.#ctx.pool.drain();
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw new StoreClosedError();
  }

  /** Publishes a finished read on the read channel (when anyone listens). */
  #onReadEnd(kind: ReadMessage['kind']): ((events: number) => void) | undefined {
    if (!readChannel.hasSubscribers) return undefined;
    const started = performance.now();
    return (events) => {
      const message: ReadMessage = { store: STORE, kind, events, durationMs: performance.now() - started };
      readChannel.publish(message);
    };
  }

  #publishAppend(streamId: string, events: number, started: number, error?: unknown): void {
    const message: AppendMessage = { store: STORE, streamId, events, durationMs: performance.now() - started };
    if (error !== undefined) {
      message.failed = true;
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code === 'string') message.code = code;
    }
    appendChannel.publish(message);
  }
}
