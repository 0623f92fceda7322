import { isStrataError, type EventFilter, type SubscriptionSource } from '@strata/core';
import type { LogPage, LogReader } from '../read/log-reader.js';
import type { CommitNotifier } from './commit-notifier.js';

/** First and longest pause before looking again at a bound an older transaction holds back, in ms. */
const HELD_FIRST_MS = 2;
const HELD_MAX_MS = 200;
/** First and longest pause before reading again after the database failed, in ms. */
const RETRY_FIRST_MS = 20;
const RETRY_MAX_MS = 1_000;

/** A subscription source plus the switch that ends its waits when the subscription stops. */
export type LogSubscriptionSource = { source: SubscriptionSource; stop(): void };

/**
 * Feeds core's catch-up subscription engine from the log: pages below the stable bound, and
 * wake-ups from the commit notifier.
 *
 * - When committed events already wait above a bound that an older transaction holds back,
 *   nobody will announce that transaction's end, so the source looks again after a pause that
 *   doubles up to {@link HELD_MAX_MS}.
 * - When the database is unreachable (`CIRCUIT_OPEN`, `POOL_TIMEOUT`, a transient
 *   `STORE_FAILURE`), the read is repeated with backoff until it succeeds or the subscription
 *   stops: an outage delays a subscription, it does not end it. Other errors end it.
 */
export function logSubscriptionSource(
  reader: LogReader,
  notifier: CommitNotifier,
  filter: EventFilter | undefined,
  onDelivered: (events: number, position: number, live: boolean) => void,
  isClosed: () => boolean,
): LogSubscriptionSource {
  let wake: (() => void) | undefined;
  let heldDelay = HELD_FIRST_MS;
  let heldTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let interrupt: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        interrupt = undefined;
        resolve();
      }
      interrupt = done;
    });

  const read = async (from: number, max: number): Promise<LogPage> => {
    for (let delay = RETRY_FIRST_MS; ; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
      try {
        return await reader.page(from, max, filter);
      } catch (error) {
        // A stopped subscription ends quietly: the engine sees the stop after this empty page.
        if (stopped) return { events: [], bound: from, held: false, settled: from };
        if (!isOutage(error) || isClosed()) throw error;
        await pause(delay);
        if (stopped) return { events: [], bound: from, held: false, settled: from };
      }
    }
  };

  const readBelow = async (from: number, max: number, previous: LogPage): Promise<LogPage> => {
    try {
      const events = await reader.below(from, max, previous.bound, filter);
      return { events, bound: previous.bound, held: previous.held, settled: previous.settled };
    } catch (error) {
      if (stopped) return { events: [], bound: from, held: false, settled: from };
      if (!isOutage(error) || isClosed()) throw error;
      return read(from, max);
    }
  };

  // While the engine delivers a full page, the next one is already being read and decoded, so the
  // database and this process work at the same time during a catch-up.
  let prefetched: { from: number; max: number; page: Promise<LogPage> } | undefined;

  const source: SubscriptionSource = {
    async readPage(from, max) {
      const ahead = prefetched !== undefined && prefetched.from === from && prefetched.max === max ? prefetched.page : undefined;
      prefetched = undefined;
      const page = await (ahead ?? read(from, max));
      const full = page.events.length === max;
      if (full && !stopped) {
        const next = page.events[page.events.length - 1]!.position + 1;
        // Everything below the bound this page was read under is final, so the next page is read
        // below it too, without computing a new one; only a page that comes back short looks again.
        prefetched = { from: next, max, page: readBelow(next, max, page) };
        // Its outcome is taken by the next readPage; a subscription that stops first never asks.
        prefetched.page.catch(() => undefined);
      }
      if (page.held && !full) {
        clearTimeout(heldTimer);
        heldTimer = setTimeout(() => wake?.(), heldDelay);
        heldTimer.unref();
        heldDelay = Math.min(heldDelay * 2, HELD_MAX_MS);
      } else {
        heldDelay = HELD_FIRST_MS;
      }
      const next = full ? page.events.at(-1)!.position + 1 : Math.max(from, page.bound);
      return { events: page.events, next };
    },
    endPosition: () => reader.end(),
    onCommit(listener) {
      wake = listener;
      const unsubscribe = notifier.subscribe(listener);
      return () => {
        wake = undefined;
        clearTimeout(heldTimer);
        unsubscribe();
      };
    },
    onDelivered,
  };
  return {
    source,
    stop() {
      stopped = true;
      interrupt?.();
    },
  };
}

function isOutage(error: unknown): boolean {
  if (!isStrataError(error)) return false;
  if (error.code === 'CIRCUIT_OPEN' || error.code === 'POOL_TIMEOUT') return true;
  return error.code === 'STORE_FAILURE' && error.details['transient'] === true;
}
