import { ErrorCodes, InvalidArgumentError, isStrataError, StrataError } from '@strata/core';
import { WorkerCrashedError } from '../errors/processor-errors.js';
import { fromWire } from '../errors/wire-error.js';
import type { CommandRequest, FromWorker } from '../transport/protocol.js';
import type { WorkerEvents, WorkerHandle } from '../transport/worker-handle.js';
import { streamHomeWorker } from './route-stream.js';
import { planSteal, type StealSettings } from './plan-steals.js';
import type { PendingCommand, StreamEntry } from './stream-entry.js';
import { StreamTable } from './stream-table.js';
import { WorkerSlot } from './worker-slot.js';
import { publishCommand, publishProcessor } from './scheduler-diagnostics.js';

/** The stream version a failure proves committed (a conflict's actual version), else -1. */
function committedVersionOf(error: StrataError): number {
  const actual = error.code === ErrorCodes.WRONG_EXPECTED_VERSION ? error.details.actual : undefined;
  return typeof actual === 'number' ? actual : -1;
}

/** How many times in a row a dead worker is restarted before its streams go to the others. */
const MAX_RESTART_ATTEMPTS = 3;

/** What the scheduler is built from. */
export type SchedulerOptions = {
  slots: number;
  /** Makes the handle of a slot's worker (again, after a crash). */
  createWorker(slot: number, events: WorkerEvents): WorkerHandle;
  /** Stealing settings; `undefined` disables stealing. */
  stealing: StealSettings | undefined;
  /** Streams remembered while idle (their owner and generation) before the coldest are forgotten. */
  maxTrackedStreams: number;
  /** Called whenever commands completed (capacity freed). */
  onCapacity(): void;
};

