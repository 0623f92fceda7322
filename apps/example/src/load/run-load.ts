import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LatencyStats } from './latency-stats.js';
import { ProgressBar } from './progress-bar.js';

/** Settings of a load run. */
export type LoadOptions = {
  /** Base URL of a running bank. */
  url: string;
  token: string;
  /** How long to drive traffic, in seconds. */
  durationSeconds: number;
  /** Requests in flight. */
  concurrency: number;
  /** Accounts opened before the run. */
  accounts: number;
  /** Accounts that take half of all transfers (contention). */
  hotAccounts: number;
};

/** What a load run measured, per kind of request. */
export type LoadReport = { seconds: number; kinds: Map<string, LatencyStats>; statuses: Map<number, number> };

type Kind = 'setup' | 'deposit' | 'withdrawal' | 'transfer' | 'query';

const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

function call(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(new URL(path, base), { method, agent, headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString());
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Drives realistic traffic at a running bank: opens accounts and funds them, then for the
 * duration sends transfers (half of them touching a few hot accounts), deposits, withdrawals and
 * read-model queries, with a progress bar on stderr. Returns latencies per kind of request.
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const auth = { authorization: `Bearer ${options.token}` };
  const kinds = new Map<string, LatencyStats>();
  const statuses = new Map<number, number>();
  const stats = (kind: Kind): LatencyStats => {
    let s = kinds.get(kind);
    if (s === undefined) kinds.set(kind, (s = new LatencyStats()));
    return s;
  };
  const timed = async (kind: Kind, method: string, path: string, body?: unknown): Promise<unknown> => {
    const started = performance.now();
    const headers = method === 'POST' ? { ...auth, 'idempotency-key': randomUUID() } : {};
    try {
      const answer = await call(options.url, method, path, headers, body);
      stats(kind).record(performance.now() - started);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status >= 500) stats(kind).errors++;
      return answer.json;
    } catch {
      stats(kind).errors++;
      return undefined;
    }
  };

  const bar = new ProgressBar();
  const accounts: string[] = [];
  const owners = Math.max(1, Math.floor(options.accounts / 4));
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, options.accounts) }, async (_, worker) => {
      for (let i = worker; i < options.accounts; i += Math.min(options.concurrency, options.accounts)) {
        const opened = (await timed('setup', 'POST', '/accounts', { owner: `owner-${i % owners}` })) as { accountId?: string } | undefined;
        if (opened?.accountId === undefined) continue;
        accounts.push(opened.accountId);
        await timed('setup', 'POST', `/accounts/${opened.accountId}/deposits`, { amount: 1_000_000 });
        bar.update(accounts.length / options.accounts / 10, `opening accounts ${accounts.length}/${options.accounts}`);
      }
    }),
  );
  if (accounts.length < 2) throw new Error(`could not open accounts at ${options.url}: is the bank running and the token right?`);

  const hot = accounts.slice(0, Math.max(1, Math.min(options.hotAccounts, accounts.length - 1)));
  const any = (): string => accounts[Math.floor(Math.random() * accounts.length)]!;
  const pick = (): string => (Math.random() < 0.5 ? hot[Math.floor(Math.random() * hot.length)]! : any());
  const started = performance.now();
  const end = started + options.durationSeconds * 1_000;
  let done = 0;
  const timer = setInterval(() => {
    const elapsed = (performance.now() - started) / 1_000;
    const errors = [...kinds.values()].reduce((n, s) => n + s.errors, 0);
    bar.update(0.1 + 0.9 * Math.min(1, elapsed / options.durationSeconds), `${elapsed.toFixed(0)}s ${done} requests ${(done / Math.max(elapsed, 0.001)).toFixed(0)}/s errors ${errors}`);
  }, 250);
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < end) {
        const dice = Math.random();
        if (dice < 0.7) {
          const from = pick();
          let to = pick();
          while (to === from) to = any();
          await timed('transfer', 'POST', '/transfers', { from, to, amount: 1 + Math.floor(Math.random() * 10_000) });
        } else if (dice < 0.8) {
          await timed('deposit', 'POST', `/accounts/${pick()}/deposits`, { amount: 1 + Math.floor(Math.random() * 10_000) });
        } else if (dice < 0.85) {
          await timed('withdrawal', 'POST', `/accounts/${pick()}/withdrawals`, { amount: 1 + Math.floor(Math.random() * 10_000) });
        } else {
          const q = Math.random();
          const path = q < 0.4 ? `/accounts/${any()}` : q < 0.7 ? `/accounts/${any()}/transactions?limit=20` : q < 0.9 ? `/balances?min=500000&max=1500000&limit=20` : `/accounts?owner=owner-${Math.floor(Math.random() * owners)}`;
          await timed('query', 'GET', path);
        }
        done++;
      }
    }),
  );
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1_000;
  bar.update(1, `${seconds.toFixed(1)}s ${done} requests`);
  bar.done();
  return { seconds, kinds, statuses };
}

/** The report as a table: throughput and latency percentiles per kind of request. */
export function formatReport(report: LoadReport): string {
  const fmt = (ms: number): string => (Number.isNaN(ms) ? '-' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
  const rows = [['request', 'count', 'per s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'errors']];
  let total = 0;
  for (const [kind, s] of report.kinds) {
    if (kind === 'setup') continue;
    total += s.count;
    rows.push([kind, String(s.count), (s.count / report.seconds).toFixed(0), fmt(s.percentile(50)), fmt(s.percentile(90)), fmt(s.percentile(99)), fmt(s.percentile(99.9)), fmt(s.percentile(100)), String(s.errors)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  const statuses = [...report.statuses].sort((a, b) => a[0] - b[0]).map(([status, n]) => `${status}: ${n}`).join(', ');
  return [`${total} requests in ${report.seconds.toFixed(1)} s: ${(total / report.seconds).toFixed(0)} requests/s`, ...lines, `HTTP statuses: ${statuses}`].join('\n');
}
