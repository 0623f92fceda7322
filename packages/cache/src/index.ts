export { createTieredCache } from './cache/create-tiered-cache.js';
export type { TieredCache, SetOptions } from './cache/tiered-cache.js';
export type {
  TieredCacheOptions,
  L1Options,
  L2Options,
  WriteBehindOptions,
  Loader,
  LoadContext,
  Writer,
  WriteOperation,
} from './cache/tiered-cache-options.js';
export type { CacheStats, TierStats } from './cache/cache-stats.js';
export { MAX_KEY_BYTES, MAX_TAG_BYTES, MAX_TAGS } from './cache/validate-key.js';

export { createL1Store } from './l1/create-l1-store.js';
export type { L1Store, L1StoreOptions, L1Policy } from './l1/l1-store.js';

export type { RemoteTier, RemoteEntry, RemoteRead } from './remote/remote-tier.js';
export {
  createPostgresRemoteTier,
  type PostgresRemoteTier,
  type PostgresRemoteTierOptions,
} from './remote/postgres-remote-tier.js';
export type { QueryExecutor } from './remote/query-executor.js';

export type { CacheMessage, CacheTierName, CacheEvent } from './diagnostics/cache-message.js';
export type { Clock } from './internal/clock.js';