/**
 * Routes commands to workers by stream: each stream has one owner, runs one command at a time
 * (the next is sent when the previous is answered, so answers keep submission order), and batches
 * what each worker gets in a turn into one message. Idle workers steal whole streams from the
 * busiest (see {@link planSteal}); a crashed worker's running commands fail with
 * `WORKER_CRASHED` and its streams wait for its replacement (or are stolen meanwhile).
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #slots: WorkerSlot[];
  readonly #streams: StreamTable;
  #flushScheduled = false;
  #closed = false;
  #total = 0;
  #drained: (() => void)[] = [];

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#slots = Array.from({ length: options.slots }, (_, i) => new WorkerSlot(i));
    this.#streams = new StreamTable(options.maxTrackedStreams);
  }

  /** Starts every worker; rejects (after closing those started) when one cannot start. */
  async start(): Promise<void> {
    const results = await Promise.allSettled(this.#slots.map((slot) => this.#startSlot(slot)));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) {
      await Promise.allSettled(this.#slots.filter((slot) => slot.ready).map((slot) => slot.handle!.close()));
      throw (failed as PromiseRejectedResult).reason;
    }
  }

  get slots(): readonly WorkerSlot[] {
    return this.#slots;
  }

  /** Commands queued or running, over all workers. */
  get total(): number {
    return this.#total;
  }

  /** Streams currently tracked. */
  get trackedStreams(): number {
    return this.#streams.size;
  }

  /** The depth of the worker that would run a command of this stream. */
  depthFor(streamId: string): number {
    const entry = this.#streams.get(streamId);
    return this.#slots[entry === undefined ? this.#home(streamId) : entry.owner]!.depth;
  }

  /** Queues a command behind the stream's earlier ones. */
  submit(pending: PendingCommand): void {
    const entry = this.#entry(pending.streamId);
    const slot = this.#slots[entry.owner]!;
    if (slot.dead) {
      pending.reject(new StrataError(ErrorCodes.STORE_FAILURE, 'No worker is left to run the command: every worker crashed and could not be restarted'));
      return;
    }
    this.#total++;
    slot.queued++;
    entry.queue.push(pending);
    this.#streams.markBusy(entry);
    if (entry.inFlight === undefined && entry.moveTo < 0 && slot.ready) this.#dispatch(entry, slot);
    else slot.backlog.add(entry);
    this.#scheduleFlush();
  }

  /** Resolves once nothing is queued or running. */
  drained(): Promise<void> {
    if (this.#total === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  /** Closes every live worker (after {@link drained}). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.filter((slot) => slot.ready).map((slot) => slot.handle!.close()));
    for (const slot of this.#slots) slot.ready = false;
  }

  #home(streamId: string): number {
    const home = streamHomeWorker(streamId, this.#slots.length);
    if (!this.#slots[home]!.dead) return home;
    const alive = this.#slots.filter((slot) => !slot.dead);
    return alive.length === 0 ? home : alive[home % alive.length]!.index;
  }

  #entry(streamId: string): StreamEntry {
    const known = this.#streams.get(streamId);
    if (known !== undefined) return known;
    const entry = this.#streams.create(streamId, this.#home(streamId));
    this.#slots[entry.owner]!.owned++;
    // Forgotten streams' owners drop their state; a later command reloads it.
    for (const forgotten of this.#streams.forgetColdest()) {
      const slot = this.#slots[forgotten.owner]!;
      slot.owned--;
      slot.drop.push(forgotten.streamId);
    }
    return entry;
  }

  #dispatch(entry: StreamEntry, slot: WorkerSlot): void {
    const pending = entry.queue.shift()!;
    slot.queued--;
    if (entry.queue.length === 0) slot.backlog.delete(entry);
    entry.inFlight = pending;
    slot.inFlight.set(pending.id, entry);
    slot.idleSince = Number.POSITIVE_INFINITY;
    slot.outbox.push([
      pending.id,
      pending.aggregate,
      pending.streamId,
      entry.generation,
      entry.knownVersion,
      pending.command,
      pending.expectedVersion,
      pending.metadata,
      pending.context,
    ]);
    slot.outboxPending.push(pending);
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#options.stealing !== undefined) this.#steal(this.#options.stealing);
    for (const slot of this.#slots) {
      if (!slot.ready || (slot.outbox.length === 0 && slot.drop.length === 0)) continue;
      const commands = slot.outbox;
      const pendings = slot.outboxPending;
      const drop = slot.drop;
      slot.outbox = [];
      slot.outboxPending = [];
      slot.drop = [];
      this.#post(slot, commands, pendings, drop);
      publishProcessor({ event: 'queue', worker: slot.index, depth: slot.depth });
    }
  }

  #post(slot: WorkerSlot, commands: CommandRequest[], pendings: PendingCommand[], drop: string[]): void {
    try {
      slot.handle!.post(commands, drop);
      return;
    } catch {
      // Something in the batch cannot be cloned: find it, fail only it.
    }
    slot.handle!.post([], drop);
    for (let i = 0; i < commands.length; i++) {
      try {
        slot.handle!.post([commands[i]!], []);
      } catch (error) {
        const failure = new InvalidArgumentError('command', 'must be structured-cloneable to reach a worker thread', { cause: error });
        this.#complete(slot, pendings[i]!.id, failure);
      }
    }
    // The failed commands' streams may have their next command ready to send.
    this.#afterCompletions();
  }

  #steal(settings: StealSettings): void {
    const now = performance.now();
    for (const thief of this.#slots) {
      const steal = planSteal(this.#slots, thief, settings, now);
      if (steal === undefined) continue;
      this.#slots[steal.from]!.robbedAt = now;
      for (const entry of steal.streams) {
        entry.movedAt = now;
        if (entry.inFlight === undefined) {
          this.#move(entry, thief);
        } else {
          entry.moveTo = thief.index;
          thief.incoming++;
        }
      }
      thief.steals += steal.streams.length;
      publishProcessor({ event: 'steal', worker: thief.index, from: steal.from, streams: steal.streams.length });
    }
  }

  /** Moves a stream with nothing in flight, with its queued commands, to another worker. */
  #move(entry: StreamEntry, to: WorkerSlot): void {
    const from = this.#slots[entry.owner]!;
    if (entry.moveTo >= 0) {
      this.#slots[entry.moveTo]!.incoming--;
      entry.moveTo = -1;
    }
    if (from === to) return;
    from.owned--;
    from.queued -= entry.queue.length;
    from.backlog.delete(entry);
    from.drop.push(entry.streamId);
    entry.owner = to.index;
    entry.generation = this.#streams.nextGeneration();
    to.owned++;
    to.queued += entry.queue.length;
    if (entry.queue.length > 0) {
      if (to.ready) this.#dispatch(entry, to);
      if (entry.queue.length > 0) to.backlog.add(entry);
    }
  }

  /** Settles one command and sends the stream's next. */
  #complete(slot: WorkerSlot, id: number, outcome: StrataError | { events: readonly unknown[]; nextExpectedVersion: number; position: number; retries: number }): void {
    const entry = slot.inFlight.get(id);
    if (entry === undefined) return;
    slot.inFlight.delete(id);
    const pending = entry.inFlight!;
    entry.inFlight = undefined;
    slot.completed++;
    this.#total--;
    if (slot.depth === 0) slot.idleSince = performance.now();
    const committed = outcome instanceof Error ? committedVersionOf(outcome) : outcome.nextExpectedVersion;
    if (committed > entry.knownVersion) entry.knownVersion = committed;
    if (entry.moveTo >= 0) this.#move(entry, this.#slots[entry.moveTo]!);
    const owner = this.#slots[entry.owner]!;
    if (entry.queue.length > 0) {
      if (owner.ready && entry.inFlight === undefined) this.#dispatch(entry, owner);
    } else if (entry.inFlight === undefined) {
      this.#streams.markIdle(entry);
    }
    if (outcome instanceof Error) {
      publishCommand(pending, 0, 0, outcome);
      pending.reject(outcome);
    } else {
      publishCommand(pending, outcome.events.length, outcome.retries, undefined);
      pending.resolve({ events: outcome.events, nextExpectedVersion: outcome.nextExpectedVersion, position: outcome.position });
    }
  }

  #onMessage(slot: WorkerSlot, message: FromWorker): void {
    if (message.t !== 'done') return;
    slot.hits = message.hits;
    slot.misses = message.misses;
    if (message.utilisation !== slot.utilisation) {
      slot.utilisation = message.utilisation;
      publishProcessor({ event: 'utilisation', worker: slot.index, utilisation: message.utilisation });
    }
    for (const [id, events, nextExpectedVersion, position, retries] of message.ok) {
      this.#complete(slot, id, { events, nextExpectedVersion, position, retries });
    }
    for (const [id, error] of message.failed) this.#complete(slot, id, isStrataError(error) ? error : fromWire(error));
    this.#afterCompletions();
  }

  #afterCompletions(): void {
    this.#scheduleFlush();
    this.#options.onCapacity();
    if (this.#total === 0) for (const resolve of this.#drained.splice(0)) resolve();
  }

  #events(slot: WorkerSlot): WorkerEvents {
    return {
      onMessage: (message) => this.#onMessage(slot, message),
      onCrash: (reason) => this.#onCrash(slot, reason),
    };
  }

  async #startSlot(slot: WorkerSlot): Promise<void> {
    const handle = this.#options.createWorker(slot.index, this.#events(slot));
    await handle.start();
    slot.handle = handle;
    slot.ready = true;
  }

  #onCrash(slot: WorkerSlot, reason: string): void {
    if (!slot.ready || this.#closed) return;
    slot.ready = false;
    // Commands of this turn never left: they go back to the front of their streams' queues.
    const unsent = new Set(slot.outboxPending.map((pending) => pending.id));
    for (const pending of slot.outboxPending.reverse()) {
      const entry = slot.inFlight.get(pending.id)!;
      slot.inFlight.delete(pending.id);
      entry.inFlight = undefined;
      entry.queue.unshift(pending);
      slot.queued++;
      slot.backlog.add(entry);
    }
    slot.outbox = [];
    slot.outboxPending = [];
    slot.drop = [];
    for (const [id, entry] of [...slot.inFlight]) {
      if (unsent.has(id)) continue;
      this.#complete(slot, id, new WorkerCrashedError(slot.index, entry.streamId, reason));
    }
    // The replacement starts with an empty cache; a new generation makes that explicit.
    for (const entry of this.#streams.values()) if (entry.owner === slot.index) entry.generation = this.#streams.nextGeneration();
    this.#afterCompletions();
    void this.#restart(slot, reason);
  }

  async #restart(slot: WorkerSlot, reason: string): Promise<void> {
    let lastError: unknown = new Error(reason);
    for (let attempt = 0; attempt < MAX_RESTART_ATTEMPTS; attempt++) {
      try {
        await this.#startSlot(slot);
        slot.restarts++;
        for (const entry of [...slot.backlog]) {
          if (entry.inFlight === undefined && entry.moveTo < 0 && entry.queue.length > 0) this.#dispatch(entry, slot);
        }
        this.#scheduleFlush();
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
      }
    }
    this.#retire(slot, lastError);
  }

  /** A worker that cannot be restarted: its streams go to the live ones, or fail when none is left. */
  #retire(slot: WorkerSlot, error: unknown): void {
    slot.dead = true;
    const alive = this.#slots.filter((candidate) => !candidate.dead);
    let next = 0;
    for (const entry of [...this.#streams.values()]) {
      if (entry.owner !== slot.index) continue;
      if (alive.length > 0) {
        this.#move(entry, alive[next++ % alive.length]!);
        continue;
      }
      for (const pending of entry.queue.splice(0)) {
        slot.queued--;
        this.#total--;
        pending.reject(
          new StrataError(ErrorCodes.STORE_FAILURE, `No worker could be started, so the command was not run: ${String(error)}`, { cause: error }),
        );
      }
      slot.backlog.delete(entry);
    }
    this.#afterCompletions();
  }
}
