import { durationMs } from '../internal/validate.js';
import type { RemoteEntry } from '../remote/remote-tier.js';
import { l2Meta, negativeEntry, valueEntry, type CacheContext } from './cache-context.js';
import { deadlines, freshness, type Deadlines } from './cache-entry.js';
import type { Flight } from './single-flight.js';
import type { LoadContext } from './tiered-cache-options.js';
import { validateTags } from './validate-key.js';

/**
 * The work of one flight: the remote tier, then the source; then the result is stored in the
 * tiers below it — unless the key changed meanwhile. That check happens at every tier: the flight
 * must still be attached (no local write or invalidation), the remote tier must accept it against
 * the token of its read, and L2 against the sequence number read when the flight started.
 *
 * L3 counts a hit when the remote tier or the source produced a value, and a miss otherwise.
 */
export async function runFlight<V>(context: CacheContext<V>, flight: Flight<V>, refresh: boolean): Promise<V | undefined> {
  const { key } = flight;
  const { remote, load, counters } = context;
  let token: unknown;
  let remoteAnswered = false;
  if (remote !== undefined) {
    try {
      const read = await remote.get(key);
      token = read.token;
      remoteAnswered = true;
      const entry = read.entry;
      if (entry !== undefined) {
        const now = context.clock();
        const state = freshness(entry.freshUntil, entry.staleUntil, now);
        if (state === 'fresh' || (state === 'stale' && load === undefined)) {
          const value = context.codec.decode(entry.value) as V;
          counters.hit('l3');
          storeLocally(context, flight, value, entry.value, entry, entry.tags.length > 0 ? entry.tags : undefined, now);
          return value;
        }
      }
    } catch (err) {
      // The remote tier is a cache: when it fails, the source still answers.
      counters.tierFailures++;
      if (load === undefined) {
        counters.miss('l3');
        throw err;
      }
    }
  }
  if (load === undefined) {
    counters.miss('l3');
    return undefined;
  }
  const loadContext: LoadContext = { key, refresh };
  const started = performance.now();
  let value: V | undefined;
  try {
    value = await load(key, loadContext);
  } catch (err) {
    counters.loaded(performance.now() - started, true);
    counters.miss('l3');
    if (!refresh) rememberNegative(context, flight, err);
    throw err;
  }
  counters.loaded(performance.now() - started, false);
  if (value === undefined) {
    counters.miss('l3');
    if (!refresh) rememberNegative(context, flight, undefined);
    return undefined;
  }
  counters.hit('l3');
  // What the loader set is validated like set()'s options: a bad TTL or tag fails its callers.
  const ttlMs = durationMs(loadContext.ttlMs, 'context.ttlMs', context.ttlMs);
  const tags = validateTags(loadContext.tags, 'context.tags');
  const encoded = context.codec.encode(value);
  if (flight.detached) return discard(context, value);
  const now = context.clock();
  const entryDeadlines = deadlines(now, ttlMs, context.staleWhileRevalidateMs);
  if (remote !== undefined && remoteAnswered) {
    const remoteEntry: RemoteEntry = { key, value: encoded, ...entryDeadlines, tags: tags ?? [] };
    try {
      if (!(await remote.setIfUnchanged(remoteEntry, token))) return discard(context, value);
    } catch {
      counters.tierFailures++;
    }
    if (flight.detached) return discard(context, value);
  }
  storeLocally(context, flight, value, encoded, entryDeadlines, tags, context.clock());
  return value;
}

/** Stores a value in L2 (if it accepts it) and then L1. */
function storeLocally<V>(
  context: CacheContext<V>,
  flight: Flight<V>,
  value: V,
  encoded: Uint8Array,
  entryDeadlines: Deadlines,
  tags: readonly string[] | undefined,
  now: number,
): void {
  if (flight.detached) {
    context.counters.discardedLoads++;
    return;
  }
  let version: number;
  const l2 = context.l2;
  if (l2 !== undefined) {
    let written: { version: number; evicted: number } | undefined;
    try {
      written = l2.writeIfUnchanged(flight.key, encoded, l2Meta(context, entryDeadlines, tags, now), flight.l2Since ?? 0);
    } catch {
      context.counters.tierFailures++;
      return;
    }
    if (written === undefined) {
      context.counters.discardedLoads++;
      return;
    }
    version = written.version;
    if (written.evicted > 0) context.counters.evicted('l2', written.evicted);
  } else {
    version = context.nextLocalVersion();
  }
  context.l1.put(flight.key, valueEntry(context, flight.key, value, version, entryDeadlines, tags, encoded.length, now));
}

function rememberNegative<V>(context: CacheContext<V>, flight: Flight<V>, error: unknown): void {
  if (context.negativeTtlMs === undefined || flight.detached) return;
  context.l1.put(flight.key, negativeEntry(context, flight.key, error, context.negativeTtlMs, context.clock()));
}

function discard<V>(context: CacheContext<V>, value: V): V {
  context.counters.discardedLoads++;
  return value;
}
