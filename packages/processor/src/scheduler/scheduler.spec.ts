import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { CommandRequest, FromWorker } from '../transport/protocol.js';
import type { WorkerEvents, WorkerHandle } from '../transport/worker-handle.js';
import { streamHomeWorker } from './route-stream.js';
import { Scheduler } from './scheduler.js';
import type { ExecuteResult, PendingCommand } from './stream-entry.js';

/** A worker that records what it is sent and answers only when the test says so. */
class FakeWorker implements WorkerHandle {
  readonly received: CommandRequest[] = [];
  readonly dropped: string[] = [];
  readonly running = new Map<number, CommandRequest>();
  constructor(readonly events: WorkerEvents) {}
  start(): Promise<void> {
    return Promise.resolve();
  }
  post(commands: CommandRequest[], drop: string[]): void {
    this.dropped.push(...drop);
    for (const command of commands) {
      this.received.push(command);
      this.running.set(command[0], command);
    }
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  /** Answers every running command successfully. */
  answerAll(): void {
    const ok = [...this.running.values()].map((c) => [c[0], [], c[4] + 1, 0, 0] as [number, never[], number, number, number]);
    this.running.clear();
    const message: FromWorker = { t: 'done', ok, failed: [], hits: 0, misses: 0, utilisation: 1 };
    this.events.onMessage(message);
  }
}

function setup(): { scheduler: Scheduler; workers: FakeWorker[] } {
  const workers: FakeWorker[] = [];
  const scheduler = new Scheduler({
    slots: 2,
    stealing: { minBacklog: 1, maxStreamsPerSteal: 100, busyAbove: 0, idleBelow: 1 },
    maxTrackedStreams: 1000,
    onCapacity: () => undefined,
    createWorker: (_slot, events) => {
      const worker = new FakeWorker(events);
      workers.push(worker);
      return worker;
    },
  });
  return { scheduler, workers };
}

let nextId = 0;
function submit(scheduler: Scheduler, streamId: string, answers: string[]): Promise<ExecuteResult> {
  return new Promise((resolve, reject) => {
    const id = ++nextId;
    const pending: PendingCommand = {
      id,
      aggregate: 'counter',
      streamId,
      command: { id },
      expectedVersion: undefined,
      metadata: undefined,
      context: undefined,
      started: 0,
      resolve: (result) => {
        answers.push(`${streamId}#${id}`);
        resolve(result);
      },
      reject,
    };
    scheduler.submit(pending);
  });
}

describe('Scheduler', () => {
  it('runs one command per stream at a time, moves a busy stream only after its command, under a new generation', async () => {
    const { scheduler, workers } = setup();
    await scheduler.start();
    const [w0, w1] = workers as [FakeWorker, FakeWorker];
    let stream = 'counter-0';
    for (let i = 0; streamHomeWorker(stream, 2) !== 0; i++) stream = `counter-${i}`;
    const answers: string[] = [];
    const all = [1, 2, 3].map(() => submit(scheduler, stream, answers));
    await nextTurn();
    // One command of the stream went to its home worker; the other two wait.
    expect(w0.received.map((c) => c[2])).toEqual([stream]);
    expect(w1.received).toEqual([]);
    const firstGeneration = w0.received[0]![3];
    // Worker 1 is idle, so the stream is stolen, but it moves only once its running command is answered.
    w0.answerAll();
    await nextTurn();
    expect(w0.received).toHaveLength(1);
    expect(w1.received.map((c) => c[2])).toEqual([stream]);
    expect(w1.received[0]![3]).not.toBe(firstGeneration);
    // The new owner is told which version the old one acknowledged, so it never decides on less.
    expect(w1.received[0]![4]).toBe(0);
    expect(w0.dropped).toContain(stream);
    expect(w0.running.size + w1.running.size).toBe(1);
    w1.answerAll();
    await nextTurn();
    expect(w0.running.size + w1.running.size).toBe(1);
    w0.answerAll();
    w1.answerAll();
    await Promise.all(all);
    expect(answers).toEqual(all.map((_, i) => `${stream}#${nextId - 2 + i}`));
    const stats = scheduler.slots.map((slot) => [slot.steals, slot.owned]);
    expect(stats).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it('fails the running commands of a crashed worker and sends the stream its queued ones after the restart', async () => {
    const { scheduler, workers } = setup();
    await scheduler.start();
    const [w0] = workers as [FakeWorker];
    let stream = 'counter-0';
    for (let i = 0; streamHomeWorker(stream, 2) !== 0; i++) stream = `counter-${i}`;
    const answers: string[] = [];
    const first = submit(scheduler, stream, answers);
    const second = submit(scheduler, stream, answers);
    await nextTurn();
    w0.events.onCrash('test');
    await expect(first).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    // The queued command runs on the replacement (or on the worker that stole the stream).
    for (let i = 0; i < 10 && workers.slice(1).every((w) => w.running.size === 0); i++) await nextTurn();
    const runner = workers.slice(1).find((w) => w.running.size > 0)!;
    expect([...runner.running.values()].map((c) => c[2])).toEqual([stream]);
    runner.answerAll();
    await expect(second).resolves.toMatchObject({ position: 0 });
  });
});
