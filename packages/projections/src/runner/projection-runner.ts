import { ChannelNames, InvalidArgumentError, diagnosticsChannel, type EventStore, type ProjectionMessage, type RecordedEvent } from '@strata/core';
import type { DeadLetter, DeadLetterStore } from '../dead-letter/dead-letter-store.js';
import { ProjectionTimeoutError } from '../errors/projection-errors.js';
import type { AsyncUnit, PartitionStatus } from './async-unit.js';
import type { InlineWorker } from './inline-worker.js';

const projectionChannel = diagnosticsChannel(ChannelNames.projection);

/** The state of one projection on this node. */
export type ProjectionStatus = {
  name: string;
  mode: 'async' | 'inline';
  /** `standby`: leased elsewhere (no partition runs here); `failed`: stopped on an error. */
  state: 'idle' | 'running' | 'standby' | 'failed' | 'stopped';
  /** Last position applied (the lowest over the partitions running here). */
  position: number | undefined;
  /** Committed events beyond `position` (of any type: the log's distance, not a count of matches). */
  lagEvents: number;
  /** Age of the oldest delivered event not yet applied. */
  lagMs: number;
  /** The sink generation readers see. */
  generation: number;
  rebuilding?: { generation: number; position: number };
  partitions: PartitionStatus[];
  error?: { message: string; code?: string };
};

/** Options of {@link ProjectionRunner.waitFor}. */
export type WaitForOptions = { projection?: string; timeoutMs?: number };

/** Runs projections; create one with `createProjectionRunner`. */
export class ProjectionRunner {
  readonly #store: EventStore;
  readonly #deadLetters: DeadLetterStore;
  readonly #units = new Map<string, AsyncUnit>();
  readonly #inline = new Map<string, InlineWorker>();
  readonly #metricsIntervalMs: number;
  #state: 'idle' | 'running' | 'stopped' = 'idle';
  #starting: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** @internal Built by `createProjectionRunner`, which validates the options. */
  constructor(store: EventStore, units: AsyncUnit[], inline: InlineWorker[], deadLetters: DeadLetterStore, metricsIntervalMs: number) {
    this.#store = store;
    this.#deadLetters = deadLetters;
    for (const unit of units) this.#units.set(unit.projection.name, unit);
    for (const worker of inline) this.#inline.set(worker.name, worker);
    this.#metricsIntervalMs = metricsIntervalMs;
  }

