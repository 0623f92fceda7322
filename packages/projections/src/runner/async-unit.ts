import { InvalidArgumentError, isStrataError, type CheckpointStore, type EventStore, type RecordedEvent } from '@strata/core';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store.js';
import { ProjectionErrorCodes } from '../errors/projection-errors.js';
import type { Lease, LeaseStore } from '../lease/lease-store.js';
import type { Projection } from '../projection/define-projection.js';
import { AsyncWorker } from './async-worker.js';
import { partitionOf } from './partition-of.js';

/** How a runner shares projections with other nodes. */
export type LeaseSettings = { store: LeaseStore; owner: string; ttlMs: number; renewIntervalMs: number };

/** What a unit needs from its runner. */
export type UnitContext = {
  store: EventStore;
  checkpoints: CheckpointStore;
  deadLetters: DeadLetterStore;
  leases: LeaseSettings | undefined;
  rebuildBatchSize: number;
};

/** One partition's state, for `status()`. */
export type PartitionStatus = { index: number; held: boolean; position: number | undefined };

/**
 * An async projection on this node: one worker per partition it runs. Without leases it runs
 * every partition; with leases it runs those whose lease it holds, taking free ones up to its fair
 * share (partitions / live nodes) and handing extra ones back, renewing them on a timer.
 */
export class AsyncUnit {
  readonly projection: Projection;
  readonly #c: UnitContext;
  readonly #workers = new Map<number, AsyncWorker>();
  readonly #leases = new Map<number, Lease>();
  #member: Lease | undefined;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #stopped = false;
  #generation = 0;
  #rebuilding: { generation: number; worker: AsyncWorker } | undefined;
  #failure: Error | undefined;
  #changed: (() => void)[] = [];

