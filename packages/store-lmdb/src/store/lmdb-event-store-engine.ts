import {
  ChannelNames,
  InvalidArgumentError,
  StoreClosedError,
  compileEventFilter,
  diagnosticsChannel,
  isPlainObject,
  startCatchUpSubscription,
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
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamInfo,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionMessage,
} from '@strata/core';
import type { RecordView, Serializer } from '@strata/serialization';
import { LmdbCheckpointStore } from '../checkpoints/lmdb-checkpoint-store.js';
import { toStrataError } from '../errors/to-strata-error.js';
import { META_KEYS, type Databases } from '../layout/databases.js';
import type { GeneratedIds } from '../layout/generated-ids.js';
import { currentVersion } from '../layout/stream-head.js';
import type { Durability, ResolvedLmdbEventStoreOptions } from '../options/lmdb-event-store-options.js';
import { HiddenStreams } from '../read/hidden-streams.js';
import { guardLazy } from '../read/guard-lazy.js';
import { LogReader } from '../read/log-reader.js';
import { MAX_SCAN, readAllPages, readStreamPages, type ReadContext } from '../read/decoded-reads.js';
import { streamRecords } from '../read/stream-reader.js';
import { LmdbSnapshotStore } from '../snapshots/lmdb-snapshot-store.js';
import { CommitSignal } from '../subscribe/commit-signal.js';
import { AppendOp } from '../write/append-op.js';
import { DeleteStreamOp } from '../write/delete-stream-op.js';
import { prepareAppend, type PrepareContext } from '../write/prepare-append.js';
import { SetMetadataOp } from '../write/set-metadata-op.js';
import { StreamIndex } from '../stream-index/stream-index.js';
import { WriteQueue } from '../write/write-queue.js';
import { WriteTransaction } from '../write/write-transaction.js';
import { readCounter } from '../layout/meta-counter.js';
import type { LmdbEventStore } from './lmdb-event-store.js';
import type { RootDatabase } from 'lmdb';
import type { InlineContext, InlineProjectionHandler } from '../inline/inline-context.js';
import { InlineProjections } from '../inline/inline-projections.js';
import { RunInlineOp } from '../inline/run-inline-op.js';

const STORE = 'lmdb';

const appendChannel = diagnosticsChannel(ChannelNames.append);
const subscriptionChannel = diagnosticsChannel(ChannelNames.subscription);

/** What the factory hands the engine once the environment is open and checked. */
export type EngineParts = { options: ResolvedLmdbEventStoreOptions; dbs: Databases; serializer: Serializer; ids: GeneratedIds };

/** The LMDB event store (see {@link LmdbEventStore}); created by `createLmdbEventStore`. */
export class LmdbEventStoreEngine implements LmdbEventStore {
  readonly path: string;
  readonly durability: Durability;
  readonly serializer: Serializer;
  readonly snapshots: LmdbSnapshotStore;
  readonly checkpoints: LmdbCheckpointStore;
  readonly #dbs: Databases;
  readonly #prepare: PrepareContext;
  readonly #queue: WriteQueue;
  readonly #log: LogReader;
  readonly #reads: ReadContext;
  readonly #index: StreamIndex;
  readonly #signal: CommitSignal;
  readonly #subscriptions = new Set<Subscription>();
  readonly #inline: InlineProjections;
  readonly #assertOpen = (): void => {
    if (this.#closing !== undefined) throw new StoreClosedError();
  };
  #closing: Promise<void> | undefined;

