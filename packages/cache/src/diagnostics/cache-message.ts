import { ChannelNames, diagnosticsChannel } from '@strata/core';

/** A cache tier, as named in diagnostics and stats: L1 in-process, L2 on LMDB, L3 remote tier or source. */
export type CacheTierName = 'l1' | 'l2' | 'l3';

/** What happened at a tier. */
export type CacheEvent = 'hit' | 'miss' | 'eviction' | 'load' | 'invalidate';

/**
 * Published on `strata:cache` (`ChannelNames.cache`). `count` is present when one message stands
 * for several events (an L2 write that evicted many entries); `durationMs` on `load` events.
 */
export type CacheMessage = {
  cache: string;
  tier: CacheTierName;
  event: CacheEvent;
  durationMs?: number;
  count?: number;
};

/** The `strata:cache` channel, held once: publishers check `hasSubscribers` before building a message. */
export const cacheChannel = diagnosticsChannel(ChannelNames.cache);