  constructor(projection: Projection, context: UnitContext) {
    this.projection = projection;
    this.#c = context;
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  get generation(): number {
    return this.#generation;
  }

  get rebuilding(): { generation: number; position: number } | undefined {
    const r = this.#rebuilding;
    return r === undefined ? undefined : { generation: r.generation, position: r.worker.applied };
  }

  async start(): Promise<void> {
    const { sink, name } = this.projection;
    if (sink !== undefined && this.projection.partitions === 1) {
      const status = await sink.status(name);
      // A rebuild that was under way when the process stopped starts over: its generation is dropped.
      if (status.building !== undefined) await sink.discard(name, status.building.generation);
      this.#generation = status.liveGeneration;
    }
    const leases = this.#c.leases;
    if (leases === undefined) {
      for (let p = 0; p < this.projection.partitions; p++) await this.#startWorker(p);
      return;
    }
    await this.#tick();
    this.#timer = setInterval(() => void this.#tick(), leases.renewIntervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    // A tick in flight is not awaited (the lease store may not answer); it starts nothing once stopped.
    const rebuilding = this.#rebuilding;
    await Promise.all([...this.#workers.values(), ...(rebuilding ? [rebuilding.worker] : [])].map((worker) => worker.stop()));
    const leases = this.#c.leases;
    if (leases !== undefined) {
      const held = [...this.#leases.values(), ...(this.#member ? [this.#member] : [])];
      await Promise.all(held.map((lease) => bounded(leases.store.release(lease), leases.ttlMs)));
    }
    this.#workers.clear();
    this.#leases.clear();
  }

  partitions(): PartitionStatus[] {
    const out: PartitionStatus[] = [];
    for (let p = 0; p < this.projection.partitions; p++) {
      const worker = this.#workers.get(p);
      out.push({ index: p, held: worker !== undefined, position: worker?.applied });
    }
    return out;
  }

  /** The lowest position applied over the partitions running here (undefined when none runs). */
  position(): number | undefined {
    let lowest: number | undefined;
    for (const worker of this.#workers.values()) lowest = lowest === undefined ? worker.applied : Math.min(lowest, worker.applied);
    return lowest;
  }

  lagMs(now: number): number {
    let most = 0;
    for (const worker of this.#workers.values()) most = Math.max(most, worker.lagMs(now));
    return most;
  }

  /** Resolves once every partition running here has applied `position`; waits for a partition to start when none runs. */
  async waitFor(position: number): Promise<void> {
    for (;;) {
      if (this.#failure !== undefined) throw this.#failure;
      const workers = [...this.#workers.values()];
      if (workers.length > 0) {
        await Promise.all(workers.map((worker) => worker.waitFor(position)));
        // A worker replaced meanwhile (a promotion, a lease handed over) is asked again.
        const current = [...this.#workers.values()];
        if (current.length === workers.length && current.every((worker, i) => worker === workers[i])) return;
        continue;
      }
      await new Promise<void>((resolve) => this.#changed.push(resolve));
    }
  }

  /** Blue/green: builds a new generation from the start beside the live one, then promotes it. */
  async rebuild(): Promise<void> {
    const { sink, name } = this.projection;
    if (sink === undefined) throw new InvalidArgumentError('name', `projection '${name}' has no sink: a blue/green rebuild needs one`);
    if (this.projection.partitions !== 1) throw new InvalidArgumentError('name', `projection '${name}' is partitioned; rebuild runs on single-active projections`);
    if (this.#rebuilding !== undefined) throw new InvalidArgumentError('name', `projection '${name}' is already being rebuilt`);
    if (this.#c.leases !== undefined && !this.#leases.has(0)) throw new InvalidArgumentError('name', `projection '${name}' does not run on this node (another node holds its lease)`);
    const generation = await sink.beginGeneration(name);
    const worker = this.#newWorker(0, { projection: name, generation }, -1, this.#c.rebuildBatchSize);
    this.#rebuilding = { generation, worker };
    worker.start();
    try {
      await worker.caughtUp();
      // The old generation stops (drained) before the new one is promoted, readers switch in one step,
      // and the new one is at least where the old one got, so no reader sees the model go back.
      const old = this.#workers.get(0);
      await old?.stop();
      if (old !== undefined) await worker.waitFor(old.applied);
      await sink.promote(name, generation);
    } catch (error) {
      await worker.stop();
      this.#rebuilding = undefined;
      await sink.discard(name, generation).catch(() => undefined);
      throw error;
    }
    this.#generation = generation;
    this.#workers.set(0, worker);
    this.#rebuilding = undefined;
  }

  /** Applies a parked event again with the worker of its partition. */
  async replay(event: RecordedEvent): Promise<void> {
    const worker = this.#workers.get(partitionOf(event.streamId, this.projection.partitions));
    if (worker === undefined) throw new InvalidArgumentError('projection', `the partition of '${event.streamId}' does not run on this node`);
    await worker.replay(event);
  }

  #scopeName(p: number): string {
    return this.projection.partitions === 1 ? this.projection.name : `${this.projection.name}#${p}`;
  }

  async #startWorker(p: number): Promise<void> {
    const { sink } = this.projection;
    const scopeName = this.#scopeName(p);
    let generation = 0;
    let applied: number | undefined;
    if (sink !== undefined) {
      const status = await sink.status(scopeName);
      generation = status.liveGeneration;
      applied = status.checkpoint;
    } else {
      applied = await this.#c.checkpoints.load(scopeName);
    }
    if (this.#stopped) return;
    const worker = this.#newWorker(p, { projection: scopeName, generation }, applied ?? -1);
    this.#workers.set(p, worker);
    worker.start();
    for (const wake of this.#changed.splice(0)) wake();
  }

  #newWorker(p: number, scope: { projection: string; generation: number }, applied: number, maxSize?: number): AsyncWorker {
    const leases = this.#c.leases;
    const worker: AsyncWorker = new AsyncWorker({
      projection: this.projection,
      store: this.#c.store,
      checkpoints: this.#c.checkpoints,
      deadLetters: this.#c.deadLetters,
      scope,
      checkpointName: scope.projection,
      applied,
      ...(this.projection.partitions > 1 ? { partition: { index: p, count: this.projection.partitions } } : {}),
      ...(leases === undefined
        ? {}
        : {
            lease: {
              store: leases.store,
              current: () => {
                const lease = this.#leases.get(p);
                return lease !== undefined && lease.expiresAt > Date.now() ? lease : undefined;
              },
            },
          }),
      ...(maxSize === undefined ? {} : { maxSize }),
      onFailure: (error) => {
        if (isLeaseLost(error)) {
          if (this.#workers.get(p) === worker) void this.#lose(p);
          return;
        }
        // A rebuild's worker fails its rebuild, which rejects with the error; the live generation goes on.
        if (this.#rebuilding?.worker === worker) return;
        this.#failure ??= error;
        for (const wake of this.#changed.splice(0)) wake();
      },
    });
    return worker;
  }

  #tick(): Promise<void> {
    if (this.#ticking !== undefined || this.#stopped) return this.#ticking ?? Promise.resolve();
    this.#ticking = this.#balance()
      .catch(() => undefined)
      .finally(() => (this.#ticking = undefined));
    return this.#ticking;
  }

  async #balance(): Promise<void> {
    const leases = this.#c.leases as LeaseSettings;
    const { store, owner, ttlMs } = leases;
    const name = this.projection.name;
    for (const [p, lease] of [...this.#leases]) {
      const renewed = await store.renew(lease, ttlMs).catch(() => undefined);
      if (renewed !== undefined) this.#leases.set(p, renewed);
      else await this.#lose(p);
    }
    this.#member = (this.#member && (await store.renew(this.#member, ttlMs).catch(() => undefined))) ?? (await store.acquire(`${name}/m/${owner}`, owner, ttlMs));
    const members = (await store.list(`${name}/m/`)).filter((info) => info.live).length;
    const total = this.projection.partitions;
    const share = Math.ceil(total / Math.max(1, members));
    for (const p of [...this.#leases.keys()].slice(share)) {
      await this.#lose(p, true);
    }
    for (let p = 0; p < total && this.#leases.size < share && !this.#stopped; p++) {
      if (this.#leases.has(p)) continue;
      const lease = await store.acquire(`${name}/p/${p}`, owner, ttlMs);
      if (lease === undefined) continue;
      if (this.#stopped) {
        await store.release(lease);
        return;
      }
      this.#leases.set(p, lease);
      await this.#startWorker(p);
    }
  }

  /** Stops the partition's worker (drained) and forgets (or hands back) its lease. */
  async #lose(p: number, release = false): Promise<void> {
    const worker = this.#workers.get(p);
    const lease = this.#leases.get(p);
    this.#workers.delete(p);
    await worker?.stop();
    this.#leases.delete(p);
    if (release && lease !== undefined) await this.#c.leases?.store.release(lease).catch(() => undefined);
  }
}

/** Settles with `work` or after `ms`, whichever comes first; never rejects. */
function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([work.then(() => undefined, () => undefined), gaveUp]).finally(() => clearTimeout(timer));
}

function isLeaseLost(error: unknown): boolean {
  return isStrataError(error) && (error.code as string) === ProjectionErrorCodes.LEASE_LOST;
}
