/** A lease held by one owner, with a fencing token that grows with every change of holder. */
export type Lease = {
  readonly name: string;
  readonly owner: string;
  /** Fencing token: a later holder always has a larger one. */
  readonly token: number;
  /** Local time (ms since the epoch) after which the holder must consider the lease lost. */
  readonly expiresAt: number;
};

/** A lease as listed by {@link LeaseStore.list}. */
export type LeaseInfo = { readonly name: string; readonly owner: string; readonly live: boolean };

/**
 * Leases shared by the nodes that run projections, so a projection (or a partition of one) runs
 * on one node at a time. Expiry is judged by the store (the database's clock for PostgreSQL), so
 * nodes' clocks need not agree.
 */
export interface LeaseStore {
  /** Takes `name` when it is free or expired; `undefined` when another owner holds it. */
  acquire(name: string, owner: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extends a held lease; `undefined` when it was lost (expired or taken over). */
  renew(lease: Lease, ttlMs: number): Promise<Lease | undefined>;
  /** Gives a lease up so another node can take it at once. */
  release(lease: Lease): Promise<void>;
  /**
   * Rejects with `LEASE_LOST` unless `lease` is still held. `tx` is the sink's transaction: a store
   * that can check inside it (PostgreSQL, with a PostgreSQL sink) holds the lease row until that
   * transaction commits, so a node that lost its lease can never commit.
   */
  verify(lease: Lease, tx?: unknown): Promise<void>;
  /** Leases whose names start with `prefix`. */
  list(prefix: string): Promise<LeaseInfo[]>;
  /** Releases resources (connections). */
  close(): Promise<void>;
}
