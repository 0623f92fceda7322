import { encodeNumber } from '../layout/number-value.js';
import type { WriteOp } from '../write/write-op.js';
import type { WriteTransaction } from '../write/write-transaction.js';

/** Saves one checkpoint in the group transaction. */
export class SaveCheckpointOp implements WriteOp<void> {
  readonly events = 0;
  readonly bytes = 8;
  readonly #name: string;
  readonly #position: number;

  constructor(name: string, position: number) {
    this.#name = name;
    this.#position = position;
  }

  apply(txn: WriteTransaction): void {
    void txn.dbs.checkpoints.put(this.#name, encodeNumber(this.#position));
  }
}

/** Removes one checkpoint in the group transaction. */
export class DeleteCheckpointOp implements WriteOp<void> {
  readonly events = 0;
  readonly bytes = 0;
  readonly #name: string;

  constructor(name: string) {
    this.#name = name;
  }

  apply(txn: WriteTransaction): void {
    void txn.dbs.checkpoints.remove(this.#name);
  }
}
