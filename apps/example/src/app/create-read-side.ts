import type { BankConfig } from '../config/load-config.js';
import { createQueryReadSide } from '../read/query-read-side.js';
import type { ReadSide } from '../read/read-side.js';
import type { BankEventStore } from './open-event-store.js';

/**
 * The read models: a projection into a local read-model store under `DATA_DIR`. Unflushed LMDB
 * commits survive a process crash, so with `DURABILITY=commit` (process crashes only) the read
 * models skip the flush too; with `flush` they flush, and survive a power loss like the events.
 */
export function createReadSide(config: BankConfig, store: BankEventStore): Promise<ReadSide> {
  return createQueryReadSide({ store, dataDir: config.dataDir, durability: config.durability === 'flush' ? 'flush' : 'none' });
}
