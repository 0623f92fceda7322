import { InvalidArgumentError } from '@strata/core';
import { LeaseLostError } from '../errors/projection-errors.js';
import type { Lease, LeaseInfo, LeaseStore } from './lease-store.js';

type Row = { owner: string; token: number; expiresAt: number };

/**
 * Leases for the runners of one process (tests, or several runners in one process). Nodes in
 * other processes need a shared store: {@link createPostgresLeaseStore}.
 */
export function createInMemoryLeaseStore(options: { clock?: () => number } = {}): LeaseStore {
  if (options.clock !== undefined && typeof options.clock !== 'function') throw new InvalidArgumentError('clock', 'expected a function');
  return new InMemoryLeaseStore(options.clock ?? Date.now);
}

class InMemoryLeaseStore implements LeaseStore {
  readonly #rows = new Map<string, Row>();
  readonly #clock: () => number;

  constructor(clock: () => number) {
    this.#clock = clock;
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    checkTtl(ttlMs);
    const now = this.#clock();
    const row = this.#rows.get(name);
    if (row !== undefined && row.expiresAt > now && row.owner !== owner) return undefined;
    const next: Row = { owner, token: (row?.token ?? 0) + 1, expiresAt: now + ttlMs };
    this.#rows.set(name, next);
    return Object.freeze({ name, owner, token: next.token, expiresAt: next.expiresAt });
  }

  async renew(lease: Lease, ttlMs: number): Promise<Lease | undefined> {
    checkTtl(ttlMs);
    const now = this.#clock();
    const row = this.#rows.get(lease.name);
    if (row === undefined || row.token !== lease.token || row.owner !== lease.owner || row.expiresAt <= now) return undefined;
    row.expiresAt = now + ttlMs;
    return Object.freeze({ ...lease, expiresAt: row.expiresAt });
  }

  async release(lease: Lease): Promise<void> {
    const row = this.#rows.get(lease.name);
    if (row !== undefined && row.token === lease.token && row.owner === lease.owner) row.expiresAt = 0;
  }

  async verify(lease: Lease): Promise<void> {
    const row = this.#rows.get(lease.name);
    if (row === undefined || row.token !== lease.token || row.owner !== lease.owner || row.expiresAt <= this.#clock()) {
      throw new LeaseLostError(lease.name, lease.owner);
    }
  }

  async list(prefix: string): Promise<LeaseInfo[]> {
    const now = this.#clock();
    return [...this.#rows]
      .filter(([name]) => name.startsWith(prefix))
      .map(([name, row]) => ({ name, owner: row.owner, live: row.expiresAt > now }));
  }

  async close(): Promise<void> {}
}

/** Validates a lease duration. */
export function checkTtl(ttlMs: unknown): void {
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs < 1) throw new InvalidArgumentError('ttlMs', 'expected a positive integer');
}