  /** Starts every projection: inline ones catch up and go live; async ones subscribe from their checkpoints. */
  start(): Promise<void> {
    if (this.#state === 'stopped') return Promise.reject(new InvalidArgumentError('runner', 'a stopped runner cannot start again'));
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    this.#state = 'running';
    for (const worker of this.#inline.values()) await worker.start();
    await Promise.all([...this.#units.values()].map((unit) => unit.start()));
    if (this.#metricsIntervalMs > 0) {
      this.#timer = setInterval(() => void this.#publishIdle(), this.#metricsIntervalMs);
      this.#timer.unref();
    }
  }

  /** Stops every projection, draining the batches in flight, and releases leases. Idempotent. */
  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    const starting = this.#starting;
    this.#state = 'stopped';
    await starting?.catch(() => undefined);
    if (this.#timer !== undefined) clearInterval(this.#timer);
    for (const worker of this.#inline.values()) worker.stop();
    await Promise.all([...this.#units.values()].map((unit) => unit.stop()));
  }

  /**
   * Resolves once the projections (or the one named) have applied every matching event at or
   * below `position`: after `await store.append(...)`, `await runner.waitFor(result.position)`
   * gives read-your-writes. Rejects with `PROJECTION_FAILED` if a projection stopped on an error,
   * and `PROJECTION_TIMEOUT` after `timeoutMs` (default 30 000).
   */
  async waitFor(position: number, options: WaitForOptions = {}): Promise<void> {
    if (!Number.isSafeInteger(position) || position < -1) throw new InvalidArgumentError('position', 'expected an integer >= -1');
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0) throw new InvalidArgumentError('options.timeoutMs', 'expected an integer >= 0');
    const name = options.projection;
    if (name !== undefined && !this.#units.has(name) && !this.#inline.has(name)) {
      throw new InvalidArgumentError('options.projection', `no projection named '${String(name)}'`);
    }
    await this.#starting;
    const units = [...this.#units.values()].filter((unit) => name === undefined || unit.projection.name === name);
    const waiting = Promise.all(units.map((unit) => unit.waitFor(position)));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProjectionTimeoutError(name ?? '*', position, timeoutMs)), timeoutMs);
    });
    try {
      await Promise.race([waiting, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The state, position and lag of every projection on this node. */
  async status(): Promise<ProjectionStatus[]> {
    const head = this.#state === 'stopped' ? -1 : await this.#store.headPosition();
    const now = Date.now();
    const out: ProjectionStatus[] = [];
    for (const [name, worker] of this.#inline) {
      out.push({
        name,
        mode: 'inline',
        state: this.#state === 'running' ? (worker.live ? 'running' : 'idle') : this.#state,
        position: worker.live ? Math.max(worker.applied, head) : worker.applied,
        lagEvents: worker.live ? 0 : Math.max(0, head - worker.applied),
        lagMs: 0,
        generation: 0,
        partitions: [],
      });
    }
    for (const [name, unit] of this.#units) {
      const position = unit.position();
      const partitions = unit.partitions();
      const failure = unit.failure;
      const status: ProjectionStatus = {
        name,
        mode: 'async',
        state: failure !== undefined ? 'failed' : this.#state !== 'running' ? this.#state : partitions.some((p) => p.held) ? 'running' : 'standby',
        position,
        lagEvents: position === undefined ? 0 : Math.max(0, head - position),
        lagMs: unit.lagMs(now),
        generation: unit.generation,
        partitions,
      };
      const rebuilding = unit.rebuilding;
      if (rebuilding !== undefined) status.rebuilding = rebuilding;
      if (failure !== undefined) {
        status.error = { message: failure.message };
        const code = (failure as { code?: unknown }).code;
        if (typeof code === 'string') status.error.code = code;
      }
      out.push(status);
    }
    return out;
  }

  /**
   * Rebuilds a projection blue/green: replays the log from the start into a new sink generation
   * in big batches while the live generation keeps serving reads and applying live events; once
   * the new generation has caught up, it is promoted atomically and continues live. Resolves after
   * the promotion. Needs a sink; `INVALID_ARGUMENT` otherwise.
   */
  async rebuild(name: string): Promise<void> {
    const unit = this.#units.get(name);
    if (unit === undefined) throw new InvalidArgumentError('name', `no async projection named '${String(name)}'`);
    if (this.#state !== 'running') throw new InvalidArgumentError('runner', 'start the runner before rebuilding');
    await this.#starting;
    await unit.rebuild();
  }

  /** Parked events of one projection (or all). */
  deadLetters(projection?: string): Promise<DeadLetter[]> {
    return this.#deadLetters.list(projection);
  }

  /**
   * Applies a parked event again (after fixing the handler or the data) and removes it from the
   * dead letters. The checkpoint does not move. Rejects with the handler's error if it still fails
   * (the letter stays).
   */
  async replayDeadLetter(projection: string, position: number): Promise<void> {
    const unit = this.#units.get(projection);
    if (unit === undefined) throw new InvalidArgumentError('projection', `no async projection named '${String(projection)}'`);
    const letter = (await this.#deadLetters.list(projection)).find((l) => l.position === position);
    if (letter === undefined) throw new InvalidArgumentError('position', `no parked event at position ${position} for '${projection}'`);
    let event: RecordedEvent | undefined;
    for await (const found of this.#store.readAll({ from: position, maxCount: 1 })) event = found;
    if (event === undefined || event.position !== position) throw new InvalidArgumentError('position', `the event at position ${position} is no longer in the store`);
    await unit.replay(event);
    await this.#deadLetters.remove(projection, position);
  }

  async #publishIdle(): Promise<void> {
    if (!projectionChannel.hasSubscribers || this.#state !== 'running') return;
    for (const status of await this.status().catch(() => [])) {
      if (status.position === undefined) continue;
      const message: ProjectionMessage = { projection: status.name, lagEvents: status.lagEvents, lagMs: status.lagMs, applied: 0, position: status.position };
      projectionChannel.publish(message);
    }
  }
}
