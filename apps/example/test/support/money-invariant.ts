import { expect } from 'vitest';
import type { Answer, BankClient } from './bank-client.js';

/** Options of {@link runMoneyInvariant}. */
export type MoneyInvariantOptions = {
  /** One client per app node; operations are spread over them. */
  clients: BankClient[];
  /** SIGKILLs a node and starts it again on the same data; updates that node's client `base`. */
  crash: () => Promise<void>;
  transfers: number;
  concurrency: number;
  accounts: number;
  seed?: number;
};

type Op = { key: string; path: string; body: Record<string, unknown>; kind: 'transfer' | 'deposit' | 'withdrawal' | 'freeze' | 'unfreeze'; account?: string };
type Outcome = { op: Op; answer: Answer };

const FINAL = new Set(['completed', 'rejected', 'compensated']);

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A definitive answer: stored by the app, so a retry returns the same. */
function definitive(answer: Answer): boolean {
  if (answer.status >= 500) return false;
  const code = (answer.body as { error?: { code?: string } } | undefined)?.error?.code;
  return code !== 'CONCURRENCY_CONFLICT';
}

/**
 * The money invariant under concurrent transfers with hot accounts, a freeze window that forces
 * compensations, and a SIGKILL of a node half-way: afterwards every request that was cut off is
 * retried with its Idempotency-Key, and the test checks that balances add up to deposits minus
 * withdrawals, no balance is negative, every transfer is final, the read models agree, and no
 * request (retried or replayed) was applied twice.
 */
