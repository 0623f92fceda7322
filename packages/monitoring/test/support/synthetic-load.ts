import { ChannelNames, diagnosticsChannel, type AppendMessage, type BatchMessage, type CommandMessage, type ReadMessage } from '@strata/core';

const channels = {
  append: diagnosticsChannel(ChannelNames.append),
  read: diagnosticsChannel(ChannelNames.read),
  command: diagnosticsChannel(ChannelNames.command),
  cache: diagnosticsChannel(ChannelNames.cache),
  pool: diagnosticsChannel(ChannelNames.pool),
  batch: diagnosticsChannel(ChannelNames.batch),
  processor: diagnosticsChannel(ChannelNames.processor),
  projection: diagnosticsChannel(ChannelNames.projection),
  query: diagnosticsChannel(ChannelNames.query),
} as const;

/** Settings of one burst of synthetic activity. */
export type LoadStep = {
  /** Seconds since the load started: shapes the curves so charts have something to show. */
  t: number;
  /** Fraction of a second this burst stands for (0.05 for a burst every 50 ms). */
  fraction: number;
  /** Commands take 25-45 ms instead of 1-5 ms. */
  slowCommands?: boolean;
};

/** A deterministic pseudo-random sequence, so the dashboard looks the same run after run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4_294_967_296;
  };
}

/**
 * Publishes on every channel what a busy application would: appends, commands, reads, cache
 * lookups per tier, pool state, batches, worker queues, projection lag and queries, with rates
 * and latencies that drift over time.
 */
export function publishLoad(step: LoadStep): void {
  const rnd = random(Math.round(step.t * 1000) + 7);
  const wave = 1 + 0.35 * Math.sin(step.t / 9) + 0.15 * Math.sin(step.t / 2.3);
  const appends = Math.round(1200 * wave * step.fraction);
  for (let i = 0; i < appends; i++) {
    const tail = rnd() < 0.01 ? 2 + rnd() * 4 : 0;
    const message: AppendMessage = { store: 'lmdb', streamId: `account-${i}`, events: 1 + Math.floor(rnd() * 3), durationMs: 0.18 + rnd() * 0.25 * wave + tail };
    channels.append.publish(message);
  }
  const commands = Math.round(700 * wave * step.fraction);
  for (let i = 0; i < commands; i++) {
    const aggregate = i % 3 === 0 ? 'transfer' : 'account';
    const durationMs = step.slowCommands === true ? 25 + rnd() * 20 : 1 + rnd() * 3 * wave + (rnd() < 0.01 ? 6 : 0);
    const ok = rnd() > 0.01;
    const message: CommandMessage = { aggregate, streamId: `${aggregate}-${i}`, durationMs, events: 1, retries: rnd() < 0.02 ? 1 : 0, ok, ...(ok ? {} : { code: 'COMMAND_REJECTED' }) };
    channels.command.publish(message);
  }
  const reads = Math.round(300 * step.fraction);
  for (let i = 0; i < reads; i++) {
    const message: ReadMessage = { store: 'lmdb', kind: i % 4 === 0 ? 'all' : 'stream', events: 20 + Math.floor(rnd() * 80), durationMs: 0.05 + rnd() * 0.2 };
    channels.read.publish(message);
  }
  const tiers = [
    { tier: 'l1', hit: 0.93 + 0.04 * Math.sin(step.t / 7) },
    { tier: 'l2', hit: 0.72 + 0.08 * Math.sin(step.t / 5) },
    { tier: 'l3', hit: 0.45 + 0.1 * Math.sin(step.t / 11) },
  ];
  for (const { tier, hit } of tiers) {
    const hits = Math.round(2000 * hit * step.fraction);
    const misses = Math.round(2000 * (1 - hit) * step.fraction);
    channels.cache.publish({ cache: 'accounts', tier, event: 'hit', count: hits });
    channels.cache.publish({ cache: 'accounts', tier, event: 'miss', count: misses });
    channels.cache.publish({ cache: 'accounts', tier, event: 'load', durationMs: 0.4 + rnd() * 2 });
    if (rnd() < 0.3) channels.cache.publish({ cache: 'accounts', tier, event: 'eviction', count: 1 + Math.floor(rnd() * 20) });
  }
  const inUse = Math.min(10, Math.round(4 + 3 * wave + rnd() * 2));
  const waiting = Math.max(0, Math.round(3 * (wave - 1.1) * 10 * rnd()));
  for (let i = 0; i < Math.round(400 * step.fraction); i++) {
    channels.pool.publish({ pool: 'postgres', event: 'acquire', total: 10, idle: 10 - inUse, waiting, acquireMs: waiting > 0 ? 1 + rnd() * 8 : 0.02 + rnd() * 0.05, breaker: 'closed' });
  }
  channels.pool.publish({ pool: 'replica', event: 'health', total: 4, idle: 3, waiting: 0, breaker: step.t % 40 > 30 ? 'half-open' : 'closed' });
  for (let i = 0; i < Math.max(1, Math.round(40 * step.fraction)); i++) {
    const message: BatchMessage = { name: 'appends', size: Math.round(24 + 20 * wave + rnd() * 16), durationMs: 0.6 + rnd() * 0.6, pending: Math.round(rnd() * 30 * wave), targetSize: 64 };
    channels.batch.publish(message);
  }
  for (let worker = 0; worker < 4; worker++) {
    const depth = Math.max(0, Math.round(6 * wave + 4 * Math.sin(step.t / 3 + worker) + rnd() * 3));
    channels.processor.publish({ event: 'queue', worker, depth });
    channels.processor.publish({ event: 'utilisation', worker, utilisation: Math.min(1, 0.45 + 0.3 * wave * rnd()) });
    if (rnd() < 0.08) channels.processor.publish({ event: 'steal', worker, from: (worker + 1) % 4, streams: 1 + Math.floor(rnd() * 3) });
  }
  channels.projection.publish({ projection: 'balances', lagEvents: Math.round(40 + 35 * Math.sin(step.t / 6) + rnd() * 10), lagMs: 12 + rnd() * 8, applied: Math.round(1100 * wave * step.fraction), position: Math.round(step.t * 1000) });
  channels.projection.publish({ projection: 'statements', lagEvents: Math.round(140 + 90 * Math.sin(step.t / 13) + rnd() * 20), lagMs: 45 + rnd() * 20, applied: Math.round(900 * wave * step.fraction), position: Math.round(step.t * 900) });
  for (let i = 0; i < Math.round(150 * step.fraction); i++) {
    channels.query.publish({ collection: i % 2 === 0 ? 'accounts' : 'transfers', planCacheHit: rnd() < 0.96, durationMs: 0.02 + rnd() * 0.1 });
  }
}
