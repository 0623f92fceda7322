import type { MessagePort } from 'node:worker_threads';
import { isStrataError, StrataError, ErrorCodes, type AppendResult, type EventStore } from '@strata/core';
import { toWire } from '../errors/wire-error.js';
import type { AppendReply, AppendRequest, ToWorker } from './protocol.js';

/**
 * The calling thread's side of `appends: 'main'`: workers send their appends here and one store
 * instance runs them all, so the appends of every worker share one group commit and one LMDB write
 * lock holder instead of threads taking turns on the lock (which costs far more than the hop).
 * Answers go back one message per port per turn.
 */
export class AppendRelay {
  readonly #store: EventStore;
  readonly #outbox = new Map<MessagePort, AppendReply[]>();
  #flushScheduled = false;

  constructor(store: EventStore) {
    this.#store = store;
  }

  /** Runs a worker's batch of appends; every one is answered on `port`. */
  handle(port: MessagePort, requests: readonly AppendRequest[]): void {
    for (const [id, streamId, events, expectedVersion] of requests) {
      let appending: Promise<AppendResult>;
      try {
        appending = this.#store.append(streamId, events, expectedVersion === undefined ? undefined : { expectedVersion });
      } catch (error) {
        appending = Promise.reject(error);
      }
      appending.then(
        (result) => this.#answer(port, [id, true, result]),
        (error: unknown) => this.#answer(port, [id, false, toWire(asTyped(error))]),
      );
    }
  }

  #answer(port: MessagePort, reply: AppendReply): void {
    let replies = this.#outbox.get(port);
    if (replies === undefined) {
      replies = [];
      this.#outbox.set(port, replies);
    }
    replies.push(reply);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // A group commit settles all its appends in one turn: collect them into one message.
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    for (const [port, replies] of this.#outbox) {
      // A worker that died meanwhile has a closed port: its commands are failed by the scheduler.
      port.postMessage({ t: 'appended', replies } satisfies ToWorker);
    }
    this.#outbox.clear();
  }
}

function asTyped(error: unknown): StrataError {
  return isStrataError(error) ? error : new StrataError(ErrorCodes.STORE_FAILURE, `append failed: ${String(error)}`, { cause: error });
}
