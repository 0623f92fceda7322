import { BroadcastChannel } from 'node:worker_threads';
import { isInvalidationMessage, type InvalidationMessage } from './invalidation-message.js';

/**
 * Carries invalidations between the threads of one process: a `BroadcastChannel` named after the
 * cache, which every cache instance of that name (in any worker thread, or the same thread) joins.
 * Delivery is asynchronous: a receiver drops its copies within a turn or two of its event loop.
 * The channel is unref'd, so an idle cache never keeps a process or worker alive.
 */
export class InvalidationBus {
  readonly #channel: BroadcastChannel;

  constructor(name: string, onMessage: (message: InvalidationMessage) => void) {
    this.#channel = new BroadcastChannel(`strata:cache:${name}`);
    this.#channel.onmessage = (event: unknown) => {
      const data = (event as { data?: unknown }).data;
      if (isInvalidationMessage(data)) onMessage(data);
    };
    this.#channel.unref();
  }

  /** Announces a change to every other member (not to this one). */
  publish(message: InvalidationMessage): void {
    this.#channel.postMessage(message);
  }

  close(): void {
    this.#channel.close();
  }
}
