import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CaseRunner } from '../src/harness/case-runner.js';
import { runClosedLoop } from '../src/harness/closed-loop.js';
import { LatencyRecorder } from '../src/harness/latency-recorder.js';
import { runSuite } from '../src/harness/run-suite.js';
import type { RunContext, Suite } from '../src/harness/types.js';

// Windows are a few ms long: these tests check what the runner does, never how fast anything is.
const tiny = { durationMs: 5, warmupMs: 1, repetitions: 3 };

describe('runClosedLoop', () => {
  it('counts and times every call of a synchronous function', async () => {
    let calls = 0;
    const recorder = new LatencyRecorder();
    const result = await runClosedLoop(() => void calls++, { concurrency: 1, durationMs: 5, recorder, async: false });
    expect(result.calls).toBe(calls);
    expect(recorder.count).toBe(calls);
    expect(result.elapsedMs).toBeGreaterThan(0);
  });

  it('keeps exactly `concurrency` asynchronous calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    let calls = 0;
    const fn = async (): Promise<void> => {
      inFlight++;
      calls++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
    };
    const recorder = new LatencyRecorder();
    const result = await runClosedLoop(fn, { concurrency: 8, durationMs: 5, recorder, async: true });
    expect(peak).toBe(8);
    expect(inFlight).toBe(0);
    expect(result.calls).toBe(calls);
    expect(recorder.count).toBe(calls);
  });

  it('stops every caller and rethrows when a call fails', async () => {
    let calls = 0;
    const fn = async (): Promise<void> => {
      calls++;
      await new Promise((resolve) => setImmediate(resolve));
      if (calls === 20) throw new Error('boom');
    };
    await expect(runClosedLoop(fn, { concurrency: 4, durationMs: 10_000, recorder: new LatencyRecorder(), async: true })).rejects.toThrow('boom');
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toBe(after);
  });
});

describe('CaseRunner', () => {
  it('counts opsPerCall operations per measured call', async () => {
    let calls = 0;
    const runner = new CaseRunner({ name: 'batch', role: 'subject', opsPerCall: 100, fn: () => void calls++ }, { ...tiny, warmupMs: 0 }, true);
    await runner.prepare(tmpdir(), 'test');
    const figures = await runner.runRepetition();
    await runner.cleanup();
    // One probe call decides whether fn is asynchronous; the rest are measured.
    expect(figures.ops).toBe((calls - 1) * 100);
  });
});

