import type { CheckpointStore, EventStore } from '@strata/core';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store.js';
import type { LeaseStore } from '../lease/lease-store.js';
import type { Projection } from '../projection/define-projection.js';
import type { ProjectionDefinition } from '../projection/projection-definition.js';

/** Options of `createProjectionRunner`. */
export type ProjectionRunnerOptions = {
  /** The event store to project from. */
  store: EventStore;
  /** The projections (from `defineProjection`, or plain definitions). Names must be unique. */
  // A projection's handler parameter is contravariant in its write handle, so the list is typed loosely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  projections: readonly (Projection<any> | ProjectionDefinition<any>)[];
  /** Checkpoints of projections without a sink (usually `store.checkpoints`). */
  checkpoints: CheckpointStore;
  /** Where parked events go (default: in memory). */
  deadLetters?: DeadLetterStore;
  /** Competing consumers: run each projection (or partition) only while holding its lease. */
  leases?: {
    store: LeaseStore;
    /** This node's name (default: host name, pid and a random suffix). */
    owner?: string;
    /** Lease duration (default 10 000 ms). */
    ttlMs?: number;
    /** How often leases are renewed and free ones taken (default ttlMs / 3). */
    renewIntervalMs?: number;
  };
  /** Batch size of blue/green rebuilds (default 10 000). */
  rebuildBatchSize?: number;
  /** How often lag is published while idle, in ms, when someone listens (default 1000; 0 turns it off). */
  metricsIntervalMs?: number;
};
