import type { EventStore, SnapshotStore } from '@strata/core';
import type { PgPool } from '@strata/pool';
import type { PayloadFormat } from '../codec/event-codec.js';
import type { CheckpointStore } from '@strata/core';
import type { Ordering } from '../schema/store-context.js';

/**
 * The `EventStore` contract on PostgreSQL, plus what is particular to it. Every semantic of the
 * contract holds; "commit order" of positions is the store's order, explained in the README:
 * in `concurrent` ordering positions follow transaction ids and readers see only the part of the
 * log that can no longer change; in `strict` ordering they follow commits exactly.
 */
export interface PostgresEventStore extends EventStore {
  /** Snapshots, in the schema's `snapshots` table. */
  readonly snapshots: SnapshotStore;
  /** Durable subscription checkpoints, in the schema's `checkpoints` table. */
  readonly checkpoints: CheckpointStore;
  /** The PostgreSQL schema of the store. */
  readonly schema: string;
  /** How positions are assigned (fixed when the schema was created). */
  readonly ordering: Ordering;
  /** How payloads are stored (fixed when the schema was created). */
  readonly format: PayloadFormat;
  /** The LISTEN/NOTIFY channel appends are announced on (payload: the announcing store's id). */
  readonly channel: string;
  /** The pool the store runs on. */
  readonly pool: PgPool;
}
