export { ErrorCodes, type ErrorCode } from './errors/error-codes.js';
export { StrataError, isStrataError, type StrataErrorOptions, type StrataErrorCode } from './errors/strata-error.js';
export {
  WrongExpectedVersionError,
  StreamDeletedError,
  DuplicateEventError,
  InvalidArgumentError,
  SerializationError,
  UnknownEventTypeError,
  CircuitOpenError,
  PoolTimeoutError,
  OverloadedError,
  StoreClosedError,
  CommandRejectedError,
  SinkWritesLostError,
} from './errors/errors.js';

export type { StreamId, EventMetadata, EventData, RecordedEvent, AppendResult } from './events/event-data.js';
export { NO_STREAM_VERSION, type ExpectedVersion } from './events/expected-version.js';
export { checkExpectedVersion, expectedVersionMatchesOriginal } from './events/check-expected-version.js';
export { clonePayload, type ClonedPayload } from './events/clone-payload.js';
export { deepEqual, sameEventContent } from './events/deep-equal.js';
export { mergeMetadata } from './events/merge-metadata.js';
export { compileEventFilter, type EventPredicate } from './events/event-filter.js';

export type {
  EventStore,
  AppendOptions,
  ReadStreamOptions,
  ReadAllOptions,
  EventFilter,
  SubscribeOptions,
  SubscriptionStart,
  StreamInfo,
  DeleteStreamOptions,
} from './store/event-store.js';
export type { Snapshot, SnapshotStore } from './store/snapshot-store.js';
export type { Subscription } from './store/subscription.js';
export type { CheckpointStore } from './store/checkpoint-store.js';
export { createStoreDescriptor, isStoreDescriptor, openStoreDescriptor, type StoreDescriptor } from './store/store-descriptor.js';
export type { ProjectionSink, SinkScope, SinkProjectionStatus } from './projection/projection-sink.js';

export { validateStreamId, streamCategory, MAX_STREAM_ID_LENGTH } from './streams/stream-id.js';
export {
  validateEvents,
  validateExpectedVersion,
  isPlainObject,
  DEFAULT_APPEND_LIMITS,
  type AppendLimits,
} from './validation/validate-append.js';
export { validateReadStreamOptions, validateReadAllOptions } from './validation/validate-read.js';
export { validateSnapshot, validateSnapshotKey } from './validation/validate-snapshot.js';

export {
  startCatchUpSubscription,
  type SubscriptionSource,
  type SubscriptionPage,
} from './subscription/catch-up-subscription.js';

export {
  ChannelNames,
  diagnosticsChannel,
  type ChannelName,
  type AppendMessage,
  type ReadMessage,
  type SubscriptionMessage,
  type CommandMessage,
  type BatchMessage,
  type SerializationMessage,
  type ProcessorMessage,
  type ProjectionMessage,
  type QueryMessage,
} from './diagnostics/channels.js';

export {
  defineAggregate,
  isAggregate,
  type Aggregate,
  type AggregateSpec,
  type DomainEvent,
  type DecidedEvent,
  type Decision,
} from './aggregate/define-aggregate.js';
export { loadAggregate, type LoadedAggregate } from './aggregate/load-aggregate.js';
export { handleCommand, type HandleCommandOptions, type CommandResult } from './aggregate/handle-command.js';

export { createInMemoryEventStore, type InMemoryEventStoreOptions } from './in-memory/in-memory-event-store.js';

export {
  createCommandContext,
  type CommandContext,
  type CommandContextInit,
} from './pipeline/command-context.js';
export type { CommandMiddleware, CommandOutcome } from './pipeline/command-middleware.js';
export type { EventEnricher, Enrichment } from './pipeline/event-enricher.js';
export {
  createCommandPipeline,
  isCommandPipeline,
  type CommandPipeline,
  type CommandPipelineOptions,
} from './pipeline/command-pipeline.js';
export { definePlugin, isPlugin, type Plugin, type PluginSpec, type PluginContext } from './pipeline/plugin.js';
export { createPluginHost, type PluginHost, type PluginHostOptions } from './pipeline/plugin-host.js';
