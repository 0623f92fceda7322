import type { StreamEntry } from './stream-entry.js';
import type { WorkerSlot } from './worker-slot.js';

/** When an idle worker takes streams from a busy one. */
export type StealSettings = {
  /** The busiest worker must have at least this many commands queued or running. */
  minBacklog: number;
  /** At most this many streams move in one steal. */
  maxStreamsPerSteal: number;
  /** The victim's event loop must be at least this busy (0–1): moving streams off a worker that is not saturated gains nothing. */
  busyAbove: number;
  /** The thief's event loop must be at most this busy (0–1), unless it has nothing at all to do. */
  idleBelow: number;
};

/** One planned steal: these streams move from `from` to `to`. */
export type PlannedSteal = { from: number; to: number; streams: StreamEntry[] };

/**
 * A worker that lost streams does not steal for this long, and a stream that moved stays put for
 * this long: without it, two workers whose loads swing past each other trade the same hot streams
 * back and forth, paying a reload on every move.
 */
export const STEAL_COOLDOWN_MS = 250;

/** A worker with nothing to do for this long counts as idle whatever its last utilisation report said. */
const IDLE_AFTER_MS = 25;

/**
 * Plans a steal for one worker. A thief is a live worker with nothing waiting for it, no steal of
 * its own still pending, and an event loop that is idle enough. Its victim is the worker with the
 * most commands queued or running, if that load reaches `minBacklog`, is more than twice the
 * thief's, and the victim's event loop is saturated (`busyAbove`): a stream only gets faster on
 * another worker when its own is the bottleneck, and moving one costs a reload at the thief. Whole streams move — first those with commands waiting, then those with a command
 * running — until about half the difference is the thief's. A stream whose command is running
 * moves once that command is answered (the scheduler defers it), so a stream never runs in two
 * places at once.
 */
export function planSteal(slots: readonly WorkerSlot[], thief: WorkerSlot, settings: StealSettings, now: number): PlannedSteal | undefined {
  if (!thief.ready || thief.queued > 0 || thief.incoming > 0 || now - thief.robbedAt < STEAL_COOLDOWN_MS) return undefined;
  if (thief.utilisation > settings.idleBelow && now - thief.idleSince < IDLE_AFTER_MS) return undefined;
  let victim: WorkerSlot | undefined;
  for (const candidate of slots) {
    if (candidate === thief || candidate.dead) continue;
    if (victim === undefined || candidate.depth > victim.depth) victim = candidate;
  }
  if (victim === undefined || victim.depth < settings.minBacklog || victim.depth < 2 * thief.depth + settings.minBacklog) return undefined;
  if (victim.utilisation < settings.busyAbove) return undefined;
  const target = (victim.depth - thief.depth) / 2;
  const streams: StreamEntry[] = [];
  const chosen = new Set<StreamEntry>();
  let moved = 0;
  const take = (entry: StreamEntry): boolean => {
    if (entry.moveTo >= 0 || chosen.has(entry) || now - entry.movedAt < STEAL_COOLDOWN_MS) return false;
    chosen.add(entry);
    streams.push(entry);
    moved += entry.queue.length + (entry.inFlight === undefined ? 0 : 1);
    return moved >= target || streams.length >= settings.maxStreamsPerSteal;
  };
  let done = false;
  for (const entry of victim.backlog) if ((done = take(entry))) break;
  if (!done) for (const entry of victim.inFlight.values()) if (take(entry)) break;
  return streams.length === 0 ? undefined : { from: victim.index, to: thief.index, streams };
}
