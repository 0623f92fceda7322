export { defineProjection, type Projection } from './projection/define-projection.js';
export type {
  ProjectionDefinition,
  ProjectionContext,
  ProjectionBatchOptions,
  RetryPolicy,
  ErrorPolicy,
} from './projection/projection-definition.js';
export { createProjectionRunner } from './runner/create-projection-runner.js';
export { ProjectionRunner, type ProjectionStatus, type WaitForOptions } from './runner/projection-runner.js';
export type { ProjectionRunnerOptions } from './runner/runner-options.js';
export type { PartitionStatus } from './runner/async-unit.js';
export { partitionOf } from './runner/partition-of.js';
export type { InlineProjectionContext, InlineStoreContext, SyncSink } from './runner/inline-worker.js';
export { createInMemoryDeadLetterStore, type DeadLetter, type DeadLetterStore } from './dead-letter/dead-letter-store.js';
export { createPostgresDeadLetterStore } from './dead-letter/postgres-dead-letter-store.js';
export type { Lease, LeaseInfo, LeaseStore } from './lease/lease-store.js';
export { createInMemoryLeaseStore } from './lease/in-memory-lease-store.js';
export { createPostgresLeaseStore, type PostgresLeaseStoreOptions } from './lease/postgres-lease-store.js';
export {
  createPostgresProjectionSink,
  type PostgresProjectionSinkOptions,
  type PostgresSinkTransaction,
} from './sink/postgres-projection-sink.js';
export { ProjectionErrorCodes, ProjectionFailedError, ProjectionTimeoutError, LeaseLostError } from './errors/projection-errors.js';
