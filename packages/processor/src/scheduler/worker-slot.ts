import type { CommandRequest } from '../transport/protocol.js';
import type { WorkerHandle } from '../transport/worker-handle.js';
import type { PendingCommand, StreamEntry } from './stream-entry.js';

/** One worker position of the pool and everything the scheduler tracks about it. */
export class WorkerSlot {
  readonly index: number;
  handle: WorkerHandle | undefined;
  /** Started and accepting batches. */
  ready = false;
  /** Could not be restarted; its streams have been handed to the others. */
  dead = false;
  /** Commands waiting in the scheduler for streams this worker owns. */
  queued = 0;
  /** Command id → stream, for the commands this worker is running. */
  readonly inFlight = new Map<number, StreamEntry>();
  /** Streams owned here with commands waiting (insertion order: oldest backlog first). */
  readonly backlog = new Set<StreamEntry>();
  /** Streams owned here. */
  owned = 0;
  /** `performance.now()` since when the worker has had nothing to do (+Infinity while it has work). */
  idleSince = 0;
  /** `performance.now()` of the last steal from this worker. */
  robbedAt = Number.NEGATIVE_INFINITY;
  /** Streams a pending steal will move here once their in-flight command finishes. */
  incoming = 0;
  /** Commands of this turn not yet posted, and their pending records (same order). */
  outbox: CommandRequest[] = [];
  outboxPending: PendingCommand[] = [];
  /** Streams whose state this worker should forget (they moved away). */
  drop: string[] = [];
  /** Event-loop utilisation the worker last reported (0–1). */
  utilisation = 0;
  hits = 0;
  misses = 0;
  steals = 0;
  completed = 0;
  restarts = 0;

  constructor(index: number) {
    this.index = index;
  }

  /** Commands queued for or running at this worker. */
  get depth(): number {
    return this.queued + this.inFlight.size;
  }
}
