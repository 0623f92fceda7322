import type { RootDatabase } from 'lmdb';
import { InvalidArgumentError, type RecordedEvent } from '@strata/core';
import { setRecordCoordinates, type Serializer } from '@strata/serialization';
import type { Databases } from '../layout/databases.js';
import { decodeNumber, encodeNumber } from '../layout/number-value.js';
import { hasChecksum, recordLengthAt, viewOf, writeCoordinates } from '../layout/record-layout.js';
import type { PreparedAppend } from '../write/prepare-append.js';
import type { GeneratedIds } from '../layout/generated-ids.js';
import type { InlineContext, InlineProjectionHandler } from './inline-context.js';
import { InlineProjectionError } from './inline-projection-error.js';

/** What decoding an append needs from its write transaction. */
type Coordinates = { readonly ids: GeneratedIds; readonly serializer: Serializer };

/**
 * The inline projections registered with one store. The write path asks for {@link active}, which
 * is `undefined` while none is registered: an append then pays one branch for the feature.
 */
export class InlineProjections {
  readonly #handlers = new Set<InlineProjectionHandler>();
  readonly #root: RootDatabase;
  readonly #context: InlineContext;
  #active: InlineProjections | undefined;

  constructor(dbs: Databases) {
    this.#root = dbs.root;
    this.#context = Object.freeze({
      environment: dbs.root,
      checkpoint: (name: string): number | undefined => {
        const bytes = dbs.checkpoints.getBinaryFast(name);
        return bytes === undefined ? undefined : decodeNumber(bytes);
      },
      saveCheckpoint: (name: string, position: number): void => {
        if (!Number.isSafeInteger(position) || position < -1) throw new InvalidArgumentError('position', 'expected an integer >= -1');
        void dbs.checkpoints.put(name, encodeNumber(position));
      },
    });
  }

  /** This registry while a handler is registered, else `undefined`. */
  get active(): InlineProjections | undefined {
    return this.#active;
  }

  register(handler: InlineProjectionHandler): () => void {
    if (typeof handler !== 'function') throw new InvalidArgumentError('handler', 'expected a function');
    this.#handlers.add(handler);
    this.#active = this;
    return () => {
      this.#handlers.delete(handler);
      if (this.#handlers.size === 0) this.#active = undefined;
    };
  }

  /**
   * Inside the write transaction, before the append writes anything: sets the records'
   * coordinates in place (the write sets the same ones again), decodes them and runs the
   * handlers in a nested transaction. Returns the error that fails this append, or `undefined`.
   */
  applyAppend(prepared: PreparedAppend, first: number, version: number, txn: Coordinates): InlineProjectionError | undefined {
    const events = decodeAppend(prepared, first, version, txn);
    const outcome = this.run((context): undefined => {
      for (const handler of this.#handlers) checkSync(handler(events, context));
      return undefined;
    });
    return outcome;
  }

  /** Runs `fn` in a nested transaction of the current write transaction; a throw rolls back only its writes. */
  run<T>(fn: (context: InlineContext) => T): T | InlineProjectionError {
    try {
      return this.#root.childTransaction(() => {
        const result = fn(this.#context);
        checkSync(result);
        return result;
      }) as T;
    } catch (error) {
      if (error instanceof InlineProjectionError) return error;
      return new InlineProjectionError(`An inline projection failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

function checkSync(result: unknown): void {
  if (typeof result === 'object' && result !== null && typeof (result as { then?: unknown }).then === 'function') {
    throw new InlineProjectionError('An inline projection handler returned a promise; it must run synchronously in the write transaction');
  }
}

function decodeAppend(prepared: PreparedAppend, first: number, version: number, txn: Coordinates): RecordedEvent[] {
  const { chunks, chunkCounts, offsets, userIds } = prepared;
  const serializer: Serializer = txn.serializer;
  const events: RecordedEvent[] = [];
  let event = 0;
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c] as Uint8Array;
    for (let end = event + (chunkCounts[c] as number); event < end; event++) {
      const position = first + event;
      const offset = offsets[event] as number;
      const userId = userIds?.[event];
      const record = viewOf(chunk, offset, recordLengthAt(chunk, offset));
      if (hasChecksum(chunk, offset)) {
        setRecordCoordinates(record, position, version + event, userId === undefined ? txn.ids.idFor(position) : undefined);
      } else {
        writeCoordinates(chunk, offset, position, version + event, userId === undefined);
      }
      events.push(serializer.decodeRecord(record));
    }
  }
  return events;
}
