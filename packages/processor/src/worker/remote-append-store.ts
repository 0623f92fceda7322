import { fromWire } from '../errors/wire-error.js';
import type { AppendReply, AppendRequest } from '../transport/protocol.js';
import type { AppendResult, EventStore } from '@strata/core';

type Waiting = { resolve(result: AppendResult): void; reject(error: Error): void };

/**
 * A worker's view of the store with `appends: 'main'`: reads, snapshots and subscriptions use the
 * worker's own store instance; appends travel to the calling thread's single writer (see
 * `AppendRelay`), batched per turn like the commands that issue them.
 */
export class RemoteAppendStore {
  readonly store: EventStore;
  readonly #send: (requests: AppendRequest[]) => void;
  readonly #waiting = new Map<number, Waiting>();
  #outbox: AppendRequest[] = [];
  #nextId = 0;
  #flushScheduled = false;

  constructor(local: EventStore, send: (requests: AppendRequest[]) => void) {
    this.#send = send;
    this.store = {
      append: (streamId, events, options) => this.#append(streamId, events, options?.expectedVersion),
      readStream: local.readStream.bind(local),
      readAll: local.readAll.bind(local),
      subscribe: local.subscribe.bind(local),
      streamInfo: local.streamInfo.bind(local),
      setStreamMetadata: local.setStreamMetadata.bind(local),
      deleteStream: local.deleteStream.bind(local),
      headPosition: local.headPosition.bind(local),
      snapshots: local.snapshots,
      close: local.close.bind(local),
    };
  }

  /** Settles the appends a reply message answers. */
  settle(replies: readonly AppendReply[]): void {
    for (const [id, ok, payload] of replies) {
      const waiting = this.#waiting.get(id);
      if (waiting === undefined) continue;
      this.#waiting.delete(id);
      if (ok) waiting.resolve(payload as AppendResult);
      else waiting.reject(fromWire(payload as Parameters<typeof fromWire>[0]));
    }
  }

  #append(streamId: string, events: Parameters<EventStore['append']>[1], expectedVersion: AppendRequest[3]): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      const id = ++this.#nextId;
      this.#waiting.set(id, { resolve, reject });
      this.#outbox.push([id, streamId, events, expectedVersion]);
      if (this.#flushScheduled) return;
      this.#flushScheduled = true;
      // The appends of one batch of commands are issued in one turn: send them as one message.
      queueMicrotask(() => {
        this.#flushScheduled = false;
        const requests = this.#outbox;
        this.#outbox = [];
        try {
          this.#send(requests);
        } catch (error) {
          for (const [requestId] of requests) {
            const failed = this.#waiting.get(requestId);
            this.#waiting.delete(requestId);
            failed?.reject(error instanceof Error ? error : new Error(String(error)));
          }
        }
      });
    });
  }
}
