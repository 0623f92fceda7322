import { StreamDeletedError } from '@strata/core';
import { emptyHead } from '../layout/stream-head.js';
import type { WriteOp } from './write-op.js';
import type { WriteTransaction } from './write-transaction.js';

/**
 * Replaces a stream's metadata (encoded as a value envelope before the transaction). A stream that
 * was never written gets a head, so `streamInfo` reports it; a tombstoned one refuses.
 */
export class SetMetadataOp implements WriteOp<void> {
  readonly events = 0;
  readonly #stream: string;
  readonly #encoded: Uint8Array;

  constructor(stream: string, encoded: Uint8Array) {
    this.#stream = stream;
    this.#encoded = encoded;
  }

  get bytes(): number {
    return this.#encoded.length;
  }

  apply(txn: WriteTransaction): void | Error {
    const head = txn.readHead(this.#stream);
    if (head?.hardDeleted) return new StreamDeletedError(this.#stream);
    if (head === undefined) txn.writeHead(this.#stream, emptyHead());
    void txn.dbs.streamMetadata.put(this.#stream, this.#encoded);
  }
}
