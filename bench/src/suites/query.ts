import { join } from 'node:path';
import pg from 'pg';
import { open, type Database, type RootDatabase } from 'lmdb';
import { createReadModelStore, type Collection, type ReadModelStore } from '@strata/query';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { median } from '../harness/median.js';
import type { BenchCase, Suite, Target } from '../harness/types.js';

/**
 * Read-model queries against PostgreSQL with the same data and indexes, in the same run.
 *
 * - Indexed equality: `owner = $1` matching 2 of N documents (1M, 50k in quick mode).
 * - Range: `balance >= $1 AND balance < $1 + 100`, 100 rows, through a B-tree index on balance;
 *   and the same on `score`, whose index covers the documents on both sides (an LMDB covering
 *   index; PostgreSQL `INCLUDE` of every column, vacuumed, so it runs index-only scans).
 * - The plain-index range query done directly on lmdb-js, as the raw dependency's reference: the
 *   same documents (MessagePack records with shared structures) and index entries in an
 *   environment of their own, read as 100 index keys and a `get` of each document in index order.
 * - Planning: the optimizer's cost with a plan-cache hit, and with a miss (cache emptied first),
 *   timed in chunks of 40 ms for the measured window; `nsPerPlan` is the median chunk's time per
 *   plan (each chunk includes the collections its allocations cause), so a stall of the machine
 *   in one chunk does not decide the figure.
 */

type Account = { id: string; owner: string; status: string; balance: number; score: number; name: string };

const FULL = 1_000_000;
const QUICK = 50_000;
/**
 * Planning is timed in chunks of at least this many ms: long enough that every chunk pays its share
 * of the young-generation collections its allocations cause (a few per chunk), short enough that a
 * measured window holds many chunks to take the median of.
 */
const PLAN_CHUNK_MS = 40;
const PLANS_PER_CLOCK_READ = 500;

let rows = QUICK;
let store: ReadModelStore | undefined;
let accounts: Collection<Account>;
let server: PostgresServer | undefined;
let pool: pg.Pool | undefined;
let raw: { root: RootDatabase; docs: Database<unknown, [number, string]>; index: Database<null, [number, number, string]> } | undefined;
let users = 0;
let seq = 0;
let _sink: unknown;

const account = (i: number): Account => ({ id: `acc-${i}`, owner: `owner-${i % (rows / 2)}`, status: i % 10 === 0 ? 'closed' : 'open', balance: i, score: i, name: `Account ${i}` });
const nextOwner = (): string => `owner-${(seq = (seq + 7919) % (rows / 2))}`;
const nextFrom = (): number => (seq = (seq + 7919) % (rows - 100));

async function useData(quick: boolean, tmpDir: string): Promise<void> {
  users++;
  if (store !== undefined) return;
  rows = quick ? QUICK : FULL;
  store = await createReadModelStore({ path: join(tmpDir, 'query'), durability: 'none' });
  accounts = store.collection<Account>('accounts', { indexes: ['owner', 'balance', { fields: ['score'], covering: true }] });
  const batch = 50_000;
  for (let start = 0; start < rows; start += batch) {
    await store.transact({ projection: 'bench', generation: 0 }, start, (tx) => {
      const c = tx.collection<Account>('accounts');
      for (let i = start; i < Math.min(rows, start + batch); i++) c.put(account(i));
    });
  }
  accounts.analyze();
  const root = open({ path: join(tmpDir, 'query-raw'), noSync: true });
  raw = {
    root,
    docs: root.openDB<unknown, [number, string]>('docs', { encoding: 'msgpack', sharedStructuresKey: Symbol.for('structures') } as { encoding: 'msgpack' }),
    index: root.openDB<null, [number, number, string]>('index', { encoding: 'msgpack' }),
  };
  for (let start = 0; start < rows; start += batch) {
    await root.transaction(() => {
      for (let i = start; i < Math.min(rows, start + batch); i++) {
        const a = account(i);
        void raw!.docs.put([1, a.id], a);
        void raw!.index.put([2, a.balance, a.id], null);
      }
    });
  }
  server = await startPostgres();
  pool = new pg.Pool({ connectionString: server.connectionString, max: 1 });
  await pool.query('CREATE TABLE accounts (id text PRIMARY KEY, owner text NOT NULL, status text NOT NULL, balance bigint NOT NULL, score bigint NOT NULL, name text NOT NULL)');
  for (let start = 0; start < rows; start += 5_000) {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (let i = start; i < Math.min(rows, start + 5_000); i++) {
      const a = account(i);
      const n = values.length;
      tuples.push(`($${n + 1},$${n + 2},$${n + 3},$${n + 4},$${n + 5},$${n + 6})`);
      values.push(a.id, a.owner, a.status, a.balance, a.score, a.name);
    }
    await pool.query(`INSERT INTO accounts VALUES ${tuples.join(',')}`, values);
  }
  await pool.query('CREATE INDEX accounts_owner ON accounts (owner)');
  await pool.query('CREATE INDEX accounts_balance ON accounts (balance)');
  await pool.query('CREATE INDEX accounts_score ON accounts (score) INCLUDE (id, owner, status, balance, name)');
  // VACUUM sets the visibility map, so the covering index answers with index-only scans.
  await pool.query('VACUUM ANALYZE accounts');
}

