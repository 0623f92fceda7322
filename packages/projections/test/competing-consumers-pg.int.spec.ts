import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { createPostgresEventStore, type PostgresEventStore } from '@strata/store-postgres';
import { until } from './support/helpers.js';

const NODE = fileURLToPath(new URL('./fixtures/pg-node.mjs', import.meta.url));

type Node = { child: ChildProcess; held: number[]; exited: Promise<number | null> };

let server: PostgresServer;
let nodes: Node[] = [];

beforeAll(async () => {
  server = await startPostgres({ fast: true });
});

afterEach(async () => {
  for (const n of nodes) if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGKILL');
  await Promise.all(nodes.map((n) => n.exited));
  nodes = [];
});

afterAll(async () => {
  await server?.stop();
});

function startNode(schema: string, name: string, partitions: number): Node {
  const child = fork(NODE, [server.connectionString, schema, name, String(partitions)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const node: Node = { child, held: [], exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
  child.on('message', (message) => (node.held = (message as { held: number[] }).held));
  nodes.push(node);
  return node;
}

async function appendBatch(store: PostgresEventStore, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) await store.append(`account-${i % 10}`, [{ type: 'Deposited', data: { i } }]);
}

async function applied(store: PostgresEventStore, schema: string): Promise<{ position: number; node: string; stream: string; version: number }[]> {
  const { rows } = await store.pool.query<{ position: string; node: string; stream: string; version: number }>(
    `SELECT position::text, node, stream, version FROM "${schema}".applied ORDER BY seq`,
  );
  return rows.map((row) => ({ ...row, position: Number(row.position) }));
}

async function scenario(schema: string, partitions: number): Promise<void> {
  const store = await createPostgresEventStore({ connectionString: server.connectionString, schema });
  try {
    await store.pool.query(`CREATE TABLE "${schema}".applied (seq bigserial PRIMARY KEY, position bigint NOT NULL, node text NOT NULL, stream text NOT NULL, version int NOT NULL)`);
    const a = startNode(schema, 'a', partitions);
    const b = startNode(schema, 'b', partitions);
    const share = partitions === 1 ? [1, 0] : [partitions / 2, partitions / 2];
    await until(() => [a.held.length, b.held.length].sort().reverse().join() === share.join(), `partitions shared ${share.join('/')}`, 30_000);
    await appendBatch(store, 0, 60);
    await until(async () => (await applied(store, schema)).length >= 60, 'the first 60 applied', 30_000);

    // kill -9 the node that holds the most; the other takes its partitions over once the leases expire.
    const victim = a.held.length >= b.held.length ? a : b;
    const survivor = victim === a ? b : a;
    victim.child.kill('SIGKILL');
    await appendBatch(store, 60, 60);
    await until(() => survivor.held.length === partitions, 'the survivor holds every partition', 30_000);
    await until(async () => (await applied(store, schema)).length >= 120, 'all 120 applied', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const rows = await applied(store, schema);
    const positions: number[] = [];
    for await (const event of store.readAll()) positions.push(event.position);
    expect(rows.map((r) => r.position).sort((x, y) => x - y), 'each event applied exactly once').toEqual(positions);
    expect(new Set(rows.slice(0, 60).map((r) => r.node)).size, 'who applied the first 60').toBe(partitions === 1 ? 1 : 2);
    expect(rows.some((r) => r.node === (survivor === a ? 'a' : 'b') && positions.indexOf(r.position) >= 60)).toBe(true);
    for (let s = 0; s < 10; s++) {
      const versions = rows.filter((r) => r.stream === `account-${s}`).map((r) => r.version);
      expect(versions, `account-${s} in order`).toEqual([...versions].sort((x, y) => x - y));
    }
    survivor.child.send('stop');
    expect(await survivor.exited).toBe(0);
  } finally {
    await store.close();
  }
}

describe('competing consumers on PostgreSQL, two processes', () => {
  it('single active: one node runs the projection, the other takes over after a kill -9', () => scenario('single_active', 1), 120_000);
  it('partitioned: four partitions shared between the nodes, taken over after a kill -9', () => scenario('partitioned', 4), 120_000);
});
