import { ChannelNames, diagnosticsChannel } from '@strata/core';

/** Circuit breaker states. */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

/**
 * Published on `strata:pool` (`ChannelNames.pool`):
 * - `acquire` after each connection checkout, with the time it took;
 * - `breaker` on every breaker transition, with the new state;
 * - `stats` periodically (with each health check) and on drain.
 */
export type PoolMessage = {
  pool: string;
  event: 'acquire' | 'stats' | 'breaker';
  /** Connections open (idle and in use). */
  total: number;
  /** Connections open and idle. */
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
  /** `acquire` only: how long the checkout took, in ms. */
  acquireMs?: number;
  /** The breaker state (on `breaker`, the state just entered). */
  breaker?: BreakerState;
};

/** The channel pools publish on; check `hasSubscribers` before building a message. */
export const poolChannel = diagnosticsChannel(ChannelNames.pool);
