import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { createLmdbEventStore } from '@strata/store-lmdb';
import { readAll, tempDir } from './support/helpers.js';

type Outcome = { seq: string; stream: string; ok: boolean; version?: number; code?: string };

const CHILD = fileURLToPath(new URL('./fixtures/processor-child.mjs', import.meta.url));
const ROUNDS = 40;
const STREAMS = 5;
const dir = tempDir('multi');
afterAll(() => dir.remove());

function runChild(path: string, name: string): Promise<Outcome[]> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [path, name, String(ROUNDS), String(STREAMS)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let outcomes: Outcome[] | undefined;
    child.on('message', (message) => (outcomes = (message as { outcomes: Outcome[] }).outcomes));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && outcomes !== undefined ? resolve(outcomes) : reject(new Error(`child ${name} exited with ${code}`))));
  });
}

it('two processors in two processes on one LMDB store apply every command exactly once', async () => {
  const path = join(dir.path, 'store');
  const [a, b] = await Promise.all([runChild(path, 'a'), runChild(path, 'b')]);
  const outcomes = [...a, ...b];
  expect(outcomes).toHaveLength(2 * ROUNDS * STREAMS);
  const store = await createLmdbEventStore({ path, durability: 'none' });
  try {
    for (let s = 0; s < STREAMS; s++) {
      const stream = `shared-${s}`;
      const events = await readAll(store, stream);
      const seqs = events.map((e) => (e.data as { seq: string }).seq);
      expect(new Set(seqs).size, `${stream}: no duplicates`).toBe(seqs.length);
      const mine = outcomes.filter((o) => o.stream === stream);
      for (const outcome of mine) {
        if (outcome.ok) expect(seqs[outcome.version!], outcome.seq).toBe(outcome.seq);
        else expect(seqs, `${outcome.seq} failed (${outcome.code}) and is not stored`).not.toContain(outcome.seq);
      }
      expect(seqs).toHaveLength(mine.filter((o) => o.ok).length);
      expect(seqs.some((q) => q.startsWith('a-')) && seqs.some((q) => q.startsWith('b-')), `${stream}: both processes wrote`).toBe(true);
      // Each event was decided on the state the previous one left: no lost update across processes.
      events.forEach((event, i) => expect((event.data as { before: number }).before).toBe(i));
    }
  } finally {
    await store.close();
  }
});
