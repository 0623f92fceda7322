import type pg from 'pg';
import type { HealthReport } from '../pool/pg-pool.js';

const CHECK = 'SELECT 1';

/**
 * Checks a connection out for the pool's own use. A connection that fails while checked out emits
 * 'error', which would crash the process without a listener; the failure also reaches the
 * statement running on it, so the listener only has to exist.
 */
export async function checkOut(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  client.on('error', ignore);
  return client;
}

/** Returns a connection from {@link checkOut}; with an error it is closed instead of kept. */
export function checkIn(client: pg.PoolClient, error?: Error): void {
  client.off('error', ignore);
  client.release(error);
}

function ignore(): void {}

/**
 * Tests idle connections of a pg `Pool` and closes those that fail, then opens connections until
 * the pool holds `min` again. A connection whose server side died without the socket noticing
 * (a half-open TCP connection) or whose session is unusable (left inside a failed transaction)
 * is found here rather than by a caller.
 */
export class HealthChecker {
  readonly #pool: pg.Pool;
  readonly #min: number;
  readonly #timeoutMs: number;
  readonly #onReport: (report: HealthReport) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<HealthReport> | undefined;

  constructor(pool: pg.Pool, min: number, timeoutMs: number, onReport: (report: HealthReport) => void) {
    this.#pool = pool;
    this.#min = min;
    this.#timeoutMs = timeoutMs;
    this.#onReport = onReport;
  }

  /** Checks every `intervalMs` until {@link HealthChecker.stop}; the timer never keeps the process alive. */
  start(intervalMs: number): void {
    this.#timer = setInterval(() => void this.check().catch(() => undefined), intervalMs);
    this.#timer.unref();
  }

  /** Stops the periodic checks and waits for a running one. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** One check; concurrent calls share it. */
  check(): Promise<HealthReport> {
    this.#running ??= this.#check().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #check(): Promise<HealthReport> {
    // Callers waiting means every connection is busy, so in use, so alive enough: do not compete.
    if (this.#pool.waitingCount > 0) {
      const report = { checked: 0, evicted: 0, opened: 0, skipped: true };
      this.#onReport(report);
      return report;
    }
    const idle = this.#pool.idleCount;
    let opened = 0;
    const onConnect = (): void => {
      opened++;
    };
    this.#pool.on('connect', onConnect);
    let evicted: number;
    try {
      evicted = await this.#testIdle(idle);
      await this.#topUp();
    } finally {
      this.#pool.off('connect', onConnect);
    }
    const report = { checked: idle, evicted, opened, skipped: false };
    this.#onReport(report);
    return report;
  }

  /**
   * Idle connections are handed out most recently used first, so all of them are held at once to
   * test each one, not the same one again and again.
   */
  async #testIdle(count: number): Promise<number> {
    let evicted = 0;
    const held = await Promise.allSettled(Array.from({ length: count }, () => checkOut(this.#pool)));
    await Promise.all(
      held.map(async (outcome) => {
        if (outcome.status !== 'fulfilled') return;
        const client = outcome.value;
        try {
          await client.query({ text: CHECK, query_timeout: this.#timeoutMs } as pg.QueryConfig);
          checkIn(client);
        } catch (error) {
          evicted++;
          checkIn(client, error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
    return evicted;
  }

  /**
   * Opens connections up to `min`. The pool hands out idle connections before it opens new ones,
   * so the idle ones are held too while the shortfall is opened.
   */
  async #topUp(): Promise<void> {
    const shortfall = this.#min - this.#pool.totalCount;
    if (shortfall <= 0) return;
    const count = shortfall + this.#pool.idleCount;
    const held = await Promise.allSettled(Array.from({ length: count }, () => checkOut(this.#pool)));
    for (const outcome of held) if (outcome.status === 'fulfilled') checkIn(outcome.value);
  }
}
