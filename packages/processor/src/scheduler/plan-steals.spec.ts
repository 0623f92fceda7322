import { describe, expect, it } from 'vitest';
import { planSteal } from './plan-steals.js';
import { streamHomeWorker } from './route-stream.js';
import type { StreamEntry } from './stream-entry.js';
import { WorkerSlot } from './worker-slot.js';

function slotWith(index: number, queues: number[]): WorkerSlot {
  const slot = new WorkerSlot(index);
  slot.ready = true;
  slot.idleSince = Number.POSITIVE_INFINITY;
  queues.forEach((length, i) => {
    const entry: StreamEntry = { streamId: `s-${index}-${i}`, owner: index, generation: 1, queue: new Array(length), inFlight: undefined, moveTo: -1, knownVersion: -1, movedAt: Number.NEGATIVE_INFINITY };
    slot.queued += length;
    if (length > 0) slot.backlog.add(entry);
  });
  return slot;
}

describe('planSteal', () => {
  const settings = { minBacklog: 4, maxStreamsPerSteal: 100, busyAbove: 0, idleBelow: 1 };

  it('moves whole streams from the busiest worker to a dry one, about half the backlog', () => {
    const victim = slotWith(0, [3, 3, 3, 3]);
    const thief = slotWith(1, []);
    const steal = planSteal([victim, thief], thief, settings, 1000);
    expect(steal?.from).toBe(0);
    expect(steal?.to).toBe(1);
    expect(steal?.streams.map((s) => s.streamId)).toEqual(['s-0-0', 's-0-1']);
  });

  it('does not steal below the backlog threshold, for a busy thief, or streams already moving', () => {
    expect(planSteal([slotWith(0, [1, 2]), slotWith(1, [])], slotWith(1, []), settings, 1000)).toBeUndefined();
    const busy = slotWith(1, [1]);
    expect(planSteal([slotWith(0, [9, 9]), busy], busy, settings, 1000)).toBeUndefined();
    const victim = slotWith(0, [9]);
    for (const entry of victim.backlog) entry.moveTo = 1;
    const thief = slotWith(1, []);
    expect(planSteal([victim, thief], thief, settings, 1000)).toBeUndefined();
  });

  it('respects maxStreamsPerSteal', () => {
    const thief = slotWith(1, []);
    const steal = planSteal([slotWith(0, [1, 1, 1, 1, 1, 1, 1, 1]), thief], thief, { ...settings, minBacklog: 1, maxStreamsPerSteal: 2 }, 1000);
    expect(steal?.streams).toHaveLength(2);
  });
});

describe('streamHomeWorker', () => {
  it('spreads streams over the workers deterministically', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[streamHomeWorker(`account-${i}`, 4)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
    expect(streamHomeWorker('account-1', 4)).toBe(streamHomeWorker('account-1', 4));
    expect(streamHomeWorker('account-1', 1)).toBe(0);
  });
});
