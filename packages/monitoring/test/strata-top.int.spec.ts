import { isStrataError } from '@strata/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitor, runStrataTop, type Monitor } from '../src/index.js';
import { publishLoad } from './support/synthetic-load.js';

/** A writable that keeps what it is given. */
function capture(): { write(text: string): boolean; text: () => string; frames: string[] } {
  const frames: string[] = [];
  return { write: (text: string) => frames.push(text) > 0, text: () => frames.join(''), frames };
}

describe('strata-top', () => {
  let monitor: Monitor | undefined;
  afterEach(async () => {
    await monitor?.close();
  });

  it('connects to a mounted monitor and renders one screen with --once', async () => {
    let now = 0;
    monitor = createMonitor({ logger: false, clock: () => now, intervalMs: 3_600_000, basePath: '/monitor' });
    publishLoad({ t: 0, fraction: 1 });
    now += 1000;
    monitor.sample();
    monitor.raiseAlert('disk', { summary: 'volume almost full' });
    monitor.sample();
    const { url } = await monitor.listen({ port: 0 });
    expect(url.endsWith('/monitor')).toBe(true);
    const out = capture();
    await runStrataTop({ url, output: out, once: true, color: false });
    expect(out.frames).toHaveLength(1);
    expect(out.text()).toContain('Strata · Strata monitor');
    expect(out.text()).toMatch(/WARNING\s+disk volume almost full/);
    expect(out.text()).toMatch(/accounts · l1/);
    expect(out.text()).toMatch(/postgres\s+\d+\/10/);
  });

  it('redraws on every snapshot in a terminal until aborted', async () => {
    monitor = createMonitor({ logger: false, intervalMs: 40 });
    const { url } = await monitor.listen({ port: 0 });
    const out = { ...capture(), isTTY: true, columns: 90 };
    const controller = new AbortController();
    const running = runStrataTop({ url, output: out, signal: controller.signal });
    while (out.frames.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await running;
    expect(out.frames.every((frame) => frame.startsWith('\x1b[H\x1b[2J'))).toBe(true);
  });

  it('reports an unreachable monitor with --once and rejects bad URLs', async () => {
    await expect(runStrataTop({ url: 'http://127.0.0.1:1', output: capture(), once: true })).rejects.toThrow();
    await expect(runStrataTop({ url: 'ftp://example', output: capture(), once: true })).rejects.toSatisfy((e: unknown) => isStrataError(e, 'INVALID_ARGUMENT'));
  });
});
