import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RecordedEvent } from '@strata/core';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { createPostgresEventStore } from '../src/index.js';

type Appended = { stream: string; id: string; version: number; expectedVersion: number };
type Report = { node: string; appended: Appended[]; raceOutcomes: { stream: string; outcome: string; actual?: number }[]; conflicts: number };

const WRITER = fileURLToPath(new URL('./fixtures/two-node-writer.mjs', import.meta.url));
const ROUNDS = 120;
const STREAMS = 3;
const RACES = 20;

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres({ fast: true });
});

afterAll(async () => {
  await server?.stop();
});

function runNode(node: string, schema: string): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = fork(WRITER, [server.connectionString, schema, node, String(ROUNDS), String(STREAMS), String(RACES)], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report: Report | undefined;
    child.on('message', (message) => (report = message as Report));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && report !== undefined ? resolve(report) : reject(new Error(`node ${node} exited with ${code}`))));
  });
}

it('two processes with their own pools append to overlapping streams: no lost update, no duplicate version', async () => {
  const schema = 'two_nodes';
  // Both nodes create and migrate the schema at the same moment, too.
  const reports = await Promise.all([runNode('a', schema), runNode('b', schema)]);
  const store = await createPostgresEventStore({ connectionString: server.connectionString, schema });
  try {
    const appended = reports.flatMap((report) => report.appended);
    expect(appended).toHaveLength(2 * ROUNDS);
    for (let s = 0; s < STREAMS; s++) {
      const stream = `shared-${s}`;
      const stored: RecordedEvent[] = [];
      for await (const event of store.readStream(stream)) stored.push(event);
      const acknowledged = appended.filter((a) => a.stream === stream).sort((x, y) => x.version - y.version);
      expect(stored.map((e) => e.version), `${stream}: gapless versions`).toEqual(stored.map((_, i) => i));
      // Each acknowledged increment is stored at the version it was acknowledged with, right after the one it read.
      expect(acknowledged.map((a) => [a.version, a.id])).toEqual(stored.map((e) => [e.version, e.id]));
      expect(acknowledged.every((a) => a.version === a.expectedVersion + 1)).toBe(true);
    }
    for (let k = 0; k < RACES; k++) {
      const outcomes = reports.map((report) => report.raceOutcomes.find((o) => o.stream === `race-${k}`)!);
      expect(outcomes.filter((o) => o.outcome === 'won'), `race-${k}: exactly one winner`).toHaveLength(1);
      expect(outcomes.find((o) => o.outcome !== 'won'), `race-${k}: the loser`).toMatchObject({ outcome: 'WRONG_EXPECTED_VERSION', actual: 0 });
    }
    const migrations = await store.pool.query<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations`);
    expect(migrations.rows.map((row) => row.version), 'migrated once').toEqual([1]);

    const all: RecordedEvent[] = [];
    for await (const event of store.readAll()) all.push(event);
    expect(all).toHaveLength(2 * ROUNDS + RACES);
    const delivered: RecordedEvent[] = [];
    const subscription = store.subscribe({ from: 'start', handler: (e) => void delivered.push(e) });
    await subscription.waitFor(await store.headPosition());
    await subscription.stop();
    expect(delivered.map((e) => e.id)).toEqual(all.map((e) => e.id));
  } finally {
    await store.close();
  }
}, 120_000);
