import { LeaseLostError } from '../errors/projection-errors.js';
import type { Lease } from './lease-store.js';

/** A verification that has not answered by the lease's local expiry counts as a lost lease. */
export async function beforeExpiry(verification: Promise<void>, lease: Lease): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LeaseLostError(lease.name, lease.owner, { details: { reason: 'expired' } })), Math.max(0, lease.expiresAt - Date.now()));
  });
  try {
    await Promise.race([verification, expired]);
  } finally {
    clearTimeout(timer);
  }
}
