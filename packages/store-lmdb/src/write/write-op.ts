import type { WriteTransaction } from './write-transaction.js';

/**
 * One write (an append, a delete, a metadata or snapshot save) executed in a group-commit
 * transaction. `apply` runs inside the write transaction, after the writes of the operations
 * queued before it, and sees their effects. It returns its result, or an `Error` for an expected
 * failure (a wrong expected version, a duplicate event …) after writing nothing. It may throw only
 * for unexpected failures: the whole group is then rolled back and every caller in it gets
 * `STORE_FAILURE`.
 */
export interface WriteOp<T> {
  /** Events the operation writes (for the group-size cap). */
  readonly events: number;
  /** Bytes the operation writes, approximately (for the group-size cap). */
  readonly bytes: number;
  apply(txn: WriteTransaction): T | Error;
}