async function releaseData(): Promise<void> {
  users--;
  if (users > 0) return;
  await store?.close();
  await raw?.root.close();
  await pool?.end();
  await server?.stop();
  store = undefined;
  raw = undefined;
  pool = undefined;
  server = undefined;
}

const shared = { setup: (ctx: { quick: boolean; tmpDir: string }) => useData(ctx.quick, ctx.tmpDir), teardown: releaseData };

function planLoop(miss: boolean): BenchCase['measure'] {
  /** Plans for at least PLAN_CHUNK_MS; returns how many, and the ns they took. */
  const chunk = (): { plans: number; ns: number } => {
    const started = process.hrtime.bigint();
    const until = performance.now() + PLAN_CHUNK_MS;
    let plans = 0;
    do {
      for (let i = 0; i < PLANS_PER_CLOCK_READ; i++) {
        if (miss) store!.clearPlanCache();
        _sink = accounts.plan({ where: { owner: nextOwner() } });
      }
      plans += PLANS_PER_CLOCK_READ;
    } while (performance.now() < until);
    return { plans, ns: Number(process.hrtime.bigint() - started) };
  };
  return async (ctx) => {
    // Measure cases get their warm-up from the harness as a duration.
    const warmUntil = performance.now() + ctx.warmupMs;
    while (performance.now() < warmUntil) chunk();
    const nsPerPlan: number[] = [];
    let ops = 0;
    const started = performance.now();
    let elapsedMs: number;
    do {
      const { plans, ns } = chunk();
      nsPerPlan.push(ns / plans);
      ops += plans;
      elapsedMs = performance.now() - started;
    } while (elapsedMs < ctx.durationMs);
    return { ops, elapsedMs, extra: { nsPerPlan: median(nsPerPlan) } };
  };
}

const cases: BenchCase[] = [
  { name: 'query: indexed equality', role: 'subject', ...shared, fn: () => (_sink = accounts.find({ where: { owner: nextOwner() } })) },
  { name: 'pg: indexed equality', role: 'baseline', ...shared, fn: () => pool!.query('SELECT * FROM accounts WHERE owner = $1', [nextOwner()]) },
  {
    name: 'query: range 100 rows',
    role: 'subject',
    ...shared,
    fn: () => {
      const from = nextFrom();
      _sink = accounts.find({ where: { balance: { gte: from, lt: from + 100 } } });
    },
  },
  {
    name: 'pg: range 100 rows',
    role: 'baseline',
    ...shared,
    fn: () => {
      const from = nextFrom();
      return pool!.query('SELECT * FROM accounts WHERE balance >= $1 AND balance < $2', [from, from + 100]);
    },
  },
  {
    name: 'lmdb-js: range 100 rows, index keys + gets',
    role: 'baseline',
    ...shared,
    fn: () => {
      const from = nextFrom();
      const { docs, index } = raw!;
      const found: unknown[] = [];
      for (const key of index.getKeys({ start: [2, from], end: [2, from + 100] })) found.push(docs.get([1, key[2]]));
      _sink = found;
    },
  },
  {
    name: 'query: range 100 rows, covering index',
    role: 'subject',
    ...shared,
    fn: () => {
      const from = nextFrom();
      _sink = accounts.find({ where: { score: { gte: from, lt: from + 100 } } });
    },
  },
  {
    name: 'pg: range 100 rows, covering index',
    role: 'baseline',
    ...shared,
    fn: () => {
      const from = nextFrom();
      return pool!.query('SELECT id, owner, status, balance, score, name FROM accounts WHERE score >= $1 AND score < $2', [from, from + 100]);
    },
  },
  { name: 'planning: plan-cache hit', role: 'subject', ...shared, measure: planLoop(false) },
  { name: 'planning: plan-cache miss', role: 'subject', ...shared, measure: planLoop(true) },
];

const targets: Target[] = [
  { kind: 'latency', subject: 'query: indexed equality', percentile: 50, maxMs: 0.02, description: 'p50 < 20 µs' },
  { kind: 'ratio', subject: 'query: indexed equality', baseline: 'pg: indexed equality', min: 10 },
  { kind: 'ratio', subject: 'query: range 100 rows', baseline: 'pg: range 100 rows', min: 5 },
  { kind: 'ratio', subject: 'query: range 100 rows, covering index', baseline: 'pg: range 100 rows, covering index', min: 5 },
  {
    kind: 'ratio',
    subject: 'query: range 100 rows',
    baseline: 'lmdb-js: range 100 rows, index keys + gets',
    min: 0.8,
    description: 'plain-index range query against the same reads done directly on lmdb-js',
  },
  { kind: 'extra', subject: 'planning: plan-cache hit', key: 'nsPerPlan', max: 1_000, description: 'hit < 1 µs' },
];

const suite: Suite = {
  id: 'query',
  title: 'Read-model queries vs PostgreSQL',
  description:
    'Indexed equality and range queries on the LMDB read-model store against the same queries on PostgreSQL, the plain-index ' +
    'range query against the same reads done directly on lmdb-js, and planning cost with and without the plan cache.',
  cases,
  targets,
  sliceMs: 100,
};

export default suite;