export async function runMoneyInvariant(options: MoneyInvariantOptions): Promise<void> {
  const { clients } = options;
  const rnd = random(options.seed ?? 42);
  const run = `r${Date.now().toString(36)}`;
  const client = (i: number): BankClient => clients[i % clients.length]!;

  // Accounts, each with an opening deposit.
  const accounts: string[] = [];
  const deposited = new Map<string, number>();
  const withdrawn = new Map<string, number>();
  const depositCount = new Map<string, number>();
  for (let i = 0; i < options.accounts; i++) {
    const opened = await client(i).command('/accounts', `${run}-open-${i}`, { owner: `owner-${i % 5}` });
    expect(opened.status, opened.text).toBe(201);
    const id = (opened.body as { accountId: string }).accountId;
    accounts.push(id);
    const dep = await client(i).command(`/accounts/${id}/deposits`, `${run}-seed-${i}`, { amount: 50_000 });
    expect(dep.status, dep.text).toBe(200);
    deposited.set(id, 50_000);
    depositCount.set(id, 1);
    withdrawn.set(id, 0);
  }
  const hot = accounts.slice(0, 3);
  const pick = (): string => (rnd() < 0.5 ? hot[Math.floor(rnd() * hot.length)]! : accounts[Math.floor(rnd() * accounts.length)]!);
  const frozen = accounts[accounts.length - 1]!;

  // The operations: mostly transfers (hot accounts on one side half the time), some deposits and
  // withdrawals, and one account frozen for the middle third, so transfers to it are compensated.
  const ops: Op[] = [];
  for (let i = 0; i < options.transfers; i++) {
    if (i === Math.floor(options.transfers / 3)) ops.push({ key: `${run}-freeze`, path: `/accounts/${frozen}/freeze`, body: {}, kind: 'freeze' });
    if (i === Math.floor((2 * options.transfers) / 3)) ops.push({ key: `${run}-unfreeze`, path: `/accounts/${frozen}/unfreeze`, body: {}, kind: 'unfreeze' });
    if (i % 10 === 5) {
      const account = pick();
      const kind = rnd() < 0.5 ? 'deposit' : 'withdrawal';
      ops.push({ key: `${run}-${kind}-${i}`, path: `/accounts/${account}/${kind}s`, body: { amount: 1 + Math.floor(rnd() * 5_000) }, kind, account });
    }
    let from = pick();
    let to = pick();
    while (to === from) to = accounts[Math.floor(rnd() * accounts.length)]!;
    if (i % 7 === 0) {
      to = frozen;
      if (from === frozen) from = hot[0]!;
    }
    ops.push({ key: `${run}-transfer-${i}`, path: '/transfers', body: { from, to, amount: 1 + Math.floor(rnd() * 4_000) }, kind: 'transfer' });
  }

  const done = new Map<string, Outcome>();
  const uncertain = new Map<string, Op>();
  let next = 0;
  let finished = 0;
  let crashing: Promise<void> | undefined;
  let crashed = false;
  const crashAt = Math.floor(ops.length / 2);

  const attempt = async (op: Op, index: number): Promise<void> => {
    try {
      const answer = await client(index).command(op.path, op.key, op.body);
      if (definitive(answer)) {
        done.set(op.key, { op, answer });
        uncertain.delete(op.key);
      } else uncertain.set(op.key, op);
    } catch {
      uncertain.set(op.key, op);
    }
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (crashing !== undefined) await crashing;
      const index = next++;
      if (index >= ops.length) return;
      await attempt(ops[index]!, index);
      finished++;
      if (process.env.BANK_TEST_PROGRESS !== undefined && finished % 1000 === 0) console.error(`${finished}/${ops.length} operations`);
      if (!crashed && finished >= crashAt) {
        crashed = true;
        crashing = options.crash().finally(() => (crashing = undefined));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  expect(crashed).toBe(true);

  // Requests cut off by the kill (or answered 5xx) are retried with the same key until answered.
  const cutOff = [...uncertain.values()];
  expect(cutOff.length, 'requests cut off by the kill').toBeGreaterThan(0);
  for (let round = 0; uncertain.size > 0 && round < 50; round++) {
    await Promise.all([...uncertain.values()].map((op, i) => attempt(op, i)));
    if (uncertain.size > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect([...uncertain.keys()]).toEqual([]);

  // Replays: answered requests, including some that were cut off the first time, answer the same.
  const replays = [...cutOff.slice(0, 20), ...[...done.values()].filter((_, i) => i % 97 === 0).map((o) => o.op)];
  for (const [i, op] of replays.entries()) {
    const again = await client(i).command(op.path, op.key, op.body);
    const first = done.get(op.key)!.answer;
    expect(again.status, op.key).toBe(first.status);
    expect(again.body, op.key).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
  }

  // The ledger the test saw.
  const transfers: { id: string; from: string; to: string; amount: number }[] = [];
  for (const { op, answer } of done.values()) {
    if (op.kind === 'deposit' && answer.status === 200) {
      deposited.set(op.account!, deposited.get(op.account!)! + (op.body.amount as number));
      depositCount.set(op.account!, depositCount.get(op.account!)! + 1);
    }
    if (op.kind === 'withdrawal' && answer.status === 200) withdrawn.set(op.account!, withdrawn.get(op.account!)! + (op.body.amount as number));
    if (op.kind === 'transfer') {
      expect(answer.status, answer.text).toBe(201);
      const body = answer.body as { transferId: string; status: string };
      expect(FINAL.has(body.status), body.status).toBe(true);
      transfers.push({ id: body.transferId, from: op.body.from as string, to: op.body.to as string, amount: op.body.amount as number });
    }
  }
  const totalIn = [...deposited.values()].reduce((a, b) => a + b, 0);
  const totalOut = [...withdrawn.values()].reduce((a, b) => a + b, 0);

  // Balances from the event streams.
  const balances = new Map<string, number>();
  for (const id of accounts) {
    const got = await client(0).get(`/accounts/${id}`);
    expect(got.status).toBe(200);
    const balance = (got.body as { balance: number }).balance;
    expect(balance).toBeGreaterThanOrEqual(0);
    balances.set(id, balance);
  }
  expect([...balances.values()].reduce((a, b) => a + b, 0)).toBe(totalIn - totalOut);

  // Every transfer is final, on every node.
  const statuses = new Map<string, string>();
  for (const [i, t] of transfers.entries()) {
    const got = await client(i).get(`/transfers/${t.id}`);
    expect(got.status).toBe(200);
    const status = (got.body as { status: string }).status;
    expect(FINAL.has(status), `${t.id} ${status}`).toBe(true);
    statuses.set(t.id, status);
  }
  expect([...statuses.values()]).toContain('completed');
  expect([...statuses.values()]).toContain('compensated');

  // The read models, once caught up, agree with the streams, and show every step exactly once.
  const head = ((await client(0).get('/health')).body as { headPosition: number }).headPosition;
  let readTotal = 0;
  let cursor: string | null = null;
  do {
    const query: string = `/balances?limit=500&minPosition=${head}${cursor === null ? '' : `&cursor=${cursor}`}`;
    const page = await client(0).get(query);
    expect(page.status, page.text).toBe(200);
    const body = page.body as { items: { accountId: string; balance: number }[]; nextCursor: string | null };
    for (const item of body.items) {
      if (balances.has(item.accountId)) {
        expect(item.balance, item.accountId).toBe(balances.get(item.accountId));
        readTotal += item.balance;
      }
    }
    cursor = body.nextCursor;
  } while (cursor !== null);
  expect(readTotal).toBe(totalIn - totalOut);

  const steps = new Map<string, number>();
  for (const id of accounts) {
    let deposits = 0;
    let page: string | null = null;
    do {
      const got = await client(0).get(`/accounts/${id}/transactions?limit=500${page === null ? '' : `&cursor=${page}`}`);
      const body = got.body as { items: { kind: string; transferId?: string }[]; nextCursor: string | null };
      for (const line of body.items) {
        if (line.kind === 'deposit') deposits++;
        if (line.transferId !== undefined) {
          const key = `${line.kind}:${line.transferId}`;
          steps.set(key, (steps.get(key) ?? 0) + 1);
        }
      }
      page = body.nextCursor;
    } while (page !== null);
    expect(deposits, `deposits on ${id}`).toBe(depositCount.get(id));
  }
  for (const t of transfers) {
    const status = statuses.get(t.id)!;
    const expected = {
      completed: { 'transfer-out': 1, 'transfer-in': 1, refund: 0 },
      compensated: { 'transfer-out': 1, 'transfer-in': 0, refund: 1 },
      rejected: { 'transfer-out': 0, 'transfer-in': 0, refund: 0 },
    }[status as 'completed' | 'compensated' | 'rejected'];
    for (const [kind, count] of Object.entries(expected)) expect(steps.get(`${kind}:${t.id}`) ?? 0, `${kind} of ${t.id} (${status})`).toBe(count);
  }
}
