import { channel, type Channel } from 'node:diagnostics_channel';

/**
 * Names of the diagnostics channels Strata packages publish on. `@strata/monitoring` subscribes to
 * them; anyone else may too. Publishing is guarded by `hasSubscribers`, so an unobserved package
 * pays one branch per operation.
 */
export const ChannelNames = {
  /** {@link AppendMessage}, after each committed append. */
  append: 'strata:store:append',
  /** {@link ReadMessage}, after a read completes. */
  read: 'strata:store:read',
  /** {@link SubscriptionMessage}, per delivered batch of a subscription. */
  subscription: 'strata:store:subscription',
  /** {@link CommandMessage}, after each handled command. */
  command: 'strata:command',
  /** Processor events: queue depths, steals, worker utilisation. */
  processor: 'strata:processor',
  /** Cache events: hits, misses, evictions, load latency. */
  cache: 'strata:cache',
  /** Pool events: acquisitions, waits, breaker transitions. */
  pool: 'strata:pool',
  /** {@link BatchMessage}, per executed batch. */
  batch: 'strata:batch',
  /** Query events: plan-cache hits, executions. */
  query: 'strata:query',
  /** Projection events: batches applied, lag. */
  projection: 'strata:projection',
  /** {@link SerializationMessage}: failures of encode/decode. */
  serialization: 'strata:serialization',
} as const;

/** A channel name from {@link ChannelNames}. */
export type ChannelName = (typeof ChannelNames)[keyof typeof ChannelNames];

/** Published on `strata:store:append`. */
export type AppendMessage = {
  store: string;
  streamId: string;
  events: number;
  bytes?: number;
  durationMs: number;
  /** True when the append failed; `code` says why. */
  failed?: boolean;
  code?: string;
};

/** Published on `strata:store:read`. */
export type ReadMessage = { store: string; kind: 'stream' | 'all'; events: number; durationMs: number };

/** Published on `strata:store:subscription`. */
export type SubscriptionMessage = { store: string; events: number; position: number; live: boolean };

/** Published on `strata:command`. */
export type CommandMessage = {
  aggregate: string;
  streamId: string;
  durationMs: number;
  events: number;
  retries: number;
  ok: boolean;
  code?: string;
};

/** Published on `strata:batch`. */
export type BatchMessage = { name: string; size: number; durationMs: number; pending: number; targetSize: number };

/** Published on `strata:serialization`. */
export type SerializationMessage = { format: string; operation: 'encode' | 'decode'; failed: true; code: string };

/** Published on `strata:processor`: queue depths, steals and utilisation per worker. */
export type ProcessorMessage = {
  event: 'queue' | 'steal' | 'utilisation';
  /** The reporting worker (for `steal`: the thief). */
  worker: number | string;
  /** Commands queued at the worker. */
  depth?: number;
  /** Busy fraction 0–1 since the worker's previous report. */
  utilisation?: number;
  /** `steal`: the worker the streams were taken from. */
  from?: number | string;
  /** `steal`: how many streams moved (default 1). */
  streams?: number;
};

/** Published on `strata:projection` after each applied batch (or periodically while idle). */
export type ProjectionMessage = {
  projection: string;
  /** Committed events not yet applied. */
  lagEvents: number;
  /** Age of the oldest event not yet applied. */
  lagMs: number;
  /** Events applied since the previous message. */
  applied: number;
  /** Global position of the last applied event. */
  position?: number;
  /** Time to apply the batch. */
  durationMs?: number;
};

/** Published on `strata:query` after each executed query. */
export type QueryMessage = {
  collection: string;
  /** The plan came from the plan cache. */
  planCacheHit: boolean;
  durationMs: number;
  results?: number;
};

const cache = new Map<string, Channel>();

/**
 * The `node:diagnostics_channel` channel for a name. Hold the returned object (create at module
 * load, not per call) and check `hasSubscribers` before building a message.
 */
export function diagnosticsChannel(name: ChannelName): Channel {
  let found = cache.get(name);
  if (found === undefined) {
    found = channel(name);
    cache.set(name, found);
  }
  return found;
}
