import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, expect, it } from 'vitest';
import { createLmdbEventStore, type LmdbEventStore } from '@strata/store-lmdb';
import { createProjectionRunner } from '../src/index.js';
import { until } from './support/helpers.js';

// The fixture module is plain JavaScript shared with the child process.
type Models = { close(): Promise<void> };
type Ledger = {
  openReadModels(path: string): Promise<Models>;
  ledgerDocuments(models: Models): Promise<Record<string, { balance: number; count: number; lastVersion: number; anomalies: number }>>;
  ledgerProjection(models: Models, slowMs?: number): Parameters<typeof createProjectionRunner>[0]['projections'][number];
};

const PROJECTOR = fileURLToPath(new URL('./fixtures/crash-projector.mjs', import.meta.url));
const LEDGER = new URL('./fixtures/ledger.mjs', import.meta.url).href;
const CYCLES = 5;
const STREAMS = 7;

const dir = mkdtempSync(join(tmpdir(), 'strata-projection-crash-'));
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Projector = { child: ChildProcess; position: number; exited: Promise<unknown> };

function startProjector(): Projector {
  const forked = fork(PROJECTOR, [join(dir, 'events'), join(dir, 'models')], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child = forked;
  const projector: Projector = { child: forked, position: -1, exited: new Promise((resolve) => forked.once('exit', resolve)) };
  forked.on('message', (message) => (projector.position = (message as { position: number }).position));
  return projector;
}

let deposits = 0;

/** Appends `count` deposits over the ledger's streams, several per append. */
async function appendDeposits(store: LmdbEventStore, count: number): Promise<void> {
  for (let i = 0; i < count; i += 5) {
    const n = deposits++;
    await store.append(`account-${n % STREAMS}`, Array.from({ length: 5 }, (_, k) => ({ type: 'Deposited', data: { amount: (n % 13) + k + 1 } })));
  }
}

it('killed with SIGKILL mid-batch again and again, the projection ends up equal to a fresh rebuild', async () => {
  const ledger = (await import(LEDGER)) as Ledger;
  const store = await createLmdbEventStore({ path: join(dir, 'events'), durability: 'none' });
  try {
    await appendDeposits(store, 300);
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const projector = startProjector();
      const before = Math.max(projector.position, -1);
      // Appends while the projection runs; kill it once it has made progress and still has work to do.
      const appending = appendDeposits(store, 150);
      for (;;) {
        await until(() => projector.position > before + 20 || projector.child.exitCode !== null, 'progress', 60_000);
        await new Promise((resolve) => setTimeout(resolve, 1 + cycle * 3));
        if (projector.position < (await store.headPosition()) || projector.child.exitCode !== null) break;
        await appendDeposits(store, 50);
      }
      projector.child.kill('SIGKILL');
      await projector.exited;
      expect(projector.child.signalCode, 'the projector ran until it was killed').toBe('SIGKILL');
      await appending;
    }
    const head = await store.headPosition();
    const last = startProjector();
    await until(() => last.position === head || last.child.exitCode !== null, 'the restarted projection to catch up', 60_000);
    expect(last.child.exitCode, 'the projector is still running').toBeNull();
    last.child.send('stop');
    await last.exited;
    expect(last.child.exitCode).toBe(0);

    const survived = await ledger.openReadModels(join(dir, 'models'));
    const fresh = await ledger.openReadModels(join(dir, 'fresh'));
    const runner = createProjectionRunner({ store, checkpoints: store.checkpoints, projections: [ledger.ledgerProjection(fresh)], metricsIntervalMs: 0 });
    try {
      await runner.start();
      await runner.waitFor(head);
      const expected = await ledger.ledgerDocuments(fresh);
      const actual = await ledger.ledgerDocuments(survived);
      expect(Object.keys(expected)).toHaveLength(STREAMS);
      expect(actual).toEqual(expected);
      const total = Object.values(actual).reduce((sum, doc) => sum + doc.count, 0);
      expect(total).toBe(head + 1);
      expect(Object.values(actual).every((doc) => doc.anomalies === 0)).toBe(true);
    } finally {
      await runner.stop();
      await survived.close();
      await fresh.close();
    }
  } finally {
    await store.close();
  }
}, 180_000);
