import { ErrorCodes, StrataError, isStrataError } from '@strata/core';

/** LMDB return codes that mean "these files are not a database this build can read". */
const FOREIGN_FILES = /MDB_INVALID|MDB_VERSION_MISMATCH|MDB_INCOMPATIBLE|not an LMDB file/i;

/**
 * The one boundary where errors of lmdb-js and the runtime become Strata errors. Every public
 * entry point of the store passes what it catches through here: Strata errors pass unchanged;
 * everything else (native LMDB failures such as a full disk, I/O errors, a closed environment)
 * becomes `STORE_FAILURE` with the original as `cause`.
 */
export function toStrataError(error: unknown, operation: string): StrataError {
  if (isStrataError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const foreign = FOREIGN_FILES.test(message);
  return new StrataError(
    foreign ? ErrorCodes.INCOMPATIBLE_FORMAT : ErrorCodes.STORE_FAILURE,
    foreign
      ? `The files at the store's path are not an LMDB environment this store can read (${operation}): ${message}`
      : `LMDB store failure during ${operation}: ${message}`,
    { cause: error, details: { operation } },
  );
}
