import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLmdbEventStore, lmdbStoreDescriptor } from '@strata/store-lmdb';
import { createProcessor, type ExecuteResult } from '../dist/index.js';
import { AGGREGATES, readAll, tempDir } from './support/helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each([
  ['process.exit in a decider', 'crash'],
  ['an uncaught error in the worker', 'throwLater'],
])('a worker killed mid-run (%s)', (_label, crashType) => {
  it('recovers; every acknowledged command is stored once; crashed commands fail with WORKER_CRASHED', async () => {
    const dir = tempDir('crash');
    cleanups.push(dir.remove);
    const path = join(dir.path, 'store');
    const processor = await createProcessor({ store: lmdbStoreDescriptor({ path, durability: 'none' }), aggregates: AGGREGATES, workers: 2 });
    cleanups.push(() => processor.close());

    const streams = Array.from({ length: 40 }, (_, i) => `counter-${i}`);
    type Sent = { stream: string; seq: number; outcome: Promise<ExecuteResult> };
    const sent: Sent[] = [];
    let seq = 0;
    for (let round = 0; round < 10; round++) {
      for (const stream of streams) {
        const s = seq++;
        sent.push({ stream, seq: s, outcome: processor.execute('counter', stream, { type: 'add', amount: 1, seq: s }) });
      }
      if (round === 4) {
        const crashed = processor.execute('counter', 'counter-7', { type: crashType });
        sent.push({ stream: 'counter-7', seq: -1, outcome: crashed });
      }
    }
    const settled = await Promise.all(sent.map((s) => s.outcome.then((value) => ({ ok: true as const, value }), (error: { code: string }) => ({ ok: false as const, code: error.code }))));
    const crash = settled[sent.findIndex((s) => s.seq === -1)]!;
    expect(crash).toEqual({ ok: false, code: 'WORKER_CRASHED' });
    const failedCodes = new Set(settled.filter((s) => !s.ok).map((s) => (s as { code: string }).code));
    expect([...failedCodes]).toEqual(['WORKER_CRASHED']);

    // The pool recovered: every stream (the crashed one too) takes commands again.
    const after = await Promise.all(streams.map((stream) => processor.execute('counter', stream, { type: 'add', amount: 1, seq: 10_000 })));
    expect(after).toHaveLength(streams.length);
    expect(processor.stats().workers.reduce((sum, w) => sum + w.restarts, 0)).toBe(1);

    const reader = await createLmdbEventStore({ path, durability: 'none' });
    cleanups.push(() => reader.close());
    for (const stream of streams) {
      const events = await readAll(reader, stream);
      const storedSeqs = events.map((e) => (e.data as { seq: number }).seq);
      expect(new Set(storedSeqs).size, `${stream}: no command applied twice`).toBe(storedSeqs.length);
      expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i));
      sent.forEach((s, i) => {
        if (s.stream !== stream || s.seq < 0) return;
        const result = settled[i]!;
        if (result.ok) {
          // Acknowledged: stored, at the version it was acknowledged with.
          const version = result.value.nextExpectedVersion;
          expect(events[version]?.data, `${stream} seq ${s.seq}`).toMatchObject({ seq: s.seq });
        }
      });
    }
  });
});