  constructor({ options, dbs, serializer, ids }: EngineParts) {
    this.path = options.path;
    this.durability = options.durability;
    this.serializer = serializer;
    this.#dbs = dbs;
    this.#prepare = { serializer, ids, limits: { maxEventBytes: options.maxEventBytes, maxBatchSize: options.maxBatchSize } };
    this.#signal = new CommitSignal(() => this.#nextPosition(), options.crossProcessPollMs);
    const index = new StreamIndex(dbs, options.maxIndexTail);
    this.#index = index;
    const inline = new InlineProjections(dbs);
    this.#inline = inline;
    this.#queue = new WriteQueue({
      root: dbs.root,
      durability: options.durability,
      begin: () => new WriteTransaction(dbs, ids, serializer, index, inline.active),
      onCommit: (next) => this.#signal.notify(next),
      onFailure: () => index.invalidate(),
    });
    this.#log = new LogReader(dbs, serializer, new HiddenStreams(dbs));
    this.#reads = { dbs, index, serializer, log: this.#log, assertOpen: this.#assertOpen };
    this.snapshots = new LmdbSnapshotStore(dbs, serializer, this.#queue, this.#assertOpen);
    this.checkpoints = new LmdbCheckpointStore(dbs, this.#queue, this.#assertOpen);
  }

  async append(stream: string, events: readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    const started = appendChannel.hasSubscribers ? performance.now() : 0;
    try {
      this.#assertOpen();
      const prepared = prepareAppend(stream, events, options, this.#prepare);
      const result = await this.#queue.enqueue(new AppendOp(prepared));
      if (appendChannel.hasSubscribers) publishAppend(stream, prepared.count, prepared.bytes, started);
      return result;
    } catch (error) {
      const mapped = toStrataError(error, 'append');
      if (appendChannel.hasSubscribers) publishAppend(stream, Array.isArray(events) ? events.length : 0, 0, started, mapped.code);
      throw mapped;
    }
  }

  readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterableIterator<RecordedEvent> {
    return readStreamPages(this.#reads, stream, options);
  }

  readAll(options: ReadAllOptions = {}): AsyncIterableIterator<RecordedEvent> {
    return readAllPages(this.#reads, options);
  }

  readAllLazy(options: ReadAllOptions = {}): IterableIterator<RecordView> {
    this.#assertOpen();
    validateReadAllOptions(options);
    const matches = compileEventFilter(options.filter);
    return this.#log.lazy(options.from ?? 0, options.maxCount ?? Number.MAX_SAFE_INTEGER, matches, this.#assertOpen);
  }

  readStreamLazy(stream: string, options: ReadStreamOptions = {}): IterableIterator<RecordView> {
    this.#assertOpen();
    validateStreamId(stream);
    validateReadStreamOptions(options);
    const records = streamRecords(this.#dbs, this.#index, stream, options.from, options.direction === 'backward');
    return guardLazy(records, this.#assertOpen, 'readStreamLazy', options.maxCount);
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.#assertOpen();
    const matches = compileEventFilter(options?.filter);
    let wake: (() => void) | undefined;
    const subscription = startCatchUpSubscription(
      {
        readPage: async (from, max) => {
          const page = this.#log.readPage(from, max, matches, MAX_SCAN);
          // A page that stopped at the scan limit is not the end of the log: read on at once.
          if (!page.exhausted && page.events.length < max) wake?.();
          return page;
        },
        endPosition: async () => this.#nextPosition(),
        onCommit: (listener) => {
          wake = listener;
          return this.#signal.add(listener);
        },
        onDelivered: (events, position, live) => {
          if (!subscriptionChannel.hasSubscribers) return;
          const message: SubscriptionMessage = { store: STORE, events, position, live };
          subscriptionChannel.publish(message);
        },
      },
      options,
    );
    this.#subscriptions.add(subscription);
    const forget = (): boolean => this.#subscriptions.delete(subscription);
    subscription.closed.then(forget, forget);
    return subscription;
  }

  async streamInfo(stream: string): Promise<StreamInfo | undefined> {
    this.#assertOpen();
    validateStreamId(stream);
    try {
      const head = this.#index.forRead().head(stream);
      if (head === undefined) return undefined;
      const metadataBytes = this.#dbs.streamMetadata.getBinaryFast(stream);
      const metadata = metadataBytes === undefined ? {} : (this.serializer.decodeValue(metadataBytes) as EventMetadata);
      return { version: currentVersion(head), deleted: head.hardDeleted || head.softDeleted, hardDeleted: head.hardDeleted, metadata };
    } catch (error) {
      throw toStrataError(error, 'streamInfo');
    }
  }

  async setStreamMetadata(stream: string, metadata: EventMetadata): Promise<void> {
    this.#assertOpen();
    validateStreamId(stream);
    if (!isPlainObject(metadata)) throw new InvalidArgumentError('metadata', 'expected a plain object');
    const encoded = this.serializer.encodeValue(metadata);
    try {
      await this.#queue.enqueue(new SetMetadataOp(stream, encoded));
    } catch (error) {
      throw toStrataError(error, 'setStreamMetadata');
    }
  }

  async deleteStream(stream: string, options: DeleteStreamOptions = {}): Promise<void> {
    this.#assertOpen();
    validateStreamId(stream);
    const expected = options?.expectedVersion ?? 'any';
    validateExpectedVersion(expected);
    try {
      await this.#queue.enqueue(new DeleteStreamOp(stream, expected, options?.hard === true));
    } catch (error) {
      throw toStrataError(error, 'deleteStream');
    }
  }

  async headPosition(): Promise<number> {
    this.#assertOpen();
    try {
      return this.#nextPosition() - 1;
    } catch (error) {
      throw toStrataError(error, 'headPosition');
    }
  }

  get environment(): RootDatabase {
    return this.#dbs.root;
  }

  registerInlineProjection(handler: InlineProjectionHandler): () => void {
    this.#assertOpen();
    return this.#inline.register(handler);
  }

  async runInWriteTransaction<T>(fn: (context: InlineContext) => T): Promise<T> {
    this.#assertOpen();
    if (typeof fn !== 'function') throw new InvalidArgumentError('fn', 'expected a function');
    try {
      return await this.#queue.enqueue(new RunInlineOp(this.#inline, fn));
    } catch (error) {
      throw toStrataError(error, 'runInWriteTransaction');
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.stop()));
    this.#signal.close();
    await this.#queue.drained();
    await this.#dbs.root.close();
  }

  #nextPosition(): number {
    return readCounter(this.#dbs, META_KEYS.next);
  }
}

function publishAppend(streamId: string, events: number, bytes: number, started: number, code?: string): void {
  const message: AppendMessage = { store: STORE, streamId, events, bytes, durationMs: performance.now() - started };
  if (code !== undefined) {
    message.failed = true;
    message.code = code;
  }
  appendChannel.publish(message);
}
