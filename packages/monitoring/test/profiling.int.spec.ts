import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStrataError } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor } from '../src/index.js';

/** Keeps the CPU busy so the profile has samples of our own code. */
function burn(ms: number): number {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  return x;
}

describe('profiling on demand', () => {
  let dir: string;
  let monitor: Monitor;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-profiles-'));
    monitor = createMonitor({ logger: false, profiling: { dir, endpoint: true } });
  });
  afterAll(async () => {
    await monitor.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a .cpuprofile that DevTools can open (JSON with nodes and samples)', async () => {
    let done = false;
    const capture = monitor.captureCpuProfile({ durationMs: 300, samplingIntervalUs: 200 }).finally(() => (done = true));
    // Busy slices until the capture ends, yielding so the profiler can start and stop.
    while (!done) {
      burn(20);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await capture;
    expect(result.kind).toBe('cpu');
    expect(result.path.startsWith(dir)).toBe(true);
    expect(result.path.endsWith('.cpuprofile')).toBe(true);
    const profile = JSON.parse(await readFile(result.path, 'utf8')) as { nodes: Array<{ callFrame: { functionName: string } }>; samples: number[]; startTime: number; endTime: number };
    expect(Array.isArray(profile.nodes)).toBe(true);
    expect(profile.nodes.length).toBeGreaterThan(1);
    expect(profile.samples.length).toBeGreaterThan(0);
    expect(profile.nodes.some((node) => node.callFrame.functionName === 'burn')).toBe(true);
    expect(result.bytes).toBeGreaterThan(0);
  });

  it('writes a .heapprofile of sampled allocations', async () => {
    const capture = monitor.captureHeapProfile({ durationMs: 200 });
    const kept: number[][] = [];
    for (let i = 0; i < 2000; i++) kept.push(new Array(64).fill(i));
    const result = await capture;
    expect(result.path.endsWith('.heapprofile')).toBe(true);
    const profile = JSON.parse(await readFile(result.path, 'utf8')) as { head: { children: unknown[] }; samples: unknown[] };
    expect(Array.isArray(profile.head.children)).toBe(true);
    expect(kept.length).toBe(2000);
  });

  it('writes a .heapsnapshot', async () => {
    const result = await monitor.captureHeapSnapshot();
    expect(result.path.endsWith('.heapsnapshot')).toBe(true);
    const snapshot = JSON.parse(await readFile(result.path, 'utf8')) as { snapshot: { node_count: number }; nodes: number[] };
    expect(snapshot.snapshot.node_count).toBeGreaterThan(1000);
    expect(snapshot.nodes.length).toBeGreaterThan(0);
  });

  it('runs one capture at a time and validates durations', async () => {
    const first = monitor.captureCpuProfile({ durationMs: 100 });
    await expect(monitor.captureCpuProfile({ durationMs: 100 })).rejects.toSatisfy((error: unknown) => isStrataError(error, 'OVERLOADED'));
    await first;
    expect(() => monitor.captureCpuProfile({ durationMs: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('captures through the HTTP endpoint and streams the file back', async () => {
    const { url } = await monitor.listen({ port: 0 });
    const response = await fetch(`${url}/profile/cpu?seconds=0.2`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="cpu-.*\.cpuprofile"$/);
    const profile = (await response.json()) as { nodes: unknown[]; samples: unknown[] };
    expect(profile.nodes.length).toBeGreaterThan(0);
    expect(Array.isArray(profile.samples)).toBe(true);

    const bad = await fetch(`${url}/profile/cpu?seconds=-1`, { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_ARGUMENT');
    expect((await fetch(`${url}/profile/cpu`)).status).toBe(405);
  });

  it('ends a capture in progress early on close, still writing the file', async () => {
    const other = createMonitor({ logger: false, profiling: { dir } });
    const capture = other.captureCpuProfile({ durationMs: 60_000 });
    await new Promise((resolve) => setImmediate(resolve));
    await other.close();
    const result = await capture;
    expect(result.durationMs).toBeLessThan(60_000);
    expect(JSON.parse(await readFile(result.path, 'utf8'))).toHaveProperty('nodes');
    await expect(other.captureHeapSnapshot()).rejects.toSatisfy((error: unknown) => isStrataError(error, 'STORE_CLOSED'));
  });
});