describe('runSuite', () => {
  it('interleaves the cases repetition by repetition and sets each up and down once', async () => {
    const log: string[] = [];
    const dirs: string[] = [];
    const measured = (name: string) => ({
      name,
      role: name === 'A' ? ('baseline' as const) : ('subject' as const),
      setup: (ctx: RunContext) => {
        log.push(`setup ${name}`);
        dirs.push(ctx.tmpDir);
        expect(existsSync(ctx.tmpDir)).toBe(true);
      },
      measure: async () => {
        log.push(name);
        return { ops: 10, elapsedMs: 5, latenciesNs: [1000, 2000], extra: { bytes: name === 'A' ? 1 : 2 } };
      },
      teardown: () => void log.push(`teardown ${name}`),
    });
    const suite: Suite = {
      id: 'order',
      title: 'Order',
      description: 'Checks the order of calls',
      cases: [measured('A'), measured('B')],
      targets: [{ kind: 'ratio', subject: 'B', baseline: 'A', min: 1 }],
    };
    const { result, info } = await runSuite(suite, { quick: true, overrides: tiny });

    expect(log).toEqual(['setup A', 'setup B', 'A', 'B', 'A', 'B', 'A', 'B', 'teardown B', 'teardown A']);
    expect(new Set(dirs).size).toBe(2);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
    expect(result.cases.map((entry) => [entry.name, entry.opsPerSec, entry.runs.length])).toEqual([
      ['A', 2000, 3],
      ['B', 2000, 3],
    ]);
    expect(result.cases[1]!.extra.bytes).toBe(2);
    expect(result.cases[1]!.extra.rssMB).toBeGreaterThan(0);
    expect(result.cases[0]!.latencyMs?.p50).toBeCloseTo(0.001, 5);
    expect(result.targets).toEqual([{ kind: 'ratio', subject: 'B', baseline: 'A', min: 1, actual: 1, passed: true }]);
    expect(result).toMatchObject({ suite: 'order', title: 'Order', quick: true });
    expect(info).toMatchObject({ ...tiny, description: 'Checks the order of calls' });
  });

  it('measures a sliced suite in interleaved slices, warming each case up once per repetition', async () => {
    const log: string[] = [];
    const slices = new Map<string, { durationMs: number; warmupMs: number }[]>();
    // Each measure call reports exactly the slice it was given, so the rounds are predictable.
    const sliced = (name: string) => ({
      name,
      role: 'subject' as const,
      measure: async (ctx: RunContext) => {
        log.push(name);
        slices.set(name, [...(slices.get(name) ?? []), { durationMs: ctx.durationMs, warmupMs: ctx.warmupMs }]);
        return { ops: ctx.durationMs * (name === 'A' ? 1 : 2), elapsedMs: ctx.durationMs };
      },
    });
    const suite: Suite = { id: 'sliced', title: 'Sliced', description: '', cases: [sliced('A'), sliced('B')], targets: [], sliceMs: 4 };
    const { result, info } = await runSuite(suite, { quick: false, overrides: { durationMs: 10, warmupMs: 3, repetitions: 2 } });

    // 10 ms in slices of 4, 4 and 2 ms, A and B alternating, in each of two repetitions.
    expect(log).toEqual(['A', 'B', 'A', 'B', 'A', 'B', 'A', 'B', 'A', 'B', 'A', 'B']);
    const perRepetition = [
      { durationMs: 4, warmupMs: 3 },
      { durationMs: 4, warmupMs: 0 },
      { durationMs: 2, warmupMs: 0 },
    ];
    expect(slices.get('A')).toEqual([...perRepetition, ...perRepetition]);
    expect(result.cases.map((entry) => [entry.name, entry.runs])).toEqual([
      ['A', [1000, 1000]],
      ['B', [2000, 2000]],
    ]);
    expect(info.sliceMs).toBe(4);
  });

  it('measures cases that are not sliceable in one window, before the sliced rounds', async () => {
    const log: string[] = [];
    const suite: Suite = {
      id: 'mixed',
      title: 'Mixed',
      description: '',
      cases: [
        { name: 'A', role: 'baseline', measure: async (ctx) => (log.push(`A ${ctx.durationMs}`), { ops: 1, elapsedMs: ctx.durationMs }) },
        { name: 'whole', role: 'subject', sliceable: false, measure: async (ctx) => (log.push(`whole ${ctx.durationMs}`), { ops: 1, elapsedMs: 7 }) },
        { name: 'B', role: 'subject', measure: async (ctx) => (log.push(`B ${ctx.durationMs}`), { ops: 1, elapsedMs: ctx.durationMs }) },
      ],
      targets: [],
      sliceMs: 5,
    };
    const { result } = await runSuite(suite, { quick: false, overrides: { durationMs: 10, warmupMs: 0, repetitions: 1 } });
    expect(log).toEqual(['whole 10', 'A 5', 'B 5', 'A 5', 'B 5']);
    expect(result.cases.map((entry) => entry.runs.length)).toEqual([1, 1, 1]);
  });

  it('does not slice when the slice is not shorter than the measured window', async () => {
    const calls: number[] = [];
    const suite: Suite = {
      id: 'unsliced',
      title: 'Unsliced',
      description: '',
      cases: [{ name: 'a', role: 'subject', measure: async (ctx) => (calls.push(ctx.durationMs), { ops: 1, elapsedMs: ctx.durationMs }) }],
      targets: [],
      sliceMs: 50,
    };
    const { info } = await runSuite(suite, { quick: true, overrides: tiny });
    expect(calls).toEqual([5, 5, 5]);
    expect(info.sliceMs).toBeUndefined();
  });

  it('measures fn cases and passes them the run context', async () => {
    let context: RunContext | undefined;
    const suite: Suite = {
      id: 'fn',
      title: 'Fn',
      description: '',
      cases: [
        { name: 'sync', role: 'baseline', setup: (ctx) => void (context = ctx), fn: () => JSON.stringify({ a: 1 }) },
        { name: 'async', role: 'subject', concurrency: 2, fn: () => Promise.resolve() },
      ],
      targets: [],
    };
    const { result } = await runSuite(suite, { quick: false, overrides: tiny });
    expect(context).toMatchObject({ quick: false, durationMs: 5, warmupMs: 1 });
    for (const entry of result.cases) {
      expect(entry.runs).toHaveLength(3);
      expect(entry.opsPerSec).toBeGreaterThan(0);
      expect(entry.latencyMs).toBeDefined();
    }
  });

  it('tears every prepared case down and removes its directory when a case fails', async () => {
    const torn: string[] = [];
    const dirs: string[] = [];
    const suite: Suite = {
      id: 'failing',
      title: 'Failing',
      description: '',
      cases: [
        { name: 'ok', role: 'baseline', setup: (ctx) => void dirs.push(ctx.tmpDir), fn: () => 1, teardown: () => void torn.push('ok') },
        {
          name: 'broken',
          role: 'subject',
          setup: (ctx) => void dirs.push(ctx.tmpDir),
          fn: () => {
            throw new Error('broken case');
          },
          teardown: () => void torn.push('broken'),
        },
      ],
      targets: [],
    };
    await expect(runSuite(suite, { quick: true, overrides: tiny })).rejects.toThrow('broken case');
    expect(torn).toEqual(['broken', 'ok']);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
  });

  it('reports a teardown that fails after a successful run', async () => {
    const suite: Suite = {
      id: 'teardown',
      title: 'Teardown',
      description: '',
      cases: [
        {
          name: 'a',
          role: 'subject',
          fn: () => 1,
          teardown: () => {
            throw new Error('close failed');
          },
        },
      ],
      targets: [],
    };
    const failure = await runSuite(suite, { quick: true, overrides: tiny }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).errors.map((error: Error) => error.message)).toEqual(['close failed']);
  });

  it('rejects an invalid suite before running anything', async () => {
    let ran = false;
    const suite: Suite = {
      id: 'invalid',
      title: 'Invalid',
      description: '',
      cases: [{ name: 'a', role: 'subject', setup: () => void (ran = true), fn: () => 1 }],
      targets: [{ kind: 'opsPerSec', subject: 'b', min: 1 }],
    };
    await expect(runSuite(suite, { quick: true, overrides: tiny })).rejects.toThrow(/subject "b"/);
    expect(ran).toBe(false);
  });
});
