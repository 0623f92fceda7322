import { createHash } from 'node:crypto';
import { ErrorCodes, isStrataError, StrataError, type EventStore, type RecordedEvent } from '@strata/core';
import { ApiError } from '../errors/api-error.js';

/** A response kept for replay. */
export type StoredResponse = {
  status: number;
  body: unknown;
  /** Extra headers to send again (ETag, Location). */
  headers?: Record<string, string>;
};

/** What the first attempt of a request decided before running it: generated ids, mostly. */
export type RequestPlan = Record<string, string>;

/** The state of an idempotency key when a request arrives. */
export type IdempotencyClaim =
  /** The key is new: run the request with `plan`, then {@link IdempotencyStore.complete}. */
  | { kind: 'new'; plan: RequestPlan }
  /** An earlier attempt started but never answered (cut off, or still running): run it again with its plan. */
  | { kind: 'resume'; plan: RequestPlan }
  /** The request was answered: send the same answer. */
  | { kind: 'replay'; response: StoredResponse };

type Started = { fingerprint: string; plan: RequestPlan };

/** The key was used before for a different request. */
export const IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED';

/**
 * Idempotency keys kept in the event store itself, one small stream per key: a `RequestStarted`
 * event with the request's fingerprint and plan, then a `RequestAnswered` event with the response.
 * Storing them beside the events makes them exactly as durable as the commands they guard, on
 * either backend, and shared by every node of a PostgreSQL deployment.
 *
 * Commands carry ids from the plan (a request id, a new account's id, a transfer id) that the
 * aggregates remember, so an attempt that was cut off after its command was applied, and is run
 * again, does not apply it twice.
 */
export class IdempotencyStore {
  readonly #store: EventStore;

  constructor(store: EventStore) {
    this.#store = store;
  }

  /** The stream of a key: hashed, so any printable key makes a valid, bounded stream id. */
  static streamOf(key: string): string {
    return `idempotency-${createHash('sha256').update(key).digest('base64url')}`;
  }

  /** A fingerprint of what a request asks for, to tell a retry from a different request under the same key. */
  static fingerprint(method: string, path: string, body: unknown): string {
    return createHash('sha256').update(`${method} ${path} ${JSON.stringify(body ?? null)}`).digest('base64url');
  }

  /**
   * Claims `key` for a request, recording `plan`, or reports what an earlier attempt with the key
   * recorded. Fails with `IDEMPOTENCY_KEY_REUSED` when the key belongs to another request.
   */
  async claim(key: string, fingerprint: string, plan: RequestPlan): Promise<IdempotencyClaim> {
    const stream = IdempotencyStore.streamOf(key);
    try {
      await this.#store.append(stream, [{ type: 'RequestStarted', data: { fingerprint, plan } satisfies Started }], {
        expectedVersion: 'no_stream',
      });
      return { kind: 'new', plan };
    } catch (error) {
      if (!isStrataError(error, ErrorCodes.WRONG_EXPECTED_VERSION)) throw error;
      return this.#follow(await this.#read(stream), fingerprint);
    }
  }

  /**
   * Records the answer to a claimed key and returns the answer to send: `response`, or the answer
   * a concurrent attempt recorded first, so every attempt answers the same.
   */
  async complete(key: string, response: StoredResponse): Promise<StoredResponse> {
    const stream = IdempotencyStore.streamOf(key);
    try {
      await this.#store.append(stream, [{ type: 'RequestAnswered', data: response }], { expectedVersion: 0 });
      return response;
    } catch (error) {
      if (!isStrataError(error, ErrorCodes.WRONG_EXPECTED_VERSION)) throw error;
      const answered = (await this.#read(stream)).find((e) => e.type === 'RequestAnswered');
      return answered === undefined ? response : (answered.data as StoredResponse);
    }
  }

  async #read(stream: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of this.#store.readStream(stream, { maxCount: 2 })) events.push(event);
    return events;
  }

  #follow(events: readonly RecordedEvent[], fingerprint: string): Exclude<IdempotencyClaim, { kind: 'new' }> {
    const started = events[0]?.data as Started | undefined;
    if (started === undefined) throw new StrataError(ErrorCodes.STORE_FAILURE, 'idempotency record vanished');
    if (started.fingerprint !== fingerprint) {
      throw new ApiError(422, IDEMPOTENCY_KEY_REUSED, 'this Idempotency-Key was used for a different request');
    }
    const answered = events.find((e) => e.type === 'RequestAnswered');
    if (answered !== undefined) return { kind: 'replay', response: answered.data as StoredResponse };
    return { kind: 'resume', plan: started.plan };
  }
}
