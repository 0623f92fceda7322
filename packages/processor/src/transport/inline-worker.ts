import type { Aggregate, CommandPipeline, EventStore } from '@strata/core';
import { WorkerEngine } from '../worker/worker-engine.js';
import type { CommandRequest, FromWorker } from './protocol.js';
import type { WorkerEvents, WorkerHandle } from './worker-handle.js';

/**
 * The worker of `workers: 0`: the same engine in the calling thread. Batches are handed over in the
 * next microtask rather than synchronously, so the scheduler sees the same asynchrony as with a
 * thread (answers never arrive inside `execute`).
 */
export class InlineWorker implements WorkerHandle {
  readonly #engine: WorkerEngine;
  readonly #store: EventStore;
  readonly #ownsStore: boolean;
  readonly #plugins: { close(): Promise<void> } | undefined;

  constructor(
    store: EventStore,
    ownsStore: boolean,
    aggregates: ReadonlyMap<string, Aggregate>,
    settings: { stateCacheSize: number; maxRetries: number; pipeline: CommandPipeline | undefined; plugins?: { close(): Promise<void> } | undefined },
    events: WorkerEvents,
  ) {
    this.#store = store;
    this.#ownsStore = ownsStore;
    this.#plugins = settings.plugins;
    this.#engine = new WorkerEngine({
      store,
      aggregates,
      pipeline: settings.pipeline,
      stateCacheSize: settings.stateCacheSize,
      maxRetries: settings.maxRetries,
      wireErrors: false,
      send: (message: FromWorker) => events.onMessage(message),
    });
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  post(commands: CommandRequest[], drop: string[]): void {
    queueMicrotask(() => this.#engine.run(commands, drop));
  }

  async close(): Promise<void> {
    await this.#engine.drain();
    try {
      await this.#plugins?.close();
    } finally {
      if (this.#ownsStore) await this.#store.close();
    }
  }
}
