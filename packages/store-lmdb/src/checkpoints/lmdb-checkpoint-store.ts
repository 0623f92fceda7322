import { InvalidArgumentError } from '@strata/core';
import type { Databases } from '../layout/databases.js';
import { decodeNumber } from '../layout/number-value.js';
import { toStrataError } from '../errors/to-strata-error.js';
import type { WriteQueue } from '../write/write-queue.js';
import type { CheckpointStore } from '@strata/core';
import { DeleteCheckpointOp, SaveCheckpointOp } from './checkpoint-ops.js';

const MAX_NAME_LENGTH = 200;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Checkpoints in the `checkpoints` database; saves go through the group-commit queue. */
export class LmdbCheckpointStore implements CheckpointStore {
  readonly #dbs: Databases;
  readonly #queue: WriteQueue;
  readonly #assertOpen: () => void;

  constructor(dbs: Databases, queue: WriteQueue, assertOpen: () => void) {
    this.#dbs = dbs;
    this.#queue = queue;
    this.#assertOpen = assertOpen;
  }

  async load(name: string): Promise<number | undefined> {
    this.#assertOpen();
    validateName(name);
    try {
      const bytes = this.#dbs.checkpoints.getBinaryFast(name);
      return bytes === undefined ? undefined : decodeNumber(bytes);
    } catch (error) {
      throw toStrataError(error, 'checkpoints.load');
    }
  }

  async save(name: string, position: number): Promise<void> {
    this.#assertOpen();
    validateName(name);
    if (!Number.isSafeInteger(position) || position < -1) {
      throw new InvalidArgumentError('position', 'expected an integer >= -1');
    }
    try {
      await this.#queue.enqueue(new SaveCheckpointOp(name, position));
    } catch (error) {
      throw toStrataError(error, 'checkpoints.save');
    }
  }

  async delete(name: string): Promise<void> {
    this.#assertOpen();
    validateName(name);
    try {
      await this.#queue.enqueue(new DeleteCheckpointOp(name));
    } catch (error) {
      throw toStrataError(error, 'checkpoints.delete');
    }
  }
}

function validateName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH || CONTROL.test(name)) {
    throw new InvalidArgumentError('name', `expected a non-empty string of at most ${MAX_NAME_LENGTH} printable characters`);
  }
}
